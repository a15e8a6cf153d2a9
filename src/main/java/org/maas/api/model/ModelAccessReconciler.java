package org.maas.api.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.maas.api.controller.Controller;
import org.maas.api.controller.Controllers;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierIndex;

/**
 * Turns the tier annotation of each model on the MaaS gateway into a Role ({@code post} on that model)
 * and a RoleBinding to the tiers' groups in the model's namespace ({@link AccessObjects}), applied with
 * server-side apply under maas-api's field manager and owned by the model, so that deleting the model
 * deletes them (the garbage collector's job). A model that loses its annotation, its last valid tier, or
 * its place on the gateway loses them again; objects without maas-api's label are never written or deleted.
 *
 * <p>Every replica connects to KServe's informer ({@link KServe}, shared with the model list); only the leader
 * reads the RBAC objects and writes. All work runs on its {@link Controller}'s thread: a model change (a burst
 * of them runs once), a tier config change, becoming leader and every resync interval.
 */
public final class ModelAccessReconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelAccessReconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORBIDDEN = 403;
    static final String INVALID_REASON = "InvalidTierAnnotation";
    static final String NAME_TAKEN_REASON = "AccessObjectNotOwned";
    private static final String CONNECT = "connect";
    private static final Duration RECONNECT = Duration.ofSeconds(30);

    /** The gateway whose models count, maas-api's field manager and the resync interval. */
    public record Settings(String gatewayName, String gatewayNamespace, String fieldManager, Duration resyncInterval) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Leadership leadership;
    private final MaasIdentity identity;
    private final Supplier<TierIndex> tiers;
    private final Supplier<Optional<KServe.Models>> source;
    private final Counter failures;
    private final MeterProvider<Counter> invalidTiers;
    private final ModelReader reader;
    private final Controller controller;
    /** The problems last reported per model (uid) and reason, so a resync does not repeat the Event. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    /**
     * Models (uid) this leader found without a Role and RoleBinding of maas-api's, or whose it deleted:
     * a resync does not read them again (two GETs per model) until they are granted or leadership changes.
     */
    private final Set<String> clean = ConcurrentHashMap.newKeySet();
    /** KServe's informer once connected (this reconciler's thread only writes it). */
    private volatile KServe.Models models;

    /**
     * @param source KServe's informer ({@link KServe#models}): empty while KServe serves no version, throws while
     *               discovery fails; asked on this reconciler's thread until it answers
     */
    public ModelAccessReconciler(KubernetesClient client, Settings settings, Leadership leadership,
                                 MaasIdentity identity, Supplier<TierIndex> tiers, MeterRegistry registry,
                                 Supplier<Optional<KServe.Models>> source) {
        this.client = client;
        this.settings = settings;
        this.leadership = leadership;
        this.identity = identity;
        this.tiers = tiers;
        this.source = source;
        this.reader = new ModelReader(settings.gatewayName(), settings.gatewayNamespace());
        this.failures = Counter.builder("maas_model_access_failures")
                .description("Model access reconciles that failed on a Kubernetes API call (retried at the next change or resync)")
                .withRegistry(registry).withTags();
        this.invalidTiers = Counter.builder("maas_model_access_invalid_tiers")
                .description("Problems with models' tier annotations, reported once each as a Warning Event, by reason")
                .withRegistry(registry);
        // Not leader-only: every replica connects its informer (a new leader starts warm); the work checks the Lease.
        this.controller = new Controller(new Controller.Settings("model-access", settings.resyncInterval(), false),
                leadership, this::reconcileEveryModel, clean::clear); // another replica may have written meanwhile
    }

    /** What {@link Controllers#run} starts. */
    Controller controller() {
        return controller;
    }

    /** Joins the leader election, connects to KServe's informer and starts the resync (the application: {@link Controllers#run}). */
    public void start() {
        controller.start();
        connectSoon();
    }

    /** Connects to KServe's informer on this reconciler's thread, now or, while it is not there, every {@link #RECONNECT}. */
    void connectSoon() {
        controller.enqueue(CONNECT, this::connect);
    }

    /** The tier config changed (or leadership was gained): every model again. Completes when done. */
    public Future<?> reconcileAll() {
        return controller.resyncNow();
    }

    /** Until connected: tries, and if KServe's informer is not there yet, tries again in {@link #RECONNECT}. */
    private void connect() {
        if (!connected()) {
            controller.enqueueAfter(RECONNECT, CONNECT, this::connect);
        }
    }

    /** Adds this reconciler's handler to KServe's informer, once (it is then told every model the informer holds). */
    private boolean connected() {
        if (models != null) {
            return true;
        }
        Optional<KServe.Models> served;
        try {
            served = source.get();
        } catch (RuntimeException e) { // discovery failed (KubernetesFailures logged why)
            return false;
        }
        if (served.isEmpty()) {
            return false;
        }
        served.get().informer().addEventHandler(new Handler());
        models = served.get();
        return true;
    }

    /** Informer events: only hand work over. */
    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        @Override
        public void onAdd(GenericKubernetesResource model) {
            changed(Cache.metaNamespaceKeyFunc(model));
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource model) {
            changed(Cache.metaNamespaceKeyFunc(model));
        }

        @Override
        public void onDelete(GenericKubernetesResource model, boolean finalStateUnknown) {
            // Its Role and RoleBinding go with it (ownerReference): only forget what was reported.
            String uid = uid(model);
            reported.keySet().removeIf(key -> key.startsWith(uid + "/"));
            clean.remove(uid);
        }
    }

    private void changed(String key) {
        controller.enqueue("model/" + key, () -> reconcileKey(key));
    }

    private void reconcileEveryModel() {
        if (!connected() || !controller.isLeader()) {
            return;
        }
        for (GenericKubernetesResource model : models.informer().getStore().list()) {
            reconcile(model);
        }
    }

    private void reconcileKey(String key) {
        KServe.Models connected = models;
        GenericKubernetesResource model = connected == null ? null : connected.informer().getStore().getByKey(key);
        if (model != null && controller.isLeader()) {
            reconcile(model);
        }
    }

    private void reconcile(GenericKubernetesResource model) {
        String where = model.getMetadata().getNamespace() + "/" + model.getMetadata().getName();
        try {
            TierIndex index = tiers.get();
            if (index == null) {
                return; // no tier config served yet: nothing to resolve tier names against, nothing to change
            }
            String value = annotation(model);
            TierAnnotation grant = value != null && onGateway(model) ? TierAnnotation.parse(value, index)
                    : TierAnnotation.none();
            if (grant.tiers().isEmpty()) {
                remove(model);
            } else {
                apply(model, grant);
            }
            // After the grant: an Event the API server refuses must not cost the valid tiers their access.
            report(model, grant.problems());
        } catch (KubernetesClientException e) {
            failures.increment();
            if (e.getCode() == FORBIDDEN) {
                LOG.warnf("RBAC: maas-api's ServiceAccount may not manage the access to model %s (%s): apply"
                        + " overlays/model-access; retried at the next change or resync", where,
                        KubernetesFailures.describe(e));
                return;
            }
            LOG.warnf("model access for %s failed: HTTP %d %s; retried at the next change or resync", where,
                    e.getCode(), e.getMessage());
        } catch (RuntimeException e) { // one model's failure must not stop the others' resync
            failures.increment();
            LOG.errorf(e, "model access for %s failed", where);
        }
    }

    private void apply(GenericKubernetesResource model, TierAnnotation grant) {
        clean.remove(uid(model));
        Role role = AccessObjects.role(model, models.apiVersion());
        RoleBinding binding = AccessObjects.binding(model, models.apiVersion(), grant.tiers(), identity);
        Resource<Role> roleResource = client.rbac().roles().inNamespace(namespace(model)).resource(role);
        Resource<RoleBinding> bindingResource = client.rbac().roleBindings().inNamespace(namespace(model)).resource(binding);
        Role liveRole = roleResource.get();
        RoleBinding liveBinding = bindingResource.get();
        if (notOurs(model, liveRole) || notOurs(model, liveBinding)) {
            return;
        }
        if (liveRole == null || !AccessObjects.current(liveRole, role)) {
            write(() -> roleResource.fieldManager(settings.fieldManager()).forceConflicts().serverSideApply(),
                    "applied Role", role);
        }
        if (liveBinding == null || !AccessObjects.current(liveBinding, binding)) {
            write(() -> bindingResource.fieldManager(settings.fieldManager()).forceConflicts().serverSideApply(),
                    "applied RoleBinding (tiers " + grant.tiers() + ")", binding);
        }
    }

    private void remove(GenericKubernetesResource model) {
        if (clean.contains(uid(model))) {
            return;
        }
        String name = AccessObjects.name(model.getMetadata().getName());
        Resource<RoleBinding> binding = client.rbac().roleBindings().inNamespace(namespace(model)).withName(name);
        Resource<Role> role = client.rbac().roles().inNamespace(namespace(model)).withName(name);
        RoleBinding liveBinding = binding.get();
        if (liveBinding != null && AccessObjects.ours(liveBinding)) {
            write(binding::delete, "deleted RoleBinding", liveBinding);
        }
        Role liveRole = role.get();
        if (liveRole != null && AccessObjects.ours(liveRole)) {
            write(role::delete, "deleted Role", liveRole);
        }
        if (controller.isLeader()) {
            clean.add(uid(model));
        }
    }

    /** Writes only while leading: checked right before the call, so a replica that lost the Lease stops here. */
    private void write(Runnable call, String what, HasMetadata object) {
        if (!controller.isLeader()) {
            return;
        }
        call.run();
        LOG.infof("model access: %s %s/%s (field manager %s)", what, object.getMetadata().getNamespace(),
                object.getMetadata().getName(), settings.fieldManager());
    }

    /** A Role or RoleBinding with maas-api's name but not its label is someone else's: left alone, and said so. */
    private boolean notOurs(GenericKubernetesResource model, HasMetadata live) {
        if (live == null || AccessObjects.ours(live)) {
            return false;
        }
        String message = live.getKind() + " " + live.getMetadata().getName() + " exists without the label "
                + AccessObjects.MANAGED_BY + "=" + AccessObjects.MANAGER + ": maas-api does not change it, so the"
                + " tier annotation grants nothing until it is renamed or removed";
        report(model, List.of(new TierAnnotation.Problem("not_owned", message)), NAME_TAKEN_REASON);
        return true;
    }

    private void report(GenericKubernetesResource model, List<TierAnnotation.Problem> problems) {
        report(model, problems, INVALID_REASON);
    }

    private void report(GenericKubernetesResource model, List<TierAnnotation.Problem> problems, String reason) {
        String key = uid(model) + "/" + reason;
        if (problems.isEmpty()) {
            reported.remove(key);
            return;
        }
        String message = String.join("; ", problems.stream().map(TierAnnotation.Problem::message).toList());
        if (message.equals(reported.get(key)) || !controller.isLeader()) {
            return; // reported already (a resync), or not ours to report
        }
        LOG.warnf("model %s/%s: %s", namespace(model), model.getMetadata().getName(), message);
        client.v1().events().inNamespace(namespace(model)).resource(warning(model, reason, message)).create();
        reported.put(key, message);
        // counted once reported: an Event refused (say, in a namespace being deleted) is retried, not counted twice
        for (TierAnnotation.Problem problem : problems) {
            invalidTiers.withTags("reason", problem.reason()).increment();
        }
    }

    private Event warning(GenericKubernetesResource model, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC));
        return new EventBuilder()
                .withNewMetadata().withName(eventName(model.getMetadata().getName()))
                .withNamespace(namespace(model)).endMetadata()
                .withNewInvolvedObject().withApiVersion(models.apiVersion()).withKind(AccessObjects.KIND)
                .withName(model.getMetadata().getName()).withNamespace(namespace(model))
                .withUid(model.getMetadata().getUid()).endInvolvedObject()
                .withType("Warning").withReason(reason).withMessage(message)
                .withNewSource().withComponent(AccessObjects.MANAGER).endSource()
                .withReportingComponent(AccessObjects.MANAGER)
                .withReportingInstance(Objects.requireNonNullElse(leadership.identity(), AccessObjects.MANAGER))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
    }

    /**
     * Attached through {@code spec.router.gateway.refs} or the route KServe creates from the model's inline
     * route spec. A model attached only through an HTTPRoute it names ({@code spec.router.route.http.refs})
     * is not granted: that would need an informer on HTTPRoutes too.
     */
    private boolean onGateway(GenericKubernetesResource model) {
        return reader.attached(JSON.valueToTree(model), route -> null);
    }

    private static String annotation(GenericKubernetesResource model) {
        Map<String, String> annotations = model.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(TierAnnotation.KEY);
    }

    /** Like kubectl's: the object's name and a unique suffix, within the 253 characters of a name. */
    private static String eventName(String model) {
        String suffix = "." + Long.toHexString(System.nanoTime());
        return model.substring(0, Math.min(model.length(), 253 - suffix.length())) + suffix;
    }

    private static String uid(HasMetadata object) {
        return Objects.requireNonNullElse(object.getMetadata().getUid(), "");
    }

    private static String namespace(HasMetadata object) {
        return object.getMetadata().getNamespace();
    }

    @Override
    public void close() {
        controller.close();
    }
}
