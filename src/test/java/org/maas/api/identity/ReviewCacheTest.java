package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewCacheTest {

    /** A clock the test moves by hand: no sleeping, no timing. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ReviewCache cache = new ReviewCache(clock, Duration.ofSeconds(30), 3);
    private final Caller alice = new Caller("alice", List.of("system:authenticated"));

    @Test
    void keepsAReviewForTheTtl() {
        cache.put("k", alice, null);
        clock.advance(Duration.ofSeconds(29));
        assertEquals(alice, cache.get("k"));
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get("k"));
    }

    @Test
    void neverPastTheTokensExpiry() {
        long exp = clock.instant().plusSeconds(10).getEpochSecond();
        cache.put("k", alice, exp);
        clock.advance(Duration.ofSeconds(9));
        assertNotNull(cache.get("k"));
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get("k"));
    }

    @Test
    void anExpiredTokenIsNotCached() {
        cache.put("k", alice, clock.instant().getEpochSecond());
        assertNull(cache.get("k"));
    }

    @Test
    void staysBounded() {
        cache.put("a", alice, null);
        clock.advance(Duration.ofSeconds(31));
        cache.put("b", alice, null);
        cache.put("c", alice, null);
        cache.put("d", alice, null); // full: the expired "a" makes room
        assertNotNull(cache.get("b"));
        assertNotNull(cache.get("d"));
        cache.put("e", alice, null); // full of live entries: start over
        assertNull(cache.get("b"));
        assertNotNull(cache.get("e"));
    }
}
