package org.maas.api.model;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.controller.Controllers;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierCatalog;

/**
 * KServe's LLMInferenceServices as maas-api reads them: which version the API server serves (one discovery) and
 * the one informer on all of them, shared by the model list ({@link ModelCatalog}) and the access reconciler
 * ({@link ModelAccessReconciler}, which this starts when {@code maas.models.manage-access=true}), each adding its
 * own handler. Nothing is asked until one of them needs it.
 *
 * <p>Discovery that fails (the API server down, RBAC) is no answer: nothing is remembered, the caller gets the
 * 503 and asks again (a request, or the reconciler's retry). Guessing a version instead would start a watch on
 * a resource that may not exist, and a cluster with only v1alpha1 would then list nothing until a restart.
 * Discovery that answers "none served" (KServe not installed) is remembered for {@link #REDISCOVERY}.
 */
@ApplicationScoped
public class KServe {

    private static final Logger LOG = Logger.getLogger(KServe.class);
    static final String GROUP = AccessObjects.GROUP;
    /** Newest first: the first one the API server serves is used. */
    static final List<String> VERSIONS = List.of("v1alpha2", "v1alpha1");
    private static final Duration REDISCOVERY = Duration.ofSeconds(30);

    /** The served version and the running informer on every LLMInferenceService of it. */
    public record Models(String version, SharedIndexInformer<GenericKubernetesResource> informer) {

        /** {@code serving.kserve.io/<version>}, as owner references and Events name it. */
        public String apiVersion() {
            return GROUP + "/" + version;
        }
    }

    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private volatile Models models;
    /** Set when discovery found no served version: when to ask again (System.nanoTime). */
    private volatile Long notServedUntil;

    KServe(Instance<KubernetesClient> client, Informers informers) {
        this.client = client;
        this.informers = informers;
    }

    /**
     * The informer (started on the first call, not waited for), or empty while the API server serves no known
     * version.
     *
     * @throws ApiException 503 (or 500 for a refusal) when discovery failed: nothing is remembered
     */
    public Optional<Models> models() {
        Models known = models;
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (this) {
            if (models != null) {
                return Optional.of(models);
            }
            Long until = notServedUntil;
            if (until != null && System.nanoTime() - until < 0) {
                return Optional.empty();
            }
            String version = servedVersion(client.get());
            if (version == null) {
                notServedUntil = System.nanoTime() + REDISCOVERY.toNanos();
                LOG.warnf("the API server serves none of %s/%s: no LLMInferenceServices (KServe) to list;"
                        + " asking again in %s", GROUP, VERSIONS, REDISCOVERY);
                return Optional.empty();
            }
            ResourceDefinitionContext context = context(version);
            SharedIndexInformer<GenericKubernetesResource> informer = informers.start(Informers.Spec.reporting(
                    "llminferenceservices", "list/watch llminferenceservices.serving.kserve.io (all namespaces)"),
                    kubernetes -> kubernetes.genericKubernetesResources(context).inAnyNamespace().runnableInformer(0));
            LOG.infof("reading models from %s/%s LLMInferenceServices", GROUP, version);
            models = new Models(version, informer);
            return Optional.of(models);
        }
    }

    /** With manage-access on: the reconciler, on its own thread, connects to {@link #models} and writes as leader. */
    void startAccessReconciler(@Observes StartupEvent event, MaasConfig config, TierCatalog catalog,
                               MaasIdentity identity, MeterRegistry registry, Leadership leadership,
                               Controllers controllers) {
        if (!config.models().manageAccess()) {
            return;
        }
        ModelAccessReconciler reconciler = new ModelAccessReconciler(client.get(), new ModelAccessReconciler.Settings(
                config.gateway().name(), config.gateway().namespace(), config.policies().fieldManager(),
                config.models().accessResyncInterval()), leadership, identity, catalog::current, registry, this::models);
        controllers.run(reconciler.controller());
        reconciler.connectSoon();
    }

    /** The LLMInferenceServices of this version. */
    static ResourceDefinitionContext context(String version) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version)
                .withKind(AccessObjects.KIND).withPlural(AccessObjects.RESOURCE).withNamespaced(true).build();
    }

    /** The newest known version the API server serves; null when it serves none. */
    static String servedVersion(KubernetesClient kubernetes) {
        APIGroup group;
        try {
            group = kubernetes.getApiGroup(GROUP);
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "discover the API group " + GROUP);
        }
        return group == null || group.getVersions() == null ? null
                : newestKnown(group.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList());
    }

    /** The newest of {@link #VERSIONS} among the served versions; null when none is served. */
    static String newestKnown(Collection<String> served) {
        return VERSIONS.stream().filter(served::contains).findFirst().orElse(null);
    }
}
