package org.maas.api.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.maas.api.error.ApiException;

/** The token of an {@code Authorization: Bearer} header. Its value is never logged or stored. */
public final class BearerToken {

    /** Kubernetes tokens are a few KB at most; anything longer is not worth a TokenReview. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /** The token, or 401 when the header is missing or not a bearer token. */
    public static String from(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("send your own cluster token as Authorization: Bearer <token>"
                    + " (for example from `oc whoami -t` or `kubectl create token`)");
        }
        if (authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ApiException.unauthorized("the Authorization header must use the Bearer scheme");
        }
        String token = authorization.substring(SCHEME.length()).trim();
        if (token.isEmpty() || token.length() > MAX_LENGTH || !isShapedLikeAToken(token)) {
            throw ApiException.unauthorized("the bearer token is malformed: expected at most " + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 - . _ ~ + / : with optional trailing =");
        }
        return token;
    }

    /**
     * RFC 6750's token68 alphabet (JWTs, OpenShift's {@code sha256~...}, bootstrap tokens), plus {@code :}
     * for tokens like Rancher's {@code token-xxxxx:secret}. Anything else cannot be a credential any
     * authenticator issues, so it is refused here rather than costing a TokenReview.
     */
    private static boolean isShapedLikeAToken(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == ':';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** The cache key of a token: its SHA-256, so a heap dump holds no usable credential. */
    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
