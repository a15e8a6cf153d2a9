package org.maas.api.model;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierCatalog;
import org.maas.api.tier.TierConfigApplied;

/**
 * Runs the model access reconciler when {@code maas.models.manage-access=true}: its informer and thread
 * belong to {@link Informers}, its writes to the leader ({@link Leadership}); tier config changes reach it.
 */
@ApplicationScoped
class ModelAccessStarter {

    private static final Logger LOG = Logger.getLogger(ModelAccessStarter.class);
    static final String PREFERRED_VERSION = "v1alpha2";

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final MaasIdentity identity;
    private final MeterRegistry registry;
    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private final Leadership leadership;
    private volatile ModelAccessReconciler reconciler;

    ModelAccessStarter(MaasConfig config, TierCatalog catalog, MaasIdentity identity, MeterRegistry registry,
                       Instance<KubernetesClient> client, Informers informers, Leadership leadership) {
        this.config = config;
        this.catalog = catalog;
        this.identity = identity;
        this.registry = registry;
        this.client = client;
        this.informers = informers;
        this.leadership = leadership;
    }

    void start(@Observes StartupEvent event) {
        if (!config.models().manageAccess()) {
            return;
        }
        KubernetesClient kubernetes = client.get();
        ModelAccessReconciler started = new ModelAccessReconciler(kubernetes, new ModelAccessReconciler.Settings(
                config.gateway().name(), config.gateway().namespace(), config.policies().fieldManager(),
                servedVersion(kubernetes), config.models().accessResyncInterval()),
                leadership, identity, catalog::current, registry);
        informers.own("model-access", started);
        informers.start(Informers.Spec.reporting("model-access-models",
                "list and watch llminferenceservices.serving.kserve.io in all namespaces"), started::informer);
        started.start();
        reconciler = started;
    }

    /** Runs under the catalog's lock: only hands the work to the reconciler's thread. */
    void tierConfigApplied(@Observes TierConfigApplied event) {
        ModelAccessReconciler running = reconciler;
        if (running != null) {
            running.reconcileAll();
        }
    }

    /** v1alpha2 where the API server serves it, else v1alpha1; v1alpha2 when discovery fails (KServe 0.20 serves both). */
    static String servedVersion(KubernetesClient kubernetes) {
        try {
            APIGroup group = kubernetes.getApiGroup(AccessObjects.GROUP);
            List<String> versions = group == null || group.getVersions() == null ? List.of()
                    : group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList();
            return Objects.requireNonNullElse(ModelCatalog.newestKnown(versions), PREFERRED_VERSION);
        } catch (KubernetesClientException e) {
            LOG.warnf("discovery of %s failed (%s); watching %s", AccessObjects.GROUP, e.getMessage(), PREFERRED_VERSION);
            return PREFERRED_VERSION;
        }
    }
}
