package org.maas.api.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The refresh-ahead cache on a clock the test moves (Caffeine's ticker) and loads the test answers: what
 * ModelAccess's reviews and LimitadorClient's reads rely on.
 */
class RefreshAheadCacheTest {

    private static final Duration TTL = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger loads = new AtomicInteger();
    /** What the next loads answer, in order: a value, or a failed load. */
    private final Deque<CompletableFuture<String>> answers = new ArrayDeque<>();
    private final RefreshAheadCache<String, String> cache = new RefreshAheadCache<>(TTL, 100, Runnable::run,
            value -> !value.startsWith("failure"), key -> {
                loads.incrementAndGet();
                return answers.removeFirst();
            }, now::get);

    @Test
    void anEntryReadInTheSecondHalfOfItsLifeIsRefreshedBeforeItExpires() {
        answer("v1");
        assertEquals("v1", get());
        advance(Duration.ofSeconds(10)); // first half: from the cache
        assertEquals("v1", get());
        assertEquals(1, loads.get());

        CompletableFuture<String> refresh = new CompletableFuture<>();
        answers.add(refresh);
        advance(Duration.ofSeconds(6)); // 16 s: the read answers v1 at once and reloads in the background
        assertEquals("v1", get());
        assertEquals(2, loads.get());
        assertEquals("v1", get(), "no second reload while one is in flight");
        assertEquals(2, loads.get());
        refresh.complete("v2");
        assertEquals("v2", get(), "the refreshed value, without waiting for v1 to expire");

        answers.add(new CompletableFuture<>()); // the next refresh never answers
        advance(Duration.ofSeconds(20)); // 36 s: v1 would have expired; v2, obtained at 16 s, has not
        assertEquals("v2", get());
        assertEquals(3, loads.get(), "read in the second half of v2's life: refreshed in the background");
    }

    @Test
    void aFailedRefreshKeepsTheOldValueUntilItsOwnExpiry() {
        answer("v1");
        assertEquals("v1", get());
        advance(Duration.ofSeconds(20));
        answers.add(CompletableFuture.failedFuture(new IllegalStateException("refresh broken on purpose")));
        assertEquals("v1", get());
        assertEquals(2, loads.get(), "the refresh ran");
        assertEquals("v1", get(), "the old value stays after the failed refresh");

        answer("v3");
        advance(Duration.ofSeconds(11)); // 31 s: v1 expired at 30 s; keeping it did not extend its life
        assertEquals("v3", get());
        assertEquals(3, loads.get());
    }

    @Test
    void aRefreshThatGivesAValueNotToKeepKeepsTheOldValue() {
        answer("v1");
        assertEquals("v1", get());
        advance(Duration.ofSeconds(20));
        answer("failure: unavailable");
        assertEquals("v1", get());
        assertEquals(2, loads.get(), "the refresh ran");
        assertEquals("v1", get());
    }

    @Test
    void aValueNotToKeepAnswersOnlyTheLoadThatGaveIt() {
        answer("failure: unavailable");
        assertEquals("failure: unavailable", get());
        answer("v1");
        assertEquals("v1", get());
        assertEquals(2, loads.get());
    }

    @Test
    void aFailedFirstLoadIsNotCachedAndConcurrentReadsShareOneLoad() {
        CompletableFuture<String> pending = new CompletableFuture<>();
        answers.add(pending);
        CompletableFuture<String> first = cache.get("k");
        CompletableFuture<String> second = cache.get("k");
        assertEquals(1, loads.get(), "one load for both");
        pending.completeExceptionally(new IllegalStateException("load broken on purpose"));
        assertTrue(first.isCompletedExceptionally() && second.isCompletedExceptionally());

        answer("v1");
        assertEquals("v1", get());
        assertEquals("v1", get());
        assertEquals(2, loads.get(), "the loaded value is cached: no third load");
    }

    private void answer(String value) {
        answers.add(CompletableFuture.completedFuture(value));
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private String get() {
        return cache.get("k").join();
    }
}
