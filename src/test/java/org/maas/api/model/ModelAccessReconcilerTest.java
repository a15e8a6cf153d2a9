package org.maas.api.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.Identities;
import org.maas.api.testing.ControlPlane;
import org.maas.api.tier.InvalidTierConfigException;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/**
 * A model's tier annotation on the real control plane: the reconciler authenticates as a maas-api
 * ServiceAccount bound to the shipped RBAC plus overlays/model-access, so every write it makes passes the real
 * RBAC (escalation prevention included) and server-side apply; fixtures and checks use the admin client. Each
 * test has a namespace and a Lease of its own.
 */
class ModelAccessReconcilerTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final String MAAS_NAMESPACE = "maas-api-model-access-rt";
    private static final String GATEWAY = "model-access-rt-gw";
    private static final String GATEWAY_NS = "openshift-ingress";
    private static final MaasIdentity IDENTITY = Identities.forGateway(GATEWAY);
    private static final ResourceDefinitionContext MODELS = KServe.context("v1alpha2");
    private static final String ALL_TIERS = """
            - {name: free, level: 0, groups: [a]}
            - {name: premium, level: 1, groups: [b]}
            - {name: enterprise, level: 2, groups: [c]}
            """;

    private static String token;
    private final String ns = "mar-" + UUID.randomUUID().toString().substring(0, 8);
    /** A Lease of the test's own, so that one test's replica never waits for another's to expire. */
    private final String lease = ns + "-lease";
    private final KubernetesClient admin = PLANE.admin();
    private final AtomicReference<TierIndex> tiers = new AtomicReference<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ModelAccessReconciler reconciler;
    private Leadership leadership;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    @BeforeEach
    void setUp() {
        synchronized (ModelAccessReconcilerTest.class) {
            if (token == null) {
                PLANE.installCrds();
                token = PLANE.maasApi(MAAS_NAMESPACE, new String[] {"model-access"});
            }
        }
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        tiers.set(index(1, ALL_TIERS));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        // Gone before the next test: its reconciler watches every namespace and would see these models.
        admin.genericKubernetesResources(MODELS).inNamespace(ns).delete();
        await("this test's models are gone").atMost(WITHIN)
                .until(() -> admin.genericKubernetesResources(MODELS).inNamespace(ns).list().getItems().isEmpty());
        admin.namespaces().withName(ns).delete();
    }

    @Test
    void anAnnotatedModelGetsOneRoleAndOneRoleBindingToItsTiers() {
        start("replica-a");
        GenericKubernetesResource model = createModel("m1", "[\"premium\", \"free\"]", GATEWAY_NS);
        RoleBinding binding = awaitBinding("m1", List.of("free", "premium"));
        Role role = role("m1");
        assertNotNull(role);

        String name = "maas-model-m1-access";
        assertEquals(name, role.getMetadata().getName());
        assertEquals(name, binding.getMetadata().getName());
        assertFalse(name.endsWith("-model-post-access") || name.endsWith("-model-post-access-tier-binding"),
                "upstream's clean-up matches these suffixes");
        assertEquals(List.of(new PolicyRuleBuilder().withApiGroups("serving.kserve.io").withResources("llminferenceservices")
                .withResourceNames("m1").withVerbs("post").build()), role.getRules());
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(name, binding.getRoleRef().getName());
        assertEquals("rbac.authorization.k8s.io", binding.getRoleRef().getApiGroup());
        for (var object : List.of(role, binding)) {
            assertEquals("maas-api", object.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
            OwnerReference owner = object.getMetadata().getOwnerReferences().get(0);
            assertEquals(1, object.getMetadata().getOwnerReferences().size());
            assertEquals("serving.kserve.io/v1alpha2", owner.getApiVersion());
            assertEquals("LLMInferenceService", owner.getKind());
            assertEquals("m1", owner.getName());
            assertEquals(model.getMetadata().getUid(), owner.getUid());
            assertTrue(owner.getController());
            assertTrue(owner.getBlockOwnerDeletion());
            // written by server-side apply under maas-api's field manager, and by nobody else
            assertEquals(List.of("maas-api/Apply"), object.getMetadata().getManagedFields().stream()
                    .map(f -> f.getManager() + "/" + f.getOperation()).toList());
        }

        // Up to date: a resync writes nothing (the objects keep their resourceVersion).
        String roleVersion = role.getMetadata().getResourceVersion();
        String bindingVersion = binding.getMetadata().getResourceVersion();
        reconcileAll();
        assertEquals(roleVersion, role("m1").getMetadata().getResourceVersion());
        assertEquals(bindingVersion, binding("m1").getMetadata().getResourceVersion());
    }

    @Test
    void itFollowsAnnotationEditsAndRemovalButLeavesModelDeletionToTheGarbageCollector() {
        start("replica-a");
        createModel("m2", "[\"free\"]", GATEWAY_NS);
        awaitBinding("m2", List.of("free"));

        annotate("m2", "[\"enterprise\"]");
        awaitBinding("m2", List.of("enterprise"));
        annotate("m2", "[]");
        awaitBinding("m2", List.of("enterprise", "free", "premium"));

        annotate("m2", null);
        await("annotation gone: grant gone").atMost(WITHIN).until(() -> role("m2") == null && binding("m2") == null);

        createModel("m3", "[\"free\"]", GATEWAY_NS);
        awaitBinding("m3", List.of("free"));
        admin.genericKubernetesResources(MODELS).inNamespace(ns).withName("m3").delete();
        // maas-api's objects are owned by the model: the API server's garbage collector removes them with it.
        await("the garbage collector deletes the grant with its model").atMost(WITHIN)
                .until(() -> role("m3") == null && binding("m3") == null);
    }

    @Test
    void aTierRemovedFromTheConfigLosesItsGrantAndIsReported() {
        start("replica-a");
        createModel("m4", "[\"free\", \"premium\"]", GATEWAY_NS);
        createModel("m5", "[\"premium\"]", GATEWAY_NS);
        awaitBinding("m4", List.of("free", "premium"));
        awaitBinding("m5", List.of("premium"));

        tiers.set(index(2, """
                - {name: free, level: 0, groups: [a]}
                - {name: enterprise, level: 2, groups: [c]}
                """));
        reconcileAll();
        assertEquals(List.of("free"), tiersOf(binding("m4")));
        assertNull(binding("m5"));
        assertNull(role("m5"));
        Event event = warning("m5");
        assertEquals(ModelAccessReconciler.INVALID_REASON, event.getReason());
        assertTrue(event.getMessage().contains("\"premium\""), event.getMessage());
        assertEquals(2.0, registry.get("maas_model_access_invalid_tiers").tag("reason", "unknown_tier").counter().count());
    }

    @Test
    void aMalformedAnnotationOrUnknownTierGivesAWarningEventAndNoGrantForThatEntry() {
        start("replica-a");
        createModel("bad", "\"free\"", GATEWAY_NS);
        await("a Warning Event").atMost(WITHIN).until(() -> warnings("bad").size() == 1);
        reconcileAll();
        assertNull(role("bad"));
        assertNull(binding("bad"));
        Event event = warnings("bad").get(0);
        assertEquals("Warning", event.getType());
        assertEquals(ModelAccessReconciler.INVALID_REASON, event.getReason());
        assertEquals("LLMInferenceService", event.getInvolvedObject().getKind());
        assertEquals("bad", event.getInvolvedObject().getName());
        assertTrue(event.getMessage().contains("JSON array"), event.getMessage());
        assertEquals(1.0, registry.get("maas_model_access_invalid_tiers").tag("reason", "malformed").counter().count());
        reconcileAll();
        assertEquals(1, warnings("bad").size(), "a resync does not repeat the Event");

        createModel("mixed", "[\"gold\", \"free\", 42]", GATEWAY_NS);
        awaitBinding("mixed", List.of("free"));
        Event mixed = warning("mixed");
        assertTrue(mixed.getMessage().contains("\"gold\"") && mixed.getMessage().contains("entry 2"), mixed.getMessage());
        assertEquals(2.0, registry.get("maas_model_access_invalid_tiers").tag("reason", "malformed").counter().count());
        assertEquals(1.0, registry.get("maas_model_access_invalid_tiers").tag("reason", "unknown_tier").counter().count());
    }

    @Test
    void modelsOnAnotherGatewayOrWithoutTheAnnotationGetNothing() {
        start("replica-a");
        createModel("elsewhere", "[\"free\"]", "other-namespace");
        createModel("plain", null, GATEWAY_NS);
        await("the informer has both").atMost(WITHIN).until(() -> cached("elsewhere") && cached("plain"));
        reconcileAll();
        assertNull(role("elsewhere"));
        assertNull(role("plain"));
        assertEquals(List.of(), admin.rbac().roles().inNamespace(ns).list().getItems());
        assertEquals(List.of(), admin.rbac().roleBindings().inNamespace(ns).list().getItems());

        // ...until something changes.
        annotate("plain", "[\"free\"]");
        awaitBinding("plain", List.of("free"));
    }

    private boolean cached(String model) {
        return informer.getStore().getByKey(ns + "/" + model) != null;
    }

    @Test
    void rbacObjectsWithoutMaasApisLabelAreNeverChangedOrDeleted() {
        Role foreign = new RoleBuilder().withNewMetadata().withName("maas-model-taken-access").withNamespace(ns)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "someone-else")).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get").build()).build();
        Role created = admin.rbac().roles().inNamespace(ns).resource(foreign).create();
        start("replica-a");
        createModel("taken", "[\"free\"]", GATEWAY_NS);
        await("a Warning Event").atMost(WITHIN).until(() -> warnings("taken").size() == 1);
        assertEquals(ModelAccessReconciler.NAME_TAKEN_REASON, warnings("taken").get(0).getReason());
        annotate("taken", null);
        reconcileAll();
        List<PolicyRule> rules = role("taken").getRules();
        assertEquals(foreign.getRules(), rules);
        assertNull(binding("taken"));
        Role after = role("taken");
        assertEquals(foreign.getMetadata().getLabels(), after.getMetadata().getLabels());
        assertEquals(created.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion(),
                "never written by maas-api");
    }

    @Test
    void aReplicaThatDoesNotLeadNeverWritesAndStartsWhenItLeads() throws Exception {
        // Another replica holds a live Lease.
        admin.leases().inNamespace(MAAS_NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(lease)
                .endMetadata().withNewSpec().withHolderIdentity("other-replica").withLeaseDurationSeconds(3600)
                .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).endSpec().build()).create();
        startWithoutWaiting("replica-b");
        createModel("m6", "[\"free\"]", GATEWAY_NS);
        createModel("m7", "\"oops\"", GATEWAY_NS);
        await("the informer has both").atMost(WITHIN).until(() -> cached("m6") && cached("m7"));
        reconcileAll();
        assertFalse(leadership.isLeader());
        assertEquals(List.of(), admin.rbac().roles().inNamespace(ns).list().getItems());
        assertEquals(List.of(), admin.rbac().roleBindings().inNamespace(ns).list().getItems());
        assertEquals(List.of(), warnings("m7"));

        // The holder goes away (the Lease is released): this replica takes over and writes.
        admin.leases().inNamespace(MAAS_NAMESPACE).withName(lease).delete();
        awaitBinding("m6", List.of("free"));
        await("a Warning Event").atMost(WITHIN).until(() -> warnings("m7").size() == 1);
        assertTrue(leadership.isLeader());
    }

    private void start(String replica) {
        startWithoutWaiting(replica);
        await("this replica leads").atMost(WITHIN).until(leadership::isLeader);
    }

    private void startWithoutWaiting(String replica) {
        KubernetesClient own = PLANE.clientAs(token, MAAS_NAMESPACE, replica);
        closing.add(own);
        leadership = new Leadership(own, new Leadership.Settings(MAAS_NAMESPACE, lease, replica + "-id",
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        closing.add(leadership);
        informer = own.genericKubernetesResources(MODELS).inAnyNamespace().runnableInformer(0);
        closing.add(informer::close);
        informer.start();
        KServe.Models models = new KServe.Models("v1alpha2", informer);
        reconciler = new ModelAccessReconciler(own, new ModelAccessReconciler.Settings(GATEWAY, GATEWAY_NS, "maas-api",
                Duration.ofHours(1)), leadership, IDENTITY, tiers::get, registry, () -> Optional.of(models));
        closing.add(reconciler);
        reconciler.start();
    }

    private void reconcileAll() {
        try {
            reconciler.reconcileAll().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TierIndex index(long version, String yaml) {
        try {
            return new TierIndex(version, "test", new TierConfigParser(IDENTITY).parse(yaml), IDENTITY, Optional.empty());
        } catch (InvalidTierConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private GenericKubernetesResource createModel(String name, String annotation, String gatewayNamespace) {
        GenericKubernetesResource model = new GenericKubernetesResourceBuilder().withApiVersion("serving.kserve.io/v1alpha2")
                .withKind("LLMInferenceService").withNewMetadata().withName(name).withNamespace(ns)
                .withAnnotations(annotation == null ? Map.of() : Map.of(TierAnnotation.KEY, annotation)).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("model", Map.of("uri", "hf://x/y"), "router",
                        Map.of("gateway", Map.of("refs", List.of(Map.of("name", GATEWAY, "namespace", gatewayNamespace))),
                                "route", Map.of()))))
                .build();
        return admin.genericKubernetesResources(MODELS).inNamespace(ns).resource(model).create();
    }

    private void annotate(String name, String annotation) {
        admin.genericKubernetesResources(MODELS).inNamespace(ns).withName(name).edit(m -> {
            Map<String, String> annotations = new java.util.HashMap<>(
                    m.getMetadata().getAnnotations() == null ? Map.of() : m.getMetadata().getAnnotations());
            if (annotation == null) {
                annotations.remove(TierAnnotation.KEY);
            } else {
                annotations.put(TierAnnotation.KEY, annotation);
            }
            m.getMetadata().setAnnotations(annotations);
            return m;
        });
    }

    private RoleBinding awaitBinding(String model, List<String> tiers) {
        await("RoleBinding of " + model + " to " + tiers).atMost(WITHIN)
                .until(() -> binding(model) != null && tiersOf(binding(model)).equals(tiers) && role(model) != null);
        return binding(model);
    }

    private Role role(String model) {
        return admin.rbac().roles().inNamespace(ns).withName(AccessObjects.name(model)).get();
    }

    private RoleBinding binding(String model) {
        return admin.rbac().roleBindings().inNamespace(ns).withName(AccessObjects.name(model)).get();
    }

    private static List<String> tiersOf(RoleBinding binding) {
        List<String> tiers = new ArrayList<>();
        for (Subject subject : binding.getSubjects()) {
            assertEquals("Group", subject.getKind());
            assertEquals("rbac.authorization.k8s.io", subject.getApiGroup());
            tiers.add(IDENTITY.tierOfNamespace(subject.getName().substring("system:serviceaccounts:".length())).orElseThrow());
        }
        return tiers;
    }

    private List<Event> warnings(String model) {
        return admin.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> model.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType())).toList();
    }

    private Event warning(String model) {
        List<Event> events = warnings(model);
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }
}
