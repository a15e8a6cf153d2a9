package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig;

/**
 * The manifests agree with maas-api's configuration defaults and with each other; each value is read from
 * both sides, so changing one without the other fails here. The lookup URL against the generated Service
 * is in {@link GeneratedManifestsIT}.
 */
class CrossReferenceTest {

    private static final MaasConfig CONFIG = DefaultConfig.MAAS;
    private static final List<ObjectNode> POLICIES = ManifestFiles.kustomize("policies");
    private static final List<ObjectNode> EXTRA = ManifestFiles.read(ManifestFiles.path("src/main/kubernetes/kubernetes.yml"));

    private static ObjectNode gateway() {
        List<ObjectNode> gateways = ManifestFiles.ofKind(POLICIES, "Gateway");
        assertEquals(1, gateways.size(), "policies/ holds one Gateway");
        return gateways.get(0);
    }

    @Test
    void theGatewayIsTheOneMaasApiIsConfiguredFor() {
        JsonNode metadata = gateway().path("metadata");
        assertEquals(CONFIG.gateway().name(), metadata.path("name").asText(), "maas.gateway.name");
        assertEquals(CONFIG.gateway().namespace(), metadata.path("namespace").asText(), "maas.gateway.namespace");
        String className = gateway().path("spec").path("gatewayClassName").asText();
        ManifestFiles.one(POLICIES, "GatewayClass", className);
    }

    @Test
    void tierNamespacesDeriveFromTheGatewayName() {
        String prefix = DefaultConfig.IDENTITY.tierNamespacePrefix();
        String gatewayName = gateway().path("metadata").path("name").asText();
        assertEquals(gatewayName + "-tier-", prefix,
                "tier namespaces (maas.gateway.tier-namespace-prefix) are named after the Gateway");
    }

    @Test
    void gatewayPoliciesTargetTheGateway() {
        JsonNode gateway = gateway().path("metadata");
        for (ObjectNode policy : POLICIES) {
            if (!policy.path("apiVersion").asText().startsWith("kuadrant.io/")) {
                continue;
            }
            JsonNode target = policy.path("spec").path("targetRef");
            String where = ManifestFiles.id(policy) + " targetRef";
            assertEquals("gateway.networking.k8s.io", target.path("group").asText(), where);
            assertEquals("Gateway", target.path("kind").asText(), where);
            assertEquals(gateway.path("name").asText(), target.path("name").asText(), where);
            assertEquals(gateway.path("namespace").asText(), policy.path("metadata").path("namespace").asText(),
                    where + ": a policy targets objects of its own namespace");
        }
    }

    @Test
    void theGatewayReviewsTokensForTheAudienceMaasApiMints() {
        String audience = DefaultConfig.IDENTITY.audience();
        JsonNode authentication = gatewayAuthPolicy().path("spec").path("rules").path("authentication");
        List<String> audiences = new ArrayList<>();
        authentication.forEach(rule -> rule.path("kubernetesTokenReview").path("audiences")
                .forEach(a -> audiences.add(a.asText())));
        assertEquals(List.of(audience), audiences,
                "the AuthPolicy's kubernetesTokenReview audiences = maas.tokens.audience (minted tokens carry it)");
    }

    @Test
    void everyTierNameInAPolicyPredicateIsADefaultTier() {
        Set<String> expected = new TreeSet<>(Tiers.defaultNames());
        for (String kind : List.of("RateLimitPolicy", "TokenRateLimitPolicy")) {
            for (ObjectNode policy : ManifestFiles.ofKind(POLICIES, kind)) {
                Set<String> named = new TreeSet<>();
                for (PolicyExpressions.Expression e : PolicyExpressions.of(policy)) {
                    if (e.predicate() && e.cel().contains("auth.identity.tier")) {
                        named.addAll(stringLiterals(e.cel()));
                    }
                }
                assertEquals(expected, named, ManifestFiles.id(policy)
                        + ": tier names in the predicates vs src/main/resources/default-tiers.yaml");
            }
        }
    }

    @Test
    void theMaasApiRouteHangsOffTheGateway() {
        ObjectNode route = ManifestFiles.one(EXTRA, "HTTPRoute", "maas-api-route");
        JsonNode parents = route.path("spec").path("parentRefs");
        assertEquals(1, parents.size(), "one parent");
        JsonNode parent = parents.get(0);
        assertEquals("Gateway", parent.path("kind").asText("Gateway"));
        assertEquals(gateway().path("metadata").path("name").asText(), parent.path("name").asText());
        assertEquals(gateway().path("metadata").path("namespace").asText(), parent.path("namespace").asText());
        String listenerNamespaces = gateway().path("spec").path("listeners").get(0)
                .path("allowedRoutes").path("namespaces").path("from").asText();
        assertEquals("All", listenerNamespaces, "the Gateway admits the route from maas-api's namespace");

        ObjectNode policy = ManifestFiles.one(EXTRA, "AuthPolicy", "maas-api-auth-policy");
        JsonNode target = policy.path("spec").path("targetRef");
        assertEquals("HTTPRoute", target.path("kind").asText());
        assertEquals(route.path("metadata").path("name").asText(), target.path("name").asText());
        assertEquals(route.path("metadata").path("namespace").asText(), policy.path("metadata").path("namespace").asText());
    }

    @Test
    void theTierConfigMapIsTheDefaultTierFile() {
        ObjectNode configMap = ManifestFiles.one(EXTRA, "ConfigMap", CONFIG.tiers().configMapName());
        JsonNode data = configMap.path("data");
        assertEquals(Set.of(CONFIG.tiers().configMapKey()), fieldNames(data), "the ConfigMap's keys");
        assertEquals(Tiers.defaultFileText(), data.path(CONFIG.tiers().configMapKey()).asText(),
                "src/main/kubernetes/kubernetes.yml carries a copy of src/main/resources/default-tiers.yaml in "
                        + "ConfigMap " + CONFIG.tiers().configMapName() + ": run `make policies`");
        assertFalse(CONFIG.tiers().configMapNamespace().isPresent(),
                "maas-api reads the ConfigMap from its own namespace, where the manifests put it");
    }

    @Test
    void theTierSourceMayReadExactlyItsConfigMap() {
        ObjectNode role = ManifestFiles.one(EXTRA, "Role", "maas-api-tier-config");
        JsonNode rules = role.path("rules");
        assertEquals(1, rules.size());
        JsonNode rule = rules.get(0);
        assertEquals(List.of(""), texts(rule.path("apiGroups")));
        assertEquals(List.of("configmaps"), texts(rule.path("resources")));
        assertEquals(List.of(CONFIG.tiers().configMapName()), texts(rule.path("resourceNames")),
                "RBAC names the ConfigMap that maas.tiers.config-map-name watches");
        assertEquals(List.of("get", "list", "watch"), texts(rule.path("verbs")));
        ObjectNode configMap = ManifestFiles.one(EXTRA, "ConfigMap", CONFIG.tiers().configMapName());
        assertEquals(configMap.path("metadata").path("namespace").asText(), role.path("metadata").path("namespace").asText());
    }

    @Test
    void rbacIsExactlyWhatTheCodeUses() {
        ObjectNode clusterRole = ManifestFiles.one(EXTRA, "ClusterRole", "maas-api-tokens");
        List<String> rules = new ArrayList<>();
        clusterRole.path("rules").forEach(rule -> rules.add(texts(rule.path("apiGroups")) + " "
                + texts(rule.path("resources")) + " " + texts(rule.path("verbs"))
                + (rule.has("resourceNames") ? " " + texts(rule.path("resourceNames")) : "")));
        assertEquals(List.of(
                "[authentication.k8s.io] [tokenreviews] [create]",
                "[] [namespaces] [get, list, watch, create]",
                "[] [serviceaccounts] [get, list, watch, create, delete]",
                "[] [serviceaccounts/token] [create]",
                "[] [secrets] [get, list, create, patch, delete]",
                "[authorization.k8s.io] [subjectaccessreviews] [create]"), rules);
        for (ObjectNode any : EXTRA) {
            for (JsonNode rule : any.path("rules")) {
                assertFalse(texts(rule.path("verbs")).contains("*"), ManifestFiles.id(any) + ": no wildcard verbs");
                assertFalse(texts(rule.path("resources")).contains("*"), ManifestFiles.id(any) + ": no wildcard resources");
                assertFalse(texts(rule.path("resources")).contains("secrets") && !ManifestFiles.id(any).contains("maas-api-tokens"),
                        ManifestFiles.id(any) + ": secrets only for API keys, in the tokens ClusterRole");
            }
            assertFalse(any.path("roleRef").path("name").asText().matches("cluster-admin|admin|edit|view"),
                    ManifestFiles.id(any) + " binds a broad built-in role");
        }
        for (ObjectNode binding : concat(ManifestFiles.ofKind(EXTRA, "RoleBinding"), ManifestFiles.ofKind(EXTRA, "ClusterRoleBinding"))) {
            String roleKind = binding.path("roleRef").path("kind").asText();
            ManifestFiles.one(EXTRA, roleKind, binding.path("roleRef").path("name").asText());
            JsonNode subjects = binding.path("subjects");
            assertEquals(1, subjects.size(), ManifestFiles.id(binding));
            assertEquals("ServiceAccount", subjects.get(0).path("kind").asText());
            ObjectNode account = ManifestFiles.one(EXTRA, "ServiceAccount", subjects.get(0).path("name").asText());
            assertEquals(account.path("metadata").path("namespace").asText(), subjects.get(0).path("namespace").asText(),
                    ManifestFiles.id(binding) + " binds maas-api's ServiceAccount");
        }
    }

    @Test
    void onlyTheGatewayAndAuthorinoReachMaasApi() {
        ObjectNode policy = ManifestFiles.one(EXTRA, "NetworkPolicy", "maas-api");
        JsonNode ingress = policy.path("spec").path("ingress");
        assertEquals(1, ingress.size());
        List<String> namespaces = new ArrayList<>();
        ingress.get(0).path("from").forEach(peer -> {
            assertFalse(peer.has("ipBlock"), "no IP ranges");
            assertTrue(peer.has("namespaceSelector"), "peers are whole namespaces: " + peer);
            peer.path("namespaceSelector").path("matchExpressions").forEach(e -> {
                assertEquals("kubernetes.io/metadata.name", e.path("key").asText());
                assertEquals("In", e.path("operator").asText());
                e.path("values").forEach(v -> namespaces.add(v.asText()));
            });
        });
        assertTrue(namespaces.contains(CONFIG.gateway().namespace()), "the gateway's namespace " + namespaces);
        assertEquals(2, namespaces.size(), "the gateway's and Authorino's namespaces only: " + namespaces);
        assertEquals(List.of("Ingress"), texts(policy.path("spec").path("policyTypes")));
    }

    @Test
    void theOptInReconcileRbacCoversTheGatewayPoliciesOnly() {
        List<ObjectNode> rbac = ManifestFiles.kustomize("overlays/policy-reconcile");
        ObjectNode role = ManifestFiles.one(rbac, "Role", "maas-api-policy-reconcile");
        assertEquals(CONFIG.gateway().namespace(), role.path("metadata").path("namespace").asText(),
                "only in the gateway's namespace");
        Set<String> resources = new TreeSet<>();
        role.path("rules").forEach(r -> r.path("resources").forEach(x -> resources.add(x.asText())));
        Set<String> policyKinds = new TreeSet<>();
        for (String kind : List.of("RateLimitPolicy", "TokenRateLimitPolicy")) {
            ManifestFiles.ofKind(POLICIES, kind).forEach(p -> policyKinds.add(kind.toLowerCase().replaceAll("y$", "ies")));
        }
        assertEquals(policyKinds, resources);
        ObjectNode account = ManifestFiles.one(EXTRA, "ServiceAccount", "maas-api");
        for (ObjectNode binding : ManifestFiles.ofKind(rbac, "RoleBinding")) {
            JsonNode subject = binding.path("subjects").get(0);
            assertEquals(account.path("metadata").path("name").asText(), subject.path("name").asText());
            assertEquals(account.path("metadata").path("namespace").asText(), subject.path("namespace").asText());
        }
        assertEquals(account.path("metadata").path("namespace").asText(),
                ManifestFiles.one(rbac, "Role", "maas-api-leader-election").path("metadata").path("namespace").asText());
    }

    static Set<String> stringLiterals(String cel) {
        Set<String> literals = new TreeSet<>();
        Matcher m = Pattern.compile("\"([^\"\\\\]*)\"|'([^'\\\\]*)'").matcher(cel);
        while (m.find()) {
            literals.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return literals;
    }

    private static ObjectNode gatewayAuthPolicy() {
        List<ObjectNode> policies = ManifestFiles.ofKind(POLICIES, "AuthPolicy");
        assertEquals(1, policies.size(), "policies/ holds one AuthPolicy");
        return policies.get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
