package org.maas.api.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.kubernetes.Election;

/** The skeleton alone, with an election the test decides (the real one: PolicyReconcilerLeaderElectionTest). */
class ControllerTest {

    private static final Duration NO_RESYNC = Duration.ofHours(1);

    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final FakeElection election = new FakeElection();
    private Controller controller;

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void aKeyWaitingToRunIsNotQueuedTwice() throws Exception {
        controller = started(false);
        CountDownLatch release = blockWorker();
        Future<?> first = controller.enqueue("model/a", () -> ran.add("a1"));
        Future<?> second = controller.enqueue("model/a", () -> ran.add("a2"));
        controller.enqueue("model/b", () -> ran.add("b"));
        assertSame(first, second);
        release.countDown();
        controller.enqueue("model/c", () -> ran.add("c")).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a1", "b", "c"), ran);
    }

    @Test
    void aKeyQueuesAgainOnceItsWorkHasStarted() throws Exception {
        controller = started(false);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        controller.enqueue("k", () -> {
            ran.add("first");
            inside.countDown();
            await(release);
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Future<?> again = controller.enqueue("k", () -> ran.add("second")); // a change the running work may miss
        release.countDown();
        again.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("first", "second"), ran);
    }

    @Test
    void leaderOnlyWorkRunsOnlyWhileLeading() throws Exception {
        controller = started(true);
        controller.enqueue("k", () -> ran.add("follower")).get(10, TimeUnit.SECONDS);
        controller.resyncNow().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), ran);

        election.gain();
        controller.enqueue("after", () -> { }).get(10, TimeUnit.SECONDS); // behind what gaining queued
        assertEquals(List.of("leadership", "resync"), ran);
        controller.enqueue("k", () -> ran.add("leader")).get(10, TimeUnit.SECONDS);
        assertEquals("leader", ran.get(ran.size() - 1));

        election.lose();
        controller.enqueue("k", () -> ran.add("follower again")).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("leadership", "resync", "leader", "leadership"), ran);
    }

    @Test
    void workForEveryReplicaRunsWithoutTheLease() throws Exception {
        controller = started(false);
        controller.resyncNow().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("resync"), ran);
    }

    @Test
    void workThatThrowsDoesNotStopTheController() throws Exception {
        controller = started(false);
        controller.enqueue("bad", () -> {
            throw new IllegalStateException("broken on purpose");
        }).get(10, TimeUnit.SECONDS);
        controller.enqueue("good", () -> ran.add("good")).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("good"), ran);
    }

    @Test
    void theResyncRepeats() {
        controller = new Controller(new Controller.Settings("test-controller", Duration.ofMillis(20), false), election,
                () -> ran.add("resync"), () -> ran.add("leadership"));
        controller.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ran.stream().filter("resync"::equals).count() >= 3);
    }

    @Test
    void closingDropsWaitingWorkAndCompletesItsFuture() throws Exception {
        controller = started(false);
        blockWorker(); // never released: the worker is interrupted by close
        Future<?> waiting = controller.enqueue("k", () -> ran.add("k"));
        controller.close();
        waiting.get(10, TimeUnit.SECONDS);
        assertTrue(controller.enqueue("later", () -> ran.add("later")).isDone());
        assertEquals(List.of(), ran);
    }

    private Controller started(boolean leaderOnly) {
        Controller started = new Controller(new Controller.Settings("test-controller", NO_RESYNC, leaderOnly), election,
                () -> ran.add("resync"), () -> ran.add("leadership"));
        started.start();
        return started;
    }

    /** Holds the controller's thread until the latch is released, so later work waits in the queue. */
    private CountDownLatch blockWorker() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        controller.enqueue("block", () -> {
            inside.countDown();
            await(release);
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class FakeElection implements Election {

        private volatile boolean leader;
        private Runnable gained = () -> { };
        private Runnable lost = () -> { };

        @Override
        public void join(String feature, Runnable gained, Runnable lost) {
            this.gained = gained;
            this.lost = lost;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        void gain() {
            leader = true;
            gained.run();
        }

        void lose() {
            leader = false;
            lost.run();
        }
    }
}
