package org.maas.api.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Positive TokenReviews, keyed by the SHA-256 of the token, each kept for the configured TTL but never
 * past the token's own expiry. Bounded: when full, expired entries go first, then everything.
 */
final class ReviewCache {

    private record Entry(Caller caller, long validUntilMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long ttlMillis;
    private final int maxEntries;

    ReviewCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
    }

    Caller get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.validUntilMillis) {
            entries.remove(key, entry);
            return null;
        }
        return entry.caller;
    }

    /** @param tokenExpiresAtSeconds the token's {@code exp}, or null when unknown */
    void put(String key, Caller caller, Long tokenExpiresAtSeconds) {
        long now = clock.millis();
        long until = now + ttlMillis;
        if (tokenExpiresAtSeconds != null) {
            until = Math.min(until, tokenExpiresAtSeconds * 1000);
        }
        if (until <= now) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> e.validUntilMillis <= now);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(caller, until));
    }
}
