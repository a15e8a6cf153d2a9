package org.maas.api.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import java.util.UUID;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.Informers;
import org.maas.api.tier.TierCatalog;
import org.maas.api.tier.TierConfigApplied;

/**
 * Runs the policy reconciler when {@code maas.policies.reconcile=true}, fed by tier config changes. Its
 * leader election and thread belong to {@link Informers}, which closes them (releasing the Lease) on shutdown.
 */
@ApplicationScoped
class PolicyReconcilerStarter {

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final LivePolicies policies;
    private final MeterRegistry registry;
    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private volatile PolicyReconciler reconciler;

    PolicyReconcilerStarter(MaasConfig config, TierCatalog catalog, LivePolicies policies, MeterRegistry registry,
                            Instance<KubernetesClient> client, Informers informers) {
        this.config = config;
        this.catalog = catalog;
        this.policies = policies;
        this.registry = registry;
        this.client = client;
        this.informers = informers;
    }

    void start(@Observes StartupEvent event) {
        MaasConfig.Policies settings = config.policies();
        if (!settings.reconcile()) {
            return;
        }
        KubernetesClient kubernetes = client.get();
        // The pod name, plus a suffix so that a restarted pod never mistakes the old holder for itself.
        String identity = System.getenv().getOrDefault("HOSTNAME", "maas-api") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        PolicyReconciler started = new PolicyReconciler(kubernetes, new PolicyReconciler.Settings(
                settings.fieldManager(), settings.leaseNamespace().orElseGet(kubernetes::getNamespace),
                settings.leaseName(), identity, settings.leaseDuration(), settings.leaseRenewDeadline(),
                settings.leaseRetryPeriod(), settings.resyncInterval()),
                catalog::current, index -> policies.of(index).policies(), registry);
        informers.own("policy-reconcile", started);
        started.start();
        reconciler = started;
    }

    /** Runs under the catalog's lock: only hands the work to the reconciler's thread. */
    void tierConfigApplied(@Observes TierConfigApplied event) {
        PolicyReconciler running = reconciler;
        if (running != null) {
            running.configChanged();
        }
    }

    /** Empty when reconcile is off. */
    Optional<PolicyReconciler> reconciler() {
        return Optional.ofNullable(reconciler);
    }
}
