package org.maas.api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Reading Limitador's counters: the userid descriptor, and remaining as an unsigned 64-bit number. */
class LimitadorCounterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LimitadorCounter counter(String remaining) throws Exception {
        return LimitadorCounter.of(JSON.readTree("""
                {"limit": {"namespace": "llm/llama-kserve-route", "max_value": 50000, "seconds": 60,
                  "name": "premium-tokens-1m", "conditions": [], "variables": ["descriptors[0][\\"auth.identity.userid\\"]"]},
                 "set_variables": {"descriptors[0][\\"auth.identity.userid\\"]": "alice-1a2b3c4d"},
                 "remaining": %s, "expires_in_seconds": 42}""".formatted(remaining)));
    }

    @Test
    void aCounterWithinItsLimit() throws Exception {
        LimitadorCounter counter = counter("48766");
        assertEquals("premium-tokens-1m", counter.name());
        assertEquals("alice-1a2b3c4d", counter.userid());
        assertEquals(42L, counter.expiresInSeconds());
        assertEquals(1234, counter.used(50000));
        assertEquals(48766, counter.left(50000));
    }

    @Test
    void aWrappedRemainingIsAnOvershootNotAHugeQuota() throws Exception {
        LimitadorCounter counter = counter("18446744073709551366"); // 2^64 - 250
        assertEquals(0, counter.left(50000));
        assertEquals(50250, counter.used(50000));
    }

    @Test
    void nonsenseIsClamped() throws Exception {
        assertEquals(Long.MAX_VALUE, counter("-9223372036854775808").used(Long.MAX_VALUE), "no overflow");
        assertEquals(0, counter("99999999999999999999999").left(100), "beyond 64 bits: all ones, -1");
        assertEquals(0, counter("60000").used(50000), "above the limit (a lowered limit): nothing used");
        assertEquals(50000, counter("60000").left(50000));
        assertEquals(0, counter("\"x\"").left(10));
    }

    @Test
    void aCounterWithoutExpiryOrUser() throws Exception {
        LimitadorCounter counter = LimitadorCounter.of(JSON.readTree("{\"limit\": {\"name\": \"n\"}, \"remaining\": 1}"));
        assertNull(counter.userid());
        assertNull(counter.expiresInSeconds());
    }
}
