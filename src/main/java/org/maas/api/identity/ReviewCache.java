package org.maas.api.identity;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.maas.api.config.MaasConfig;
import org.maas.api.identity.ReviewOutcome.Authenticated;
import org.maas.api.identity.ReviewOutcome.Rejected;

/**
 * TokenReview outcomes, keyed by the SHA-256 of the token, in two Caffeine caches with bounds of their
 * own, so a flood of junk tokens can never push out the reviews of real callers:
 * <ul>
 * <li>accepted tokens, each for the TTL but never past the token's own {@code exp};</li>
 * <li>reviews in flight and refused tokens, the latter for a short TTL: concurrent requests with the
 * same token wait for one review, and a refused token is not reviewed again until its entry expires.</li>
 * </ul>
 * Full caches evict one entry at a time (Caffeine's W-TinyLFU keeps the frequently used ones). A review
 * that fails (API unavailable) is not remembered: Caffeine drops a future that completes exceptionally.
 */
final class ReviewCache {

    /** How a lookup found its outcome; only {@link #REVIEWED} cost a call to the API server. */
    enum Source { CACHED, SHARED, REVIEWED }

    record Lookup(ReviewOutcome outcome, Source source) {
    }

    record Limits(Duration ttl, long maxEntries, Duration negativeTtl, long negativeMaxEntries) {
        static Limits from(MaasConfig.Identity config) {
            return new Limits(config.reviewCacheTtl(), config.reviewCacheMaxEntries(), config.negativeCacheTtl(),
                    config.negativeCacheMaxEntries());
        }
    }

    private final Clock clock;
    private final long ttlNanos;
    private final long negativeTtlNanos;
    private final Cache<String, Authenticated> accepted;
    private final AsyncCache<String, ReviewOutcome> inFlightOrRejected;

    /**
     * @param ticker   Caffeine's monotonic time, for expiry
     * @param clock    wall-clock time, to compare with the tokens' {@code exp}
     * @param executor where Caffeine does its maintenance (evictions, removals)
     */
    ReviewCache(Ticker ticker, Clock clock, Executor executor, Limits limits) {
        this.clock = clock;
        this.ttlNanos = nonNegativeNanos(limits.ttl());
        this.negativeTtlNanos = nonNegativeNanos(limits.negativeTtl());
        this.accepted = Caffeine.newBuilder().ticker(ticker).executor(executor)
                .maximumSize(limits.maxEntries())
                .expireAfter(Expiry.creating((String key, Authenticated review) -> Duration.ofNanos(lifetimeNanos(review))))
                .build();
        this.inFlightOrRejected = Caffeine.newBuilder().ticker(ticker).executor(executor)
                .maximumSize(limits.negativeMaxEntries())
                // Asked once a review has completed; an accepted token lives in the other cache.
                .expireAfter(Expiry.creating((String key, ReviewOutcome outcome) ->
                        Duration.ofNanos(outcome instanceof Rejected ? negativeTtlNanos : 0)))
                .buildAsync();
    }

    /**
     * The outcome for this token: cached, shared with a review of the same token already in flight, or
     * from {@code review}, which this thread then runs. Exceptions of {@code review} (a 503) reach every
     * caller that waited for it and are not cached.
     */
    Lookup get(String key, Supplier<ReviewOutcome> review) {
        Authenticated known = accepted.getIfPresent(key);
        if (known != null) {
            return new Lookup(known, Source.CACHED);
        }
        CompletableFuture<ReviewOutcome> mine = new CompletableFuture<>();
        CompletableFuture<ReviewOutcome> shared = inFlightOrRejected.get(key, (k, executor) -> mine);
        if (shared != mine) {
            Source source = shared.isDone() ? Source.CACHED : Source.SHARED;
            return new Lookup(join(shared), source);
        }
        ReviewOutcome outcome;
        try {
            outcome = review.get();
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
        if (outcome instanceof Authenticated authenticated && lifetimeNanos(authenticated) > 0) {
            accepted.put(key, authenticated); // before the waiters wake up, so that later callers hit it
        }
        mine.complete(outcome);
        if (outcome instanceof Authenticated) {
            inFlightOrRejected.asMap().remove(key, mine);
        }
        return new Lookup(outcome, Source.REVIEWED);
    }

    private long lifetimeNanos(Authenticated review) {
        if (review.expiresAtSeconds() == null) {
            return ttlNanos;
        }
        long untilExpiryMillis;
        try {
            untilExpiryMillis = Math.subtractExact(Math.multiplyExact(review.expiresAtSeconds(), 1000L), clock.millis());
        } catch (ArithmeticException farAway) {
            untilExpiryMillis = review.expiresAtSeconds() > 0 ? Long.MAX_VALUE : 0;
        }
        if (untilExpiryMillis >= ttlNanos / 1_000_000) {
            return ttlNanos;
        }
        return Math.max(0, untilExpiryMillis * 1_000_000);
    }

    private static long nonNegativeNanos(Duration duration) {
        return Math.max(0, duration.toNanos());
    }

    private static ReviewOutcome join(CompletableFuture<ReviewOutcome> shared) {
        try {
            return shared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }
}
