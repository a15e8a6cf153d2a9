package org.maas.api.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;

/**
 * Reads the optional mint body. `curl -X POST` sends neither a body nor a Content-Type, which JAX-RS
 * would refuse with 415 before the method runs; so an empty body is accepted with any Content-Type and
 * a non-empty one must be JSON, read by the application's strict mapper.
 */
@ApplicationScoped
class MintRequestReader {

    private final ObjectReader json;

    MintRequestReader(ObjectMapper json) {
        // Floats as BigDecimal: 1e309 stays the number it is (a double would make it Infinity), so the
        // 400 that Expiration answers names what the client sent.
        this.json = json.readerFor(MintTokenRequest.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** @return the request, or null when there is no body */
    MintTokenRequest read(String contentType, String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (!isJson(contentType)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json");
        }
        return json.readValue(body);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
