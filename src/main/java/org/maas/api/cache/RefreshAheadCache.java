package org.maas.api.cache;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A cache for answers a request would otherwise wait for (an access review, Limitador's counters): each value
 * lives for the TTL from when it was obtained, and concurrent requests for a key share one load. A value read
 * in the second half of its life is loaded again in the background while the cached one answers, so a caller
 * who polls waits only on first use, not every TTL. A background load that fails (or gives a value not to
 * keep) leaves the old value to expire on its own schedule: an answer is never older than the TTL. A failed
 * first load is not cached; a value not to keep ({@code keep} false, say a failure kept as a value) answers
 * only the requests that waited for it.
 */
public final class RefreshAheadCache<K, V> {

    /** A value and when it was obtained (the cache's ticker, nanoseconds): kept values do not live longer. */
    private record Dated<V>(V value, long obtainedAt) {
    }

    private final AsyncLoadingCache<K, Dated<V>> cache;

    /**
     * @param executor runs Caffeine's own work (the refresh's start); {@code load} brings its own pool
     * @param keep     whether a value may be cached at all
     * @param load     one load of a key, on the caller's pool; a failed future is a failed load
     */
    public RefreshAheadCache(Duration ttl, long maxEntries, Executor executor, Predicate<V> keep,
                             Function<K, CompletableFuture<V>> load) {
        this(ttl, maxEntries, executor, keep, load, Ticker.systemTicker());
    }

    RefreshAheadCache(Duration ttl, long maxEntries, Executor executor, Predicate<V> keep,
                      Function<K, CompletableFuture<V>> load, Ticker ticker) {
        long ttlNanos = ttl.toNanos();
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfter(new Expiry<K, Dated<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Dated<V> dated, long now) {
                        return keep.test(dated.value()) ? Math.max(0, dated.obtainedAt() + ttlNanos - now) : 0;
                    }

                    @Override
                    public long expireAfterUpdate(K key, Dated<V> dated, long now, long currentDuration) {
                        return expireAfterCreate(key, dated, now);
                    }

                    @Override
                    public long expireAfterRead(K key, Dated<V> dated, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .refreshAfterWrite(ttl.dividedBy(2))
                .maximumSize(maxEntries)
                .executor(executor)
                .buildAsync(new AsyncCacheLoader<K, Dated<V>>() {
                    @Override
                    public CompletableFuture<Dated<V>> asyncLoad(K key, Executor unused) {
                        return start(load, key).thenApply(value -> new Dated<>(value, ticker.read()));
                    }

                    /** Without Caffeine's log line for a failed refresh: the old value stays, as dated. */
                    @Override
                    public CompletableFuture<Dated<V>> asyncReload(K key, Dated<V> old, Executor unused) {
                        return start(load, key).handle((value, failure) -> failure == null && keep.test(value)
                                ? new Dated<>(value, ticker.read()) : old);
                    }
                });
    }

    /** A load that throws at once (its pool closed) is a failed load like any other. */
    private static <K, V> CompletableFuture<V> start(Function<K, CompletableFuture<V>> load, K key) {
        try {
            return load.apply(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The value, from the cache or from the one load in flight for this key. */
    public CompletableFuture<V> get(K key) {
        return cache.get(key).thenApply(Dated::value);
    }
}
