package org.maas.api.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;

/**
 * Runs {@link ExpiredKeyCleanup} on the leader every {@code maas.api-keys.cleanup-interval}. A replica
 * joins the election when it first serves an API key request, so a deployment whose users never create
 * keys (or a local run without a cluster) runs no election for it.
 */
@ApplicationScoped
class ExpiredKeyCleanupSchedule {

    private final ExpiredKeyCleanup cleanup;
    private final Leadership leadership;
    private final Informers informers;
    private final Duration interval;
    private final AtomicBoolean joined = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> passes;

    ExpiredKeyCleanupSchedule(ExpiredKeyCleanup cleanup, Leadership leadership, Informers informers,
                              MaasConfig config) {
        this.cleanup = cleanup;
        this.leadership = leadership;
        this.informers = informers;
        this.interval = config.apiKeys().cleanupInterval();
    }

    /** Called by every API key request; only the first one does anything. */
    void ensureJoined() {
        if (joined.compareAndSet(false, true)) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "maas-api-key-cleanup");
                thread.setDaemon(true);
                return thread;
            });
            informers.own("api-key-cleanup", executor::shutdownNow);
            leadership.join("expired API key cleanup", this::gained, this::lost);
        }
    }

    private synchronized void gained() {
        if (passes == null) {
            passes = executor.scheduleWithFixedDelay(() -> cleanup.runOnce(Instant.now()), 0,
                    interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void lost() {
        if (passes != null) {
            passes.cancel(false);
            passes = null;
        }
    }
}
