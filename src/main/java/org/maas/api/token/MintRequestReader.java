package org.maas.api.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import org.maas.api.error.ApiException;

/**
 * Reads the optional mint body. `curl -X POST` sends neither a body nor a Content-Type, which JAX-RS
 * would refuse with 415 before the method runs; so an empty body is accepted with any Content-Type and
 * a non-empty one must be JSON, read by the application's strict mapper.
 */
@ApplicationScoped
class MintRequestReader {

    private final ObjectMapper json;

    MintRequestReader(ObjectMapper json) {
        this.json = json;
    }

    /** @return the request, or null when there is no body */
    MintTokenRequest read(String contentType, String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (!isJson(contentType)) {
            throw new ApiException(415, "unsupported_media_type", "send the body as Content-Type: application/json");
        }
        return json.readValue(body, MintTokenRequest.class);
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
