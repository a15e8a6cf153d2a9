package org.maas.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.kubernetes.Informers;

/**
 * The LLMInferenceServices attached to the MaaS gateway, from informer caches of LLMInferenceServices and
 * HTTPRoutes in all namespaces: a request never lists the cluster. Started by the first GET /v1/models
 * (the tier lookup needs no cluster): the LLMInferenceServices are {@link KServe}'s informer, shared with the
 * access reconciler; the HTTPRoutes' informer is this catalog's, through {@link Informers}. The list shown is
 * computed again only after an informer reported a change.
 */
@ApplicationScoped
public class ModelCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ResourceDefinitionContext HTTP_ROUTES = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute")
            .withPlural("httproutes").withNamespaced(true).build();

    private final KServe kserve;
    private final Informers informers;
    private final ModelReader reader;
    private final Duration syncWait;
    private final AtomicLong changes = new AtomicLong();
    private volatile SharedIndexInformer<GenericKubernetesResource> services;
    private volatile SharedIndexInformer<GenericKubernetesResource> routes;
    private volatile Snapshot snapshot = new Snapshot(-1, List.of());

    private record Snapshot(long version, List<Model> models) {
    }

    @Inject
    ModelCatalog(KServe kserve, Informers informers, MaasConfig config) {
        this.kserve = kserve;
        this.informers = informers;
        this.reader = new ModelReader(config.gateway().name(), config.gateway().namespace());
        this.syncWait = config.models().syncWait();
    }

    /**
     * The models on the gateway, sorted by namespace and name. Run within the request's Kubernetes deadline.
     *
     * @throws ApiException 503 with Retry-After while the caches have not listed once (the API server
     *                      unreachable, or RBAC missing: the informer's log says which)
     */
    public List<Model> models() {
        if (!start()) {
            return List.of(); // KServe is not installed: no models
        }
        awaitSync();
        long version = changes.get();
        Snapshot current = snapshot;
        if (current.version() == version) {
            return current.models();
        }
        List<Model> models = compute();
        snapshot = new Snapshot(version, models);
        return models;
    }

    /**
     * The model's tier annotation ({@link TierAnnotation#KEY}) as its LLMInferenceService carries it now, or null
     * when it has none; for GET /v1/access, after {@link #models} returned the model.
     */
    public String tierAnnotation(Model model) {
        SharedIndexInformer<GenericKubernetesResource> informer = services;
        GenericKubernetesResource service = informer == null ? null : informer.getStore().getByKey(model.key());
        var annotations = service == null ? null : service.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(TierAnnotation.KEY);
    }

    /**
     * Whether the model's HTTPRoute ({@link Model#route}) exists and names the gateway as a parent, as the route
     * cache holds it now; for the doctor, after {@link #models} returned the model.
     */
    public boolean routedThroughGateway(Model model) {
        SharedIndexInformer<GenericKubernetesResource> informer = routes;
        GenericKubernetesResource route = informer == null || model.route() == null ? null
                : informer.getStore().getByKey(model.route());
        return route != null && reader.hasGatewayParent(JSON.valueToTree(route).path("spec"),
                route.getMetadata().getNamespace());
    }

    /** @return false when the API server serves no known version of serving.kserve.io */
    private boolean start() {
        if (services != null) {
            return true;
        }
        synchronized (this) {
            if (services != null) {
                return true;
            }
            Optional<KServe.Models> served = kserve.models();
            if (served.isEmpty()) {
                return false;
            }
            ResourceEventHandler<GenericKubernetesResource> changed = new Changes();
            routes = informers.start(Informers.Spec.reporting("httproutes",
                    "list/watch httproutes.gateway.networking.k8s.io (all namespaces)"),
                    kubernetes -> withHandler(kubernetes.genericKubernetesResources(HTTP_ROUTES).inAnyNamespace()
                            .runnableInformer(0), changed));
            // Running already, perhaps shared with the access reconciler: the handler is told every model held.
            services = withHandler(served.get().informer(), changed);
            return true;
        }
    }

    private static SharedIndexInformer<GenericKubernetesResource> withHandler(
            SharedIndexInformer<GenericKubernetesResource> informer, ResourceEventHandler<GenericKubernetesResource> handler) {
        informer.addEventHandler(handler);
        return informer;
    }

    /** Waits (up to sync-wait, or until the request's deadline interrupts) for both caches' first list. */
    private void awaitSync() {
        long until = System.nanoTime() + syncWait.toNanos();
        while (!(services.hasSynced() && routes.hasSynced())) {
            if (System.nanoTime() - until > 0) {
                throw ApiException.unavailable("the model list is not loaded yet (the Kubernetes API has not"
                        + " answered); retry shortly", KubernetesFailures.RETRY_AFTER_SECONDS);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("the model list is not loaded yet; retry shortly",
                        KubernetesFailures.RETRY_AFTER_SECONDS);
            }
        }
    }

    private List<Model> compute() {
        List<Model> models = new ArrayList<>();
        for (GenericKubernetesResource service : services.getStore().list()) {
            JsonNode json = JSON.valueToTree(service);
            if (reader.attached(json, this::route)) {
                models.add(reader.model(json, this::route));
            }
        }
        models.sort(Comparator.comparing(Model::namespace).thenComparing(Model::name));
        return List.copyOf(models);
    }

    private JsonNode route(String key) {
        GenericKubernetesResource route = routes.getStore().getByKey(key);
        return route == null ? null : JSON.valueToTree(route);
    }

    /** Any add, update or delete of either kind invalidates the computed list. */
    private final class Changes implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource obj) {
            changes.incrementAndGet();
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            changes.incrementAndGet();
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            changes.incrementAndGet();
        }
    }
}
