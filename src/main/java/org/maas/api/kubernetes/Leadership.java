package org.maas.api.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;

/**
 * This replica's one leader election, shared by all leader-only work (policy reconcile, model access):
 * one Lease ({@code maas.policies.lease-*}), so one replica does all of it. Nothing joins until a
 * feature that needs a leader is enabled and calls {@link #join}; the election is then owned by
 * {@link Informers}, which closes it on shutdown (releasing the Lease, so another replica takes over).
 *
 * <p>Callbacks run on fabric8's election thread: they must only hand work to the feature's own thread.
 * Work that writes checks {@link #isLeader()} right before it writes.
 */
@ApplicationScoped
public class Leadership implements Election, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    /** The Lease, this replica's identity in it, and the timings. */
    public record Settings(String leaseNamespace, String leaseName, String identity, Duration leaseDuration,
                           Duration renewDeadline, Duration retryPeriod) {
    }

    private record Follower(String feature, Runnable gained, Runnable lost) {
    }

    private final Supplier<KubernetesClient> client;
    private final Supplier<Settings> settings;
    private final Informers informers;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile boolean leader;
    private volatile String leaderIdentity;
    private volatile Settings running;
    private CompletableFuture<?> election;
    private boolean closed;

    @Inject
    Leadership(MaasConfig config, Instance<KubernetesClient> client, Informers informers) {
        this.client = client::get;
        this.informers = informers;
        this.settings = () -> {
            MaasConfig.Policies lease = config.policies();
            // The pod name, plus a suffix so that a restarted pod never mistakes the old holder for itself.
            String identity = System.getenv().getOrDefault("HOSTNAME", "maas-api") + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            return new Settings(lease.leaseNamespace().orElseGet(() -> client.get().getNamespace()),
                    lease.leaseName(), identity, lease.leaseDuration(), lease.leaseRenewDeadline(),
                    lease.leaseRetryPeriod());
        };
    }

    /** An election of its own (tests: several replicas in one JVM); the caller closes it. */
    public Leadership(KubernetesClient client, Settings settings) {
        this.client = () -> client;
        this.settings = () -> settings;
        this.informers = null;
    }

    /**
     * A leader-only feature takes part: joins the election on the first call, and from then on calls
     * {@code gained} whenever this replica becomes leader (at once if it is already) and {@code lost}
     * when it stops being one.
     */
    @Override
    public synchronized void join(String feature, Runnable gained, Runnable lost) {
        if (closed) {
            return;
        }
        followers.add(new Follower(feature, gained, lost));
        if (election == null) {
            start();
        } else if (leader) {
            gained.run();
        }
        LOG.infof("%s runs on the leader only (lease %s/%s)", feature, running.leaseNamespace(), running.leaseName());
    }

    private void start() {
        Settings own = settings.get();
        running = own;
        election = client.get().leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(own.leaseName())
                .withLock(new LeaseLock(own.leaseNamespace(), own.leaseName(), own.identity()))
                .withLeaseDuration(own.leaseDuration())
                .withRenewDeadline(own.renewDeadline())
                .withRetryPeriod(own.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
                .build()).build().start();
        if (informers != null) {
            informers.own("leader-election", this);
        }
        LOG.infof("%s joins the election on lease %s/%s", own.identity(), own.leaseNamespace(), own.leaseName());
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    /** The current holder as last seen, if any. */
    public Optional<String> leaderIdentity() {
        return Optional.ofNullable(leaderIdentity);
    }

    /** This replica's identity in the Lease; null before the first {@link #join}. */
    public String identity() {
        Settings own = running;
        return own == null ? null : own.identity();
    }

    private void startedLeading() {
        leader = true;
        LOG.infof("%s leads: %s", identity(), followers.stream().map(Follower::feature).toList());
        followers.forEach(f -> f.gained().run());
    }

    private void stoppedLeading() {
        leader = false;
        LOG.infof("%s no longer leads", identity());
        followers.forEach(f -> f.lost().run());
    }

    private void newLeader(String identity) {
        leaderIdentity = identity;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (election != null) {
            election.cancel(true); // releases the Lease, so another replica takes over at once
        }
        leader = false;
    }
}
