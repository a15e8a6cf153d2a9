package org.maas.api.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierCatalog;
import org.maas.api.tier.TierConfigApplied;

/**
 * Runs the policy reconciler when {@code maas.policies.reconcile=true}, fed by tier config changes. It
 * applies only while this replica leads ({@link Leadership}); its thread belongs to {@link Informers},
 * which closes it on shutdown.
 */
@ApplicationScoped
class PolicyReconcilerStarter {

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final LivePolicies policies;
    private final MeterRegistry registry;
    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private final Leadership leadership;
    private volatile PolicyReconciler reconciler;

    PolicyReconcilerStarter(MaasConfig config, TierCatalog catalog, LivePolicies policies, MeterRegistry registry,
                            Instance<KubernetesClient> client, Informers informers, Leadership leadership) {
        this.config = config;
        this.catalog = catalog;
        this.policies = policies;
        this.registry = registry;
        this.client = client;
        this.informers = informers;
        this.leadership = leadership;
    }

    void start(@Observes StartupEvent event) {
        MaasConfig.Policies settings = config.policies();
        if (!settings.reconcile()) {
            return;
        }
        PolicyReconciler started = new PolicyReconciler(client.get(),
                new PolicyReconciler.Settings(settings.fieldManager(), settings.resyncInterval()), leadership,
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
