package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.error.ApiException;
import org.maas.api.identity.ReviewCache.Lookup;
import org.maas.api.identity.ReviewCache.Source;
import org.maas.api.identity.ReviewOutcome.Authenticated;
import org.maas.api.identity.ReviewOutcome.Rejected;

class ReviewCacheTest {

    private static final Duration DOES_NOT_HANG = Duration.ofSeconds(30);

    private final FakeTime time = new FakeTime();
    private final ReviewCache cache = cache(3, 3);
    private final Caller alice = new Caller.Person("alice", List.of("system:authenticated"));
    private final AtomicInteger reviews = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private ReviewCache cache(long maxEntries, long negativeMaxEntries) {
        return new ReviewCache(time, time, Runnable::run,
                new ReviewCache.Limits(Duration.ofSeconds(30), maxEntries, Duration.ofSeconds(5), negativeMaxEntries));
    }

    /** A review that counts itself and answers the given outcome. */
    private Supplier<ReviewOutcome> answering(ReviewOutcome outcome) {
        return () -> {
            reviews.incrementAndGet();
            return outcome;
        };
    }

    private Supplier<ReviewOutcome> accepting(Long exp) {
        return answering(new Authenticated(alice, exp));
    }

    private Source lookup(ReviewCache cache, String key) {
        return cache.get(key, accepting(null)).source();
    }

    @Test
    void keepsAReviewForTheTtl() {
        assertEquals(Source.REVIEWED, cache.get("k", accepting(null)).source());
        time.advance(Duration.ofSeconds(29));
        Lookup cached = cache.get("k", accepting(null));
        assertEquals(Source.CACHED, cached.source());
        assertEquals(alice, ((Authenticated) cached.outcome()).caller());
        time.advance(Duration.ofSeconds(1));
        assertEquals(Source.REVIEWED, cache.get("k", accepting(null)).source());
        assertEquals(2, reviews.get());
    }

    @Test
    void neverPastTheTokensExpiry() {
        long exp = time.instant().plusSeconds(10).getEpochSecond();
        cache.get("k", accepting(exp));
        time.advance(Duration.ofSeconds(9));
        assertEquals(Source.CACHED, cache.get("k", accepting(exp)).source());
        time.advance(Duration.ofSeconds(1));
        assertEquals(Source.REVIEWED, cache.get("k", accepting(exp)).source());
    }

    @Test
    void anExpiredTokenIsNotCached() {
        long exp = time.instant().getEpochSecond();
        cache.get("k", accepting(exp));
        assertEquals(Source.REVIEWED, cache.get("k", accepting(exp)).source());
        assertEquals(2, reviews.get());
    }

    @Test
    void aTokenExpiringInTheFarFutureIsKeptForTheTtl() {
        cache.get("k", accepting(Long.MAX_VALUE));
        time.advance(Duration.ofSeconds(29));
        assertEquals(Source.CACHED, lookup(cache, "k"));
        time.advance(Duration.ofSeconds(1));
        assertEquals(Source.REVIEWED, lookup(cache, "k"));
    }

    @Test
    void aFullCacheMakesRoomWithExpiredEntriesFirst() {
        lookup(cache, "a");
        time.advance(Duration.ofSeconds(31));
        lookup(cache, "b");
        lookup(cache, "c");
        lookup(cache, "d"); // full: the expired "a" makes room
        int reviewed = reviews.get();
        assertEquals(Source.CACHED, lookup(cache, "b"));
        assertEquals(Source.CACHED, lookup(cache, "c"));
        assertEquals(Source.CACHED, lookup(cache, "d"));
        assertEquals(reviewed, reviews.get());
    }

    @Test
    void aSpikeOfNewCallersIsBoundedAndDoesNotPushOutACallerWhoKeepsCalling() {
        ReviewCache bounded = cache(100, 100);
        lookup(bounded, "regular");
        for (int i = 0; i < 1_000; i++) {
            lookup(bounded, "spike-" + i);
            if (i % 10 == 0) {
                assertEquals(Source.CACHED, lookup(bounded, "regular"), "no cliff, after " + (i + 1) + " new callers");
            }
        }
        int before = reviews.get();
        for (int i = 0; i < 1_000; i++) {
            lookup(bounded, "spike-" + i);
        }
        assertTrue(reviews.get() - before >= 900, "at most 100 of the spike were remembered, so at least 900 are"
                + " reviewed again: " + (reviews.get() - before));
    }

    @Test
    void refusalsAreRememberedForTheirOwnShortTtl() {
        assertEquals(Source.REVIEWED, cache.get("junk", answering(new Rejected())).source());
        time.advance(Duration.ofSeconds(4));
        Lookup again = cache.get("junk", answering(new Rejected()));
        assertEquals(Source.CACHED, again.source());
        assertEquals(new Rejected(), again.outcome());
        time.advance(Duration.ofSeconds(1));
        assertEquals(Source.REVIEWED, cache.get("junk", answering(new Rejected())).source());
        assertEquals(2, reviews.get());
    }

    @Test
    void refusalsHaveTheirOwnBoundAndNeverPushOutAcceptedTokens() {
        lookup(cache, "alice");
        lookup(cache, "bob");
        for (int i = 0; i < 100; i++) {
            cache.get("junk-" + i, answering(new Rejected()));
        }
        assertEquals(Source.CACHED, lookup(cache, "alice"));
        assertEquals(Source.CACHED, lookup(cache, "bob"));
        int before = reviews.get();
        for (int i = 0; i < 100; i++) {
            cache.get("junk-" + i, answering(new Rejected()));
        }
        assertTrue(reviews.get() - before >= 97, "at most 3 refusals were remembered: " + (reviews.get() - before));
    }

    @Test
    void aFailedReviewIsNotCached() {
        ApiException unavailable = ApiException.unavailable("the Kubernetes API is unavailable", 5);
        Supplier<ReviewOutcome> failing = () -> {
            reviews.incrementAndGet();
            throw unavailable;
        };
        assertSame(unavailable, assertThrows(ApiException.class, () -> cache.get("k", failing)));
        assertEquals(Source.REVIEWED, cache.get("k", answering(new Rejected())).source());
        assertEquals(2, reviews.get());
    }

    @Test
    void concurrentLookupsOfOneTokenShareOneReview() throws Exception {
        List<Lookup> lookups = burst(new Rejected(), 20);
        assertEquals(1, reviews.get());
        assertEquals(1, lookups.stream().filter(l -> l.source() == Source.REVIEWED).count());
        assertEquals(20, lookups.stream().filter(l -> l.source() == Source.SHARED).count());
        lookups.forEach(l -> assertEquals(new Rejected(), l.outcome()));
        assertEquals(Source.CACHED, cache.get("k", answering(new Rejected())).source());
    }

    @Test
    void concurrentLookupsOfAnAcceptedTokenShareOneReviewToo() throws Exception {
        List<Lookup> lookups = burst(new Authenticated(alice, null), 20);
        assertEquals(1, reviews.get());
        lookups.forEach(l -> assertEquals(alice, ((Authenticated) l.outcome()).caller()));
        assertEquals(Source.CACHED, lookup(cache, "k"));
    }

    @Test
    void aFailureInFlightReachesEveryWaiterAndIsNotCached() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ApiException unavailable = ApiException.unavailable("the Kubernetes API is unavailable", 5);
        Future<?> owner = threads.submit(() -> cache.get("k", () -> {
            reviews.incrementAndGet();
            entered.countDown();
            awaitLatch(release);
            throw unavailable;
        }));
        assertTrue(entered.await(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
        List<Thread> waiting = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(threads.submit(() -> {
                waiting.add(Thread.currentThread());
                return cache.get("k", answering(new Rejected()));
            }));
        }
        awaitAllWaiting(waiting, 5);
        release.countDown();
        for (Future<?> waiter : waiters) {
            Exception e = assertThrows(Exception.class, () -> waiter.get(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
            assertSame(unavailable, e.getCause());
        }
        assertSame(unavailable, assertThrows(Exception.class, () -> owner.get()).getCause());
        assertEquals(1, reviews.get());
        assertEquals(Source.REVIEWED, cache.get("k", answering(new Rejected())).source());
    }

    /** One caller reviews (held until the others wait for it), {@code others} more look up the same key. */
    private List<Lookup> burst(ReviewOutcome outcome, int others) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Lookup> owner = threads.submit(() -> cache.get("k", () -> {
            reviews.incrementAndGet();
            entered.countDown();
            awaitLatch(release);
            return outcome;
        }));
        assertTrue(entered.await(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
        List<Thread> waiting = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Lookup>> waiters = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            waiters.add(threads.submit(() -> {
                waiting.add(Thread.currentThread());
                return cache.get("k", answering(outcome));
            }));
        }
        awaitAllWaiting(waiting, others);
        release.countDown();
        List<Lookup> lookups = new ArrayList<>();
        lookups.add(owner.get(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
        for (Future<Lookup> waiter : waiters) {
            lookups.add(waiter.get(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
        }
        return lookups;
    }

    /** The waiters are parked on the review in flight (nothing else in a lookup parks). */
    private static void awaitAllWaiting(List<Thread> waiting, int count) {
        Awaitility.await().atMost(DOES_NOT_HANG).until(() -> waiting.size() == count
                && List.copyOf(waiting).stream().allMatch(t -> t.getState() == Thread.State.WAITING));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(DOES_NOT_HANG.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
