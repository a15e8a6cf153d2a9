package org.maas.api.manifest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Revocation.GroupChange;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.model.ModelAccessReconciler;
import org.maas.api.token.GroupRevoker;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/**
 * The opt-in overlays grant what the code really calls: every request the leader election and the model
 * access reconciler send (recorded by the API stub, per User-Agent) is allowed by the overlay's rules,
 * evaluated the way the RBAC authorizer does (group, resource/subresource, verb, resourceNames, namespace).
 */
class OptInRbacCoversCallsTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String OWN_NAMESPACE = "maas-api"; // where the overlays put the Lease's Role
    private static final Pattern RESOURCE_PATH = Pattern.compile(
            "/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/?]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?");

    private final KubernetesApiStub api = new KubernetesApiStub();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One request as the RBAC authorizer sees it. */
    record Attributes(String group, String namespace, String resource, String name, String verb) {
    }

    @BeforeEach
    void start() {
        api.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        api.stop();
    }

    @Test
    void theLeaderElectionCallsAreAllowedByBothOverlays() throws Exception {
        Leadership leadership = leadership(client("elector"), "elector");
        leadership.join("test", () -> { }, () -> { });
        await("leads").atMost(WITHIN).until(leadership::isLeader);
        await("renewed the Lease").atMost(WITHIN)
                .until(() -> api.requestsFrom("elector").stream().filter(r -> r.startsWith("PATCH")).count() >= 2);
        leadership.close(); // releases the Lease
        List<String> calls = api.requestsFrom("elector");
        for (String overlay : List.of("overlays/policy-reconcile", "overlays/model-access", "overlays/group-revocation")) {
            assertAllowed(overlay, calls);
        }
    }

    @Test
    void theModelAccessReconcilerCallsAreAllowedByItsOverlay() throws Exception {
        KubernetesClient own = client("reconciler");
        MaasIdentity identity = Identities.forGateway("gw");
        TierIndex tiers = new TierIndex(1, "test", new TierConfigParser(identity).parse(
                "- {name: free, level: 0, groups: [a]}\n"), identity, Optional.empty());
        Leadership leadership = leadership(own, "reconciler");
        ModelAccessReconciler reconciler = new ModelAccessReconciler(own, new ModelAccessReconciler.Settings("gw",
                "openshift-ingress", "maas-api", "v1alpha2", Duration.ofHours(1)), leadership, identity, () -> tiers,
                new SimpleMeterRegistry());
        closing.add(reconciler);
        SharedIndexInformer<GenericKubernetesResource> informer = reconciler.informer(own);
        closing.add(informer::close);
        informer.start();
        reconciler.start();
        await("leads").atMost(WITHIN).until(leadership::isLeader);

        ResourceDefinitionContext models = new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io")
                .withVersion("v1alpha2").withKind("LLMInferenceService").withPlural("llminferenceservices")
                .withNamespaced(true).build();
        var model = api.client().genericKubernetesResources(models).inNamespace("llm");
        model.resource(new GenericKubernetesResourceBuilder().withApiVersion("serving.kserve.io/v1alpha2")
                .withKind("LLMInferenceService").withNewMetadata().withName("m").withNamespace("llm")
                .withAnnotations(Map.of("alpha.maas.opendatahub.io/tiers", "[\"free\"]")).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("router", Map.of("gateway", Map.of("refs",
                        List.of(Map.of("name", "gw", "namespace", "openshift-ingress")))))))
                .build()).create();
        var binding = api.client().rbac().roleBindings().inNamespace("llm").withName("maas-model-m-access");
        await("granted").atMost(WITHIN).until(() -> binding.get() != null);
        model.withName("m").edit(m -> {
            m.getMetadata().setAnnotations(Map.of("alpha.maas.opendatahub.io/tiers", "[\"gold\"]"));
            return m;
        });
        await("withdrawn").atMost(WITHIN).until(() -> binding.get() == null
                && api.client().rbac().roles().inNamespace("llm").withName("maas-model-m-access").get() == null);
        await("reported").atMost(WITHIN).until(() -> !api.client().v1().events().inNamespace("llm").list().getItems().isEmpty());

        List<String> calls = api.requestsFrom("reconciler");
        for (String verb : List.of("watch", "get", "patch", "create", "delete")) {
            assertTrue(calls.stream().map(OptInRbacCoversCallsTest::attributes).anyMatch(a -> a != null && a.verb().equals(verb)),
                    "the scenario made a " + verb + " call: " + calls);
        }
        assertAllowed("overlays/model-access", calls);
    }

    @Test
    void theGroupRevokerCallsAreAllowedByItsOverlayAndTheBaseRbac() throws Exception {
        KubernetesClient own = client("revoker");
        MaasIdentity identity = Identities.forGateway("gw");
        TierIndex tiers = new TierIndex(1, "test", new TierConfigParser(identity).parse(
                "- {name: premium, level: 1, groups: [premium-users]}\n"), identity, Optional.empty());
        GroupRevoker revoker = new GroupRevoker(own, new GroupRevoker.Settings(GroupChange.ON, Duration.ofHours(1)),
                leadership(own, "revoker"), identity, () -> tiers, new SimpleMeterRegistry());
        closing.add(revoker);
        ResourceDefinitionContext groups = new ResourceDefinitionContext.Builder().withGroup("user.openshift.io")
                .withVersion("v1").withKind("Group").withPlural("groups").withNamespaced(false).build();
        api.client().genericKubernetesResources(groups).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("user.openshift.io/v1").withKind("Group").withNewMetadata().withName("premium-users")
                .endMetadata().withAdditionalProperties(Map.of("users", List.of("alice"))).build()).create();
        api.client().serviceAccounts().inNamespace("gw-tier-premium").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(identity.serviceAccountName("alice")).withNamespace("gw-tier-premium")
                .withLabels(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "premium"))
                .withAnnotations(Map.of("maas.opendatahub.io/username", "alice")).endMetadata().build()).create();
        SharedIndexInformer<GenericKubernetesResource> informer = revoker.informer(own);
        closing.add(informer::close);
        informer.start();
        revoker.start();
        await("leads, with the Groups listed").atMost(WITHIN).until(() -> informer.hasSynced()
                && api.requestsFrom("revoker").stream().anyMatch(r -> r.contains("/serviceaccounts")));
        api.client().genericKubernetesResources(groups).withName("premium-users").edit(g -> {
            g.getAdditionalProperties().put("users", List.of());
            return g;
        });
        await("revoked").atMost(WITHIN).until(() -> api.client().serviceAccounts().inNamespace("gw-tier-premium")
                .withName(identity.serviceAccountName("alice")).get() == null);

        List<String> calls = api.requestsFrom("revoker");
        for (String verb : List.of("watch", "list", "delete")) {
            assertTrue(calls.stream().map(OptInRbacCoversCallsTest::attributes).anyMatch(a -> a != null && a.verb().equals(verb)),
                    "the scenario made a " + verb + " call: " + calls);
        }
        List<ObjectNode> rbac = new ArrayList<>(ManifestFiles.kustomize("overlays/group-revocation"));
        rbac.addAll(ManifestFiles.read(ManifestFiles.path("src/main/kubernetes/kubernetes.yml")));
        assertAllowed("overlays/group-revocation with the base RBAC", rbac, calls);
    }

    private void assertAllowed(String overlay, List<String> calls) {
        assertAllowed(overlay, ManifestFiles.kustomize(overlay), calls);
    }

    private void assertAllowed(String overlay, List<ObjectNode> objects, List<String> calls) {
        List<String> refused = new ArrayList<>();
        for (String call : calls) {
            Attributes attributes = attributes(call);
            if (attributes == null) {
                continue; // not a resource request (discovery, /version): every authenticated user may
            }
            if (!allowed(objects, attributes)) {
                refused.add(call + " = " + attributes);
            }
        }
        assertEquals(List.of(), refused, overlay + " does not allow these calls");
    }

    static Attributes attributes(String call) {
        String[] parts = call.split(" ", 2);
        Matcher m = RESOURCE_PATH.matcher(parts[1]);
        if (!m.matches()) {
            return null;
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String name = m.group(4);
        String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
        String query = m.group(6) == null ? "" : m.group(6);
        String verb = switch (parts[0]) {
            case "GET" -> query.contains("watch=true") ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> parts[0].toLowerCase();
        };
        return new Attributes(group, m.group(2), resource, name, verb);
    }

    /** Some ClusterRole bound cluster-wide, or some Role in the request's namespace, has a matching rule. */
    private static boolean allowed(List<ObjectNode> objects, Attributes a) {
        for (ObjectNode binding : objects) {
            String kind = binding.path("kind").asText();
            if (!kind.equals("ClusterRoleBinding") && !kind.equals("RoleBinding")) {
                continue;
            }
            String bindingNamespace = binding.path("metadata").path("namespace").asText(null);
            if (kind.equals("RoleBinding") && !bindingNamespace.equals(a.namespace())) {
                continue;
            }
            JsonNode ref = binding.path("roleRef");
            for (ObjectNode role : ManifestFiles.ofKind(objects, ref.path("kind").asText())) {
                if (role.path("metadata").path("name").asText().equals(ref.path("name").asText())
                        && rulesAllow(role.path("rules"), a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean rulesAllow(JsonNode rules, Attributes a) {
        for (JsonNode rule : rules) {
            boolean names = rule.path("resourceNames").isEmpty() || (a.name() != null && contains(rule.path("resourceNames"), a.name()));
            if (contains(rule.path("apiGroups"), a.group()) && contains(rule.path("resources"), a.resource())
                    && contains(rule.path("verbs"), a.verb()) && names) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals(value) || v.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private KubernetesClient client(String agent) {
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(api.client().getConfiguration()).withUserAgent(agent).build()).build();
        closing.add(own);
        return own;
    }

    private Leadership leadership(KubernetesClient client, String name) {
        Leadership leadership = new Leadership(client, new Leadership.Settings(OWN_NAMESPACE, "maas-api-policies",
                name + "-id", Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        closing.add(leadership);
        return leadership;
    }
}
