package org.maas.api.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import org.maas.api.policy.PolicyRenderer;

/**
 * One live counter from Limitador's {@code GET /counters/{namespace}}, the fields GET /v1/usage reads.
 *
 * @param remaining as Limitador sent it, read as a two's-complement 64-bit number: Limitador keeps it
 *                  unsigned, so a token limit overshot by the request that crossed it wraps to a huge value,
 *                  which is negative here (see {@link #used}, {@link #left})
 */
record LimitadorCounter(String name, String userid, long remaining, Long expiresInSeconds) {

    /** The descriptor the gateway's limits count by (PolicyRenderer's counter expression). */
    static final String USERID = "descriptors[0][\"" + PolicyRenderer.USER + "\"]";
    private static final BigInteger UNSIGNED_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    static LimitadorCounter of(JsonNode counter) {
        JsonNode expires = counter.path("expires_in_seconds");
        return new LimitadorCounter(counter.path("limit").path("name").asText(null),
                counter.path("set_variables").path(USERID).asText(null), wide(counter.path("remaining")),
                expires.canConvertToLong() ? Math.max(0, expires.asLong()) : null);
    }

    /** Any integer Limitador sends, clamped to the unsigned 64-bit range and read as signed. */
    static long wide(JsonNode number) {
        BigInteger value;
        if (number.isIntegralNumber()) {
            value = number.bigIntegerValue();
        } else if (number.isTextual() && number.asText().matches("-?[0-9]{1,40}")) {
            value = new BigInteger(number.asText());
        } else {
            return 0;
        }
        if (value.signum() < 0) {
            return value.max(BigInteger.valueOf(Long.MIN_VALUE)).longValue();
        }
        return value.min(UNSIGNED_MAX).longValue();
    }

    /** What is left of {@code max}, never below 0 nor above the limit. */
    long left(long max) {
        return Math.max(0, Math.min(remaining, max));
    }

    /** What was counted in this window: more than {@code max} when the last request overshot a token limit. */
    long used(long max) {
        if (remaining >= max) {
            return 0;
        }
        long used = max - remaining;
        return used < 0 ? Long.MAX_VALUE : used; // max - (a very negative remaining) overflowed
    }
}
