package org.maas.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The claims of a JWT, read WITHOUT checking its signature. Only for tokens the API server has just
 * vouched for or issued (to learn their expiry, issue time and id), or as a hint of which audience to
 * ask a TokenReview about; never as proof of anything.
 */
public record JwtClaims(Long expiresAt, Long issuedAt, List<String> audiences, String id) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JwtClaims {
        audiences = List.copyOf(audiences);
    }

    /** The claims, or empty when the token is not a JWT (opaque user tokens are not). */
    public static Optional<JwtClaims> peek(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (payload == null || !payload.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new JwtClaims(seconds(payload.get("exp")), seconds(payload.get("iat")),
                    audiences(payload.get("aud")), text(payload.get("jti"))));
        } catch (RuntimeException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static Long seconds(JsonNode node) {
        return node != null && node.canConvertToLong() && node.isIntegralNumber() ? node.asLong() : null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** {@code aud} is a string or a list of strings. */
    private static List<String> audiences(JsonNode node) {
        List<String> audiences = new ArrayList<>();
        if (node != null && node.isTextual()) {
            audiences.add(node.asText());
        } else if (node != null && node.isArray()) {
            node.forEach(a -> {
                if (a.isTextual()) {
                    audiences.add(a.asText());
                }
            });
        }
        return audiences;
    }
}
