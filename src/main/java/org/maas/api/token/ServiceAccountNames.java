package org.maas.api.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The ServiceAccount name of a user: a DNS-1123 label made from the username plus a short hash of the
 * full username, so that users whose names clean up the same ({@code Alice}, {@code alice@}) never share
 * an account. The original username is kept in an annotation and checked before any use.
 */
final class ServiceAccountNames {

    static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private ServiceAccountNames() {
    }

    static String forUser(String username) {
        String base = username.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        base = trimDashes(base);
        int room = MAX_LENGTH - HASH_LENGTH - 1;
        if (base.length() > room) {
            base = trimDashes(base.substring(0, room));
        }
        if (base.isEmpty()) {
            base = "user";
        }
        return base + "-" + hash(username);
    }

    private static String trimDashes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '-') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '-') {
            end--;
        }
        return text.substring(start, end);
    }

    private static String hash(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(username.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
