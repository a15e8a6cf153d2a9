package org.maas.api.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.maas.api.kubernetes.Election;
import org.maas.api.kubernetes.Leadership;

/**
 * The skeleton of maas-api's hand-written controllers (policy reconcile, model access, group revocation):
 * one thread of its own, a work queue that coalesces by key, a periodic resync, leader-only work and
 * {@link #close}. A controller supplies only its work:
 *
 * <pre>{@code
 * controller = new Controller(new Controller.Settings("model-access", resyncInterval, true), leadership,
 *         this::reconcileEveryModel, clean::clear);
 * controllers.run(controller);                              // started now, closed on shutdown (Controllers)
 * controller.enqueue("model/" + key, () -> reconcile(key)); // from an informer's handler: never blocks
 * controller.resyncNow();                                   // everything again (Controllers does it per tier config)
 * }</pre>
 *
 * <p>All work runs on the one thread, in the order first enqueued, so it never overlaps and needs no
 * locks of its own. A key waiting to run is not queued twice: a burst of changes to one object runs once,
 * reading the state when it runs (so work with the same key must do the same thing). Work that throws is
 * logged and the controller goes on; the next change or resync retries it.
 *
 * <p>{@code leaderOnly}: queued work and resyncs run only while this replica leads (checked on the thread,
 * right before each runs); otherwise they run everywhere (say, a read-only comparison every replica
 * reports). Either way a write checks {@link #isLeader()} right before it writes, since the Lease can be
 * lost mid-work. On becoming leader, {@code leadershipChanged} runs and then a resync; on losing it, only
 * {@code leadershipChanged} (forget what was learned as leader: another replica may write meanwhile).
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Controller.class);
    private static final String RESYNC = "\0resync";
    private static final String LEADERSHIP = "\0leadership";

    /**
     * {@code name}: the thread's and the election's name for it; {@code resyncInterval}: how often
     * everything is checked again; {@code leaderOnly}: see the class comment.
     */
    public record Settings(String name, Duration resyncInterval, boolean leaderOnly) {
    }

    private final Settings settings;
    private final Election election;
    private final Runnable resync;
    private final Runnable leadershipChanged;
    /** Work queued and not started yet, by key: what makes the queue coalesce. Guarded by {@code this}. */
    private final Map<String, CompletableFuture<Void>> pending = new HashMap<>();
    private ScheduledExecutorService worker;
    private boolean closed;

    /**
     * {@code resync}: everything again (the periodic resync, {@link #resyncNow}, after becoming leader);
     * {@code leadershipChanged}: runs on this controller's thread whenever this replica gains or loses the Lease.
     * {@code election}: {@link Leadership} in the service, a test's own in ControllerTest.
     */
    public Controller(Settings settings, Election election, Runnable resync, Runnable leadershipChanged) {
        this.settings = settings;
        this.election = election;
        this.resync = resync;
        this.leadershipChanged = leadershipChanged;
    }

    /** Starts the thread, joins the election and schedules the periodic resync. Once; nothing runs before. */
    public void start() {
        synchronized (this) {
            if (closed || worker != null) {
                return;
            }
            String threadName = settings.name();
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
            });
            long every = settings.resyncInterval().toMillis();
            worker.scheduleWithFixedDelay(this::resyncNow, every, every, TimeUnit.MILLISECONDS);
        }
        // Outside the lock: the election may call back at once, and its callbacks enqueue.
        election.join(settings.name(), this::gained, this::lost);
    }

    /** Everything again, soon (a resync already waiting is not queued twice). Completes when it has run. */
    public Future<?> resyncNow() {
        return enqueue(RESYNC, resync);
    }

    /**
     * Runs {@code work} on this controller's thread unless work with this key is waiting already (then
     * that one's future is returned). Never blocks and never throws, so informer handlers and the tier
     * catalog's lock may call it. The future completes when the work has run (or was skipped: not leading,
     * closed).
     */
    public Future<?> enqueue(String key, Runnable work) {
        return enqueue(key, work, settings.leaderOnly());
    }

    /** {@link #enqueue} after {@code delay} (say, a retry once a cache has synced). */
    public void enqueueAfter(Duration delay, String key, Runnable work) {
        synchronized (this) {
            if (worker == null || closed) {
                return;
            }
            try {
                worker.schedule(() -> enqueue(key, work), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) { // closed meanwhile
                // nothing to do: shutting down
            }
        }
    }

    public String name() {
        return settings.name();
    }

    /** Whether this replica leads now: checked right before every write. */
    public boolean isLeader() {
        return election.isLeader();
    }

    private Future<?> enqueue(String key, Runnable work, boolean leaderOnly) {
        CompletableFuture<Void> done;
        synchronized (this) {
            CompletableFuture<Void> waiting = pending.get(key);
            if (waiting != null) {
                return waiting;
            }
            if (worker == null || closed) {
                return CompletableFuture.completedFuture(null);
            }
            done = new CompletableFuture<>();
            pending.put(key, done);
            try {
                worker.execute(() -> run(key, work, leaderOnly, done));
            } catch (RejectedExecutionException e) {
                pending.remove(key);
                done.complete(null);
            }
        }
        return done;
    }

    private void run(String key, Runnable work, boolean leaderOnly, CompletableFuture<Void> done) {
        synchronized (this) {
            pending.remove(key); // from now on a new change queues again: this run may not see it
        }
        try {
            if (!leaderOnly || election.isLeader()) {
                work.run();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: work %s failed; retried at the next change or resync", settings.name(),
                    key.startsWith("\0") ? key.substring(1) : key);
        } finally {
            done.complete(null);
        }
    }

    /** Fabric8's election thread: only hands work over. */
    private void gained() {
        enqueue(LEADERSHIP, leadershipChanged, false);
        resyncNow();
    }

    private void lost() {
        enqueue(LEADERSHIP, leadershipChanged, false);
    }

    /** Stops the thread; work still waiting is dropped (its futures complete). The election is {@link Leadership}'s. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (worker != null) {
                worker.shutdownNow();
            }
            pending.values().forEach(f -> f.complete(null));
            pending.clear();
        }
    }
}
