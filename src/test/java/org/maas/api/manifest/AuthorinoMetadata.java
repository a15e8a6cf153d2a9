package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * What Authorino makes of an HTTP metadata answer (../shared/KUADRANT.md): the status code is ignored; a
 * JSON object body (Content-Type containing application/json) becomes {@code auth.metadata.<name>};
 * an empty body, invalid JSON or a top-level array leaves it absent; any other content type is kept as
 * a string.
 */
final class AuthorinoMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthorinoMetadata() {
    }

    /** The value of {@code auth.metadata.<name>}, or empty when the callout counts as failed. */
    static Optional<Object> from(String contentType, String body) {
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        if (contentType == null || !contentType.contains("application/json")) {
            return Optional.of(body);
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? Optional.of(PolicyCel.value(node)) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
