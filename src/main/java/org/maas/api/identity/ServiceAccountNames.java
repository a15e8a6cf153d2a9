package org.maas.api.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import java.util.Locale;

/**
 * The ServiceAccount name of a user: a DNS-1123 label made from the username plus a hash of the full
 * username, so that users whose names clean up the same ({@code Alice}, {@code alice@}) never share an
 * account. The hash carries 100 bits (20 base-32 digits): finding two usernames with the same suffix
 * takes about 2^50 hashes, where 32 bits took under a second. The original username is kept in an
 * annotation and checked before any use, so a collision that happens anyway is refused, never shared.
 */
final class ServiceAccountNames {

    static final int MAX_LENGTH = 63;
    static final int HASH_LENGTH = 20;
    private static final int HASH_BITS = HASH_LENGTH * 5;

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

    /** The first 100 bits of the SHA-256 in base 32 (0-9, a-v: all valid in a DNS label), zero-padded. */
    private static String hash(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(username.getBytes(StandardCharsets.UTF_8));
            String digits = new BigInteger(1, digest).shiftRight(256 - HASH_BITS).toString(32);
            return "0".repeat(HASH_LENGTH - digits.length()) + digits;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
