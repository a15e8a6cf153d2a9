package org.maas.api.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.maas.api.controller.Controller;
import org.maas.api.controller.Controllers;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierIndex;

/**
 * Keeps the gateway policies in the cluster equal to the ones rendered from the tier config being
 * served. Every replica compares (read only) and reports whether the policies are in sync; only the
 * replica holding the Lease ({@link Leadership}) applies, with server-side apply under its own field manager and force, so
 * maas-api owns the fields it renders and two replicas never apply at once. A rejected tier config is
 * never served, so it is never applied: the last good one stays in the cluster.
 *
 * <p>All work runs on its {@link Controller}'s one thread, so reconciles never overlap, and a burst of changes waiting
 * to be applied is applied once.
 */
public final class PolicyReconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PolicyReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORBIDDEN = 403;
    public static final ResourceDefinitionContext RATE_LIMIT_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("kuadrant.io").withVersion("v1").withKind("RateLimitPolicy").withPlural("ratelimitpolicies")
            .withNamespaced(true).build();
    public static final ResourceDefinitionContext TOKEN_RATE_LIMIT_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("kuadrant.io").withVersion("v1alpha1").withKind("TokenRateLimitPolicy")
            .withPlural("tokenratelimitpolicies").withNamespaced(true).build();

    /** Field manager of the applies, and how often the policies are compared. */
    public record Settings(String fieldManager, Duration resyncInterval) {
    }

    /**
     * The outcome of the latest reconcile. {@code result}: waiting (no tier config yet), applied (this
     * replica applied a change), in-sync (nothing to apply), standby (another replica applies),
     * failed (see message).
     */
    public record Status(String result, long tierConfigVersion, Instant at, String message) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Leadership leadership;
    private final Supplier<TierIndex> current;
    private final Function<TierIndex, RenderedPolicies> render;
    private final Controller controller;
    private final Map<String, AtomicInteger> inSync = new HashMap<>();
    private final Map<String, Counter> drift = new HashMap<>();
    /** Spec this replica last applied, per policy: a live spec that differs from it was changed by someone else. */
    private final Map<String, JsonNode> lastApplied = new HashMap<>();
    private volatile Status status = new Status("waiting", 0, Instant.now(), "not reconciled yet");

    public PolicyReconciler(KubernetesClient client, Settings settings, Leadership leadership,
                            Supplier<TierIndex> current, Function<TierIndex, RenderedPolicies> render,
                            MeterRegistry registry) {
        this.client = client;
        this.settings = settings;
        this.leadership = leadership;
        this.current = current;
        this.render = render;
        // Not leader-only: every replica compares and reports; only the applies wait for the Lease.
        this.controller = new Controller(new Controller.Settings("policy-reconcile", settings.resyncInterval(), false),
                leadership, this::reconcile, () -> { });
        MeterProvider<Counter> drifted = Counter.builder("maas_policy_drift")
                .description("Times a managed policy was found changed by someone other than maas-api")
                .withRegistry(registry);
        // Gauges have no MeterProvider: each reads a value of its own.
        for (String policy : List.of(PolicyRenderer.RATE_LIMIT_POLICY, PolicyRenderer.TOKEN_RATE_LIMIT_POLICY)) {
            AtomicInteger value = new AtomicInteger();
            inSync.put(policy, value);
            Gauge.builder("maas_policy_in_sync", value, AtomicInteger::get).tag("policy", policy)
                    .description("1 when the policy in the cluster equals the one rendered from the tier config")
                    .register(registry);
            drift.put(policy, drifted.withTags("policy", policy));
        }
    }

    /** What {@link Controllers#run} starts: the election, the periodic drift check; for tests of their own. */
    Controller controller() {
        return controller;
    }

    /** Joins the leader election and starts the periodic drift check (the application: {@link Controllers#run}). */
    public void start() {
        controller.start();
    }

    /** The tier config changed: reconcile soon. The future completes when that reconcile has run. */
    public Future<?> configChanged() {
        return controller.resyncNow();
    }

    public boolean isLeader() {
        return controller.isLeader();
    }

    public Status status() {
        return status;
    }

    /** Per policy, whether the cluster held the rendered spec at the latest check. */
    public Map<String, Boolean> inSync() {
        Map<String, Boolean> result = new HashMap<>();
        inSync.forEach((policy, value) -> result.put(policy, value.get() == 1));
        return result;
    }

    private void reconcile() {
        try {
            TierIndex index = current.get();
            if (index == null) {
                status = new Status("waiting", 0, Instant.now(), "no valid tier config has been loaded yet");
                return;
            }
            RenderedPolicies policies = render.apply(index);
            List<String> applied = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            reconcileOne(policies.rateLimitPolicy(), RATE_LIMIT_POLICIES, applied, failed);
            reconcileOne(policies.tokenRateLimitPolicy(), TOKEN_RATE_LIMIT_POLICIES, applied, failed);
            status = summary(index.version(), applied, failed);
        } catch (RuntimeException e) {
            LOG.error("policy reconcile failed", e);
            status = new Status("failed", 0, Instant.now(), e.toString());
        }
    }

    private void reconcileOne(GenericKubernetesResource desired, ResourceDefinitionContext context,
                              List<String> applied, List<String> failed) {
        String name = desired.getMetadata().getName();
        String where = desired.getMetadata().getNamespace() + "/" + name;
        Resource<GenericKubernetesResource> resource = client.genericKubernetesResources(context)
                .inNamespace(desired.getMetadata().getNamespace()).resource(desired);
        try {
            JsonNode want = spec(desired);
            GenericKubernetesResource live = resource.get();
            boolean same = live != null && want.equals(spec(live));
            if (!same && live != null && want.equals(lastApplied.get(name))) {
                drift.get(name).increment();
                LOG.warnf("%s was changed outside maas-api (other field managers: %s); re-applying the rendered spec",
                        where, otherManagers(live));
            }
            if (!same && controller.isLeader()) { // checked right before applying: a replica that lost the Lease stops here
                GenericKubernetesResource result = resource.fieldManager(settings.fieldManager()).forceConflicts()
                        .serverSideApply();
                lastApplied.put(name, want);
                applied.add(name);
                // Fields other managers added (say, an extra limit) survive the apply: still not in sync.
                same = result != null && want.equals(spec(result));
                LOG.infof("applied %s %s (server-side apply, field manager %s)", desired.getKind(), where,
                        settings.fieldManager());
            }
            inSync.get(name).set(same ? 1 : 0);
        } catch (KubernetesClientException e) {
            inSync.get(name).set(0);
            if (e.getCode() == FORBIDDEN) {
                String refused = KubernetesFailures.describe(e);
                failed.add(name + ": " + refused);
                LOG.warnf("RBAC: maas-api's ServiceAccount may not reconcile %s (%s): apply overlays/policy-reconcile"
                        + " (its Role in the gateway's namespace); retried at the next tier config change or resync",
                        where, refused);
                return;
            }
            failed.add(name + ": HTTP " + e.getCode() + " " + Objects.requireNonNullElse(e.getMessage(), ""));
            LOG.warnf("reconciling %s failed: HTTP %d %s", where, e.getCode(), e.getMessage());
        }
    }

    private Status summary(long version, List<String> applied, List<String> failed) {
        Instant now = Instant.now();
        if (!failed.isEmpty()) {
            return new Status("failed", version, now, String.join("; ", failed));
        }
        if (!applied.isEmpty()) {
            return new Status("applied", version, now, "applied " + String.join(", ", applied));
        }
        if (!leadership.isLeader()) {
            return new Status("standby", version, now, "another replica applies ("
                    + leadership.leaderIdentity().orElse("no leader elected yet") + ")");
        }
        return new Status("in-sync", version, now, "the cluster holds the rendered policies");
    }

    private List<String> otherManagers(GenericKubernetesResource live) {
        List<ManagedFieldsEntry> entries = live.getMetadata().getManagedFields();
        return entries == null ? List.of() : entries.stream().map(ManagedFieldsEntry::getManager)
                .filter(m -> m != null && !m.equals(settings.fieldManager())).distinct().sorted().toList();
    }

    /** The spec as plain JSON, so a long 5 and an int 5 compare equal. */
    private static JsonNode spec(GenericKubernetesResource resource) {
        try {
            return JSON.readTree(JSON.writeValueAsString(resource.getAdditionalProperties().get("spec")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops this reconciler's thread; the election is {@link Leadership}'s to end. */
    @Override
    public void close() {
        controller.close();
    }
}
