package org.maas.api.account;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import java.time.DateTimeException;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.identity.JwtClaims;

/**
 * A token the API server issued for a user's account: its text, its expiry as the server granted it (it may
 * cap what was asked for), and issue time and id from the token itself ({@code issuedAt} and {@code jti} are
 * null when it carries none).
 */
public record GrantedToken(String token, long expiresAt, Long issuedAt, String jti) {

    private static final Logger LOG = Logger.getLogger(GrantedToken.class);

    static GrantedToken of(TokenRequest granted) {
        String token = granted.getStatus() == null ? null : granted.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            LOG.error("the API server answered a TokenRequest without a token");
            throw ApiException.internal();
        }
        JwtClaims claims = JwtClaims.peek(token).orElse(null);
        return new GrantedToken(token, expiresAt(granted, claims), claims == null ? null : claims.issuedAt(),
                claims == null ? null : claims.id());
    }

    private static long expiresAt(TokenRequest granted, JwtClaims claims) {
        try {
            return Instant.parse(granted.getStatus().getExpirationTimestamp()).getEpochSecond();
        } catch (DateTimeException | NullPointerException e) {
            if (claims != null && claims.expiresAt() != null) {
                return claims.expiresAt();
            }
            LOG.error("the API server answered a TokenRequest without an expiration time");
            throw ApiException.internal();
        }
    }
}
