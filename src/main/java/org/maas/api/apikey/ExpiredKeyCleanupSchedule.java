package org.maas.api.apikey;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.maas.api.kubernetes.Leadership;

/**
 * Runs {@link ExpiredKeyCleanup} on the leader every {@code maas.api-keys.cleanup-interval} (the first pass one
 * interval after start). A replica joins the election once keys exist: when it creates one, or when a pass finds
 * one (after a restart); so a deployment whose users never create keys (or a local run without a cluster) runs
 * no election for it. Listing keys never joins.
 */
@ApplicationScoped
class ExpiredKeyCleanupSchedule {

    private static final String FEATURE = "expired API key cleanup";

    private final ExpiredKeyCleanup cleanup;
    private final ApiKeyStore keys;
    private final Leadership leadership;
    private final AtomicBoolean joined = new AtomicBoolean();

    ExpiredKeyCleanupSchedule(ExpiredKeyCleanup cleanup, ApiKeyStore keys, Leadership leadership) {
        this.cleanup = cleanup;
        this.keys = keys;
        this.leadership = leadership;
    }

    /** A key was created here: from now on this replica takes part in the election. Only the first call joins. */
    void join() {
        if (joined.compareAndSet(false, true)) {
            leadership.join(FEATURE, () -> { }, () -> { });
        }
    }

    /** Leader-only: the other replicas skip the pass. */
    @Scheduled(identity = "expired-api-key-cleanup", every = "${maas.api-keys.cleanup-interval}",
            delayed = "${maas.api-keys.cleanup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pass() {
        if (!joined.get()) {
            if (!keys.anyExist()) {
                return;
            }
            join();
        }
        if (leadership.isLeader()) {
            cleanup.runOnce(Instant.now());
        }
    }
}
