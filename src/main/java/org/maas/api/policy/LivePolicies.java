package org.maas.api.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.maas.api.config.MaasConfig;
import org.maas.api.controller.Controllers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierIndex;
import org.maas.api.tier.TierCatalog;

/**
 * The policies for the tier config being served, rendered once per config version; with
 * {@code maas.policies.reconcile=true}, also kept in the cluster by the {@link PolicyReconciler} this starts.
 */
@ApplicationScoped
public class LivePolicies {

    /** Rendered policies and the config version they come from. */
    public record Rendition(TierIndex index, RenderedPolicies policies) {

        /** Both policies as YAML, headed by where they came from. */
        public String yaml() {
            return "# Rendered by maas-api from " + index.origin() + " (tier config version " + index.version()
                    + ").\n# Apply with: kubectl apply -f -\n" + policies.yaml();
        }
    }

    private final TierCatalog catalog;
    private final PolicyRenderer renderer;
    private final MaasConfig config;
    private volatile Rendition last;
    private volatile PolicyReconciler reconciler;

    LivePolicies(TierCatalog catalog, MaasConfig config) {
        this.catalog = catalog;
        this.config = config;
        this.renderer = new PolicyRenderer(config.gateway().namespace(), config.gateway().name(),
                config.policies().unmatched());
    }

    /** Runs the reconciler when reconcile is on; {@link Controllers} resyncs it at each tier config and closes it. */
    void start(@Observes StartupEvent event, Instance<KubernetesClient> client, Leadership leadership,
               Controllers controllers, MeterRegistry registry) {
        MaasConfig.Policies settings = config.policies();
        if (!settings.reconcile()) {
            return;
        }
        PolicyReconciler started = new PolicyReconciler(client.get(),
                new PolicyReconciler.Settings(settings.fieldManager(), settings.resyncInterval()), leadership,
                catalog::current, index -> of(index).policies(), registry);
        controllers.run(started.controller());
        reconciler = started;
    }

    /** Empty when reconcile is off. */
    Optional<PolicyReconciler> reconciler() {
        return Optional.ofNullable(reconciler);
    }

    /** The policies for the current config; 503 (an ApiException) until a valid config has loaded. */
    public Rendition current() {
        return of(catalog.served());
    }

    /** The policies for this config version. */
    public Rendition of(TierIndex index) {
        Rendition rendition = last;
        if (rendition == null || rendition.index() != index) {
            rendition = new Rendition(index, renderer.render(index.tiers()));
            last = rendition;
        }
        return rendition;
    }
}
