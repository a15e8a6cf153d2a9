package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.ShortLease;
import org.maas.api.tier.TierCatalog;

/**
 * The tier ConfigMap drives what is applied, on the real control plane: maas-api as its own ServiceAccount with
 * the shipped RBAC plus overlays/policy-reconcile, the policies server-side applied onto the real Kuadrant CRDs
 * (their schemas and CEL rules validate what is applied). The expected specs are written out here.
 */
@QuarkusTest
@TestProfile(PolicyReconcileTest.Reconcile.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = PolicyReconcileTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = PolicyReconcileTest.GATEWAY),
        @ResourceArg(name = "gateway-namespace", value = PolicyReconcileTest.GATEWAY_NAMESPACE),
        @ResourceArg(name = "overlays", value = "policy-reconcile")})
class PolicyReconcileTest {

    static final String NAMESPACE = "maas-api-policy-reconcile";
    static final String GATEWAY = "policy-reconcile-gw";
    static final String GATEWAY_NAMESPACE = "policy-reconcile-gw-ns";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    public static class Reconcile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ShortLease.with(Map.of("maas.policies.reconcile", "true",
                    "maas.policies.resync-interval", "1h"));
        }
    }

    @Inject
    LivePolicies policies;
    @Inject
    TierCatalog catalog;
    @Inject
    MeterRegistry registry;

    private final KubernetesClient admin = ControlPlane.shared().admin();

    @BeforeEach
    void leading() {
        await("this replica leads").atMost(WITHIN)
                .until(() -> policies.reconciler().map(PolicyReconciler::isLeader).orElse(false));
    }

    @Test
    void aConfigMapChangeRendersAndAppliesBothPolicies() throws Exception {
        serve(tiers("alpha", 7));
        await("both policies for alpha applied").atMost(WITHIN)
                .until(() -> spec(requests()).equals(requestsSpec("alpha", 7)) && spec(tokens()).equals(tokensSpec("alpha")));
        for (Resource<GenericKubernetesResource> policy : List.of(requests(), tokens())) {
            GenericKubernetesResource live = policy.get();
            assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api"), live.getMetadata().getLabels());
            assertEquals(List.of("maas-api/Apply"), managers(live), "server-side applied by maas-api only");
        }
        await().atMost(WITHIN).untilAsserted(() -> {
            assertEquals(1.0, registry.get("maas_policy_in_sync").tag("policy", "gateway-rate-limits").gauge().value());
            assertEquals(1.0, registry.get("maas_policy_in_sync").tag("policy", "gateway-token-rate-limits").gauge().value());
        });

        serve(tiers("beta", 9));
        await("beta replaces alpha: alpha's limit is gone").atMost(WITHIN)
                .until(() -> spec(requests()).equals(requestsSpec("beta", 9)));
    }

    @Test
    void anInvalidConfigAppliesNothing() throws Exception {
        serve(tiers("gamma", 3));
        await().atMost(WITHIN).until(() -> spec(requests()).equals(requestsSpec("gamma", 3)));
        PolicyReconciler reconciler = policies.reconciler().orElseThrow();
        reconciler.configChanged().get(); // runs after everything queued so far: nothing is pending now
        long served = catalog.current().version();
        String version = requests().get().getMetadata().getResourceVersion();

        serve("- name: Not A Valid Name\n  level: x\n");
        await("the catalog rejected the config").atMost(WITHIN)
                .until(() -> catalog.lastChange().result().equals("rejected"));
        reconciler.configChanged().get(); // queued after anything the rejected config might have queued
        assertEquals(version, requests().get().getMetadata().getResourceVersion(), "nothing was applied");
        assertEquals(requestsSpec("gamma", 3), spec(requests()));
        assertEquals(served, reconciler.status().tierConfigVersion());

        // The pipeline is live: the next valid config is applied.
        serve(tiers("delta", 4));
        await().atMost(WITHIN).until(() -> spec(requests()).equals(requestsSpec("delta", 4)));
    }

    @Test
    void aFieldChangedByAnotherManagerIsReportedAndTakenBackAnAddedOneIsLeft() throws Exception {
        serve(tiers("epsilon", 6));
        await().atMost(WITHIN).until(() -> spec(requests()).equals(requestsSpec("epsilon", 6)));
        PolicyReconciler reconciler = policies.reconciler().orElseThrow();
        reconciler.configChanged().get();
        double drift = registry.counter("maas_policy_drift", "policy", "gateway-rate-limits").count();

        // Someone edits maas-api's limit (a field maas-api owns) with a manager of their own.
        admin.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName(PolicyRenderer.RATE_LIMIT_POLICY).patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"epsilon-requests-1m\":{\"rates\":[{\"limit\":600,\"window\":\"1m\"}]}}}}");
        assertEquals(600, limit(requests().get(), "epsilon-requests-1m"));
        reconciler.configChanged().get(); // the reconcile the periodic check runs

        assertEquals(drift + 1, registry.counter("maas_policy_drift", "policy", "gateway-rate-limits").count());
        assertEquals(requestsSpec("epsilon", 6), spec(requests()), "maas-api's value again (apply with force)");
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'policy-reconcile' }.data.lastResult", equalTo("applied"))
                .body("checks.find { it.name == 'policy-reconcile' }.data.leader", equalTo(true));

        // A limit another manager adds is a field maas-api does not own: server-side apply leaves it, so the
        // policy is reported out of sync rather than silently overwritten.
        admin.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName(PolicyRenderer.RATE_LIMIT_POLICY).patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"someone-elses\":{\"rates\":[{\"limit\":1,\"window\":\"1m\"}]}}}}");
        reconciler.configChanged().get();
        assertEquals(1, limit(requests().get(), "someone-elses"), "another manager's field stays");
        assertEquals(6, limit(requests().get(), "epsilon-requests-1m"));
        assertEquals(0.0, registry.get("maas_policy_in_sync").tag("policy", "gateway-rate-limits").gauge().value());
        admin.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName(PolicyRenderer.RATE_LIMIT_POLICY).patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"limits\":{\"someone-elses\":null}}}");
    }

    /** A one-tier config: system:authenticated gets {@code name}, {@code requests} a minute and 1000 tokens. */
    private static String tiers(String name, int requests) {
        return "- {name: " + name + ", level: 0, groups: [system:authenticated], limits: {requests: [{limit: "
                + requests + ", window: 1m}], tokens: [{limit: 1000, window: 1m}]}}\n";
    }

    /** The RateLimitPolicy spec that config must give, written out. */
    private static JsonNode requestsSpec(String tier, int requests) throws Exception {
        return YAML.readTree("""
                targetRef:
                  group: gateway.networking.k8s.io
                  kind: Gateway
                  name: policy-reconcile-gw
                limits:
                  %1$s-requests-1m:
                    rates:
                      - limit: %2$d
                        window: 1m
                    counters:
                      - expression: auth.identity.userid
                    when:
                      - predicate: has(auth.identity.tier) && auth.identity.tier == "%1$s"
                  unmatched-requests:
                    rates:
                      - limit: 0
                        window: 1m
                    when:
                      - predicate: "!(has(auth.identity.tier) && auth.identity.tier in [\\"%1$s\\"])"
                """.formatted(tier, requests));
    }

    /** The TokenRateLimitPolicy spec that config must give, written out. */
    private static JsonNode tokensSpec(String tier) throws Exception {
        return YAML.readTree("""
                targetRef:
                  group: gateway.networking.k8s.io
                  kind: Gateway
                  name: policy-reconcile-gw
                when:
                  - predicate: '!request.path.endsWith("/v1/models")'
                limits:
                  %1$s-tokens-1m:
                    rates:
                      - limit: 1000
                        window: 1m
                    counters:
                      - expression: auth.identity.userid
                    when:
                      - predicate: has(auth.identity.tier) && auth.identity.tier == "%1$s"
                  unmatched-tokens:
                    rates:
                      - limit: 0
                        window: 1m
                    when:
                      - predicate: "!(has(auth.identity.tier) && auth.identity.tier in [\\"%1$s\\"])"
                """.formatted(tier));
    }

    private Resource<GenericKubernetesResource> requests() {
        return admin.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName(PolicyRenderer.RATE_LIMIT_POLICY);
    }

    private Resource<GenericKubernetesResource> tokens() {
        return admin.genericKubernetesResources(PolicyReconciler.TOKEN_RATE_LIMIT_POLICIES)
                .inNamespace(GATEWAY_NAMESPACE).withName(PolicyRenderer.TOKEN_RATE_LIMIT_POLICY);
    }

    /** The live spec as JSON; null while there is no policy. */
    private static JsonNode spec(Resource<GenericKubernetesResource> policy) {
        GenericKubernetesResource live = policy.get();
        return live == null ? null : JSON.valueToTree(live.getAdditionalProperties().get("spec"));
    }

    private static int limit(GenericKubernetesResource policy, String name) {
        return JSON.valueToTree(policy.getAdditionalProperties().get("spec")).path("limits").path(name).path("rates")
                .path(0).path("limit").asInt();
    }

    private static List<String> managers(GenericKubernetesResource live) {
        return live.getMetadata().getManagedFields().stream().map(f -> f.getManager() + "/" + f.getOperation())
                .toList();
    }

    /** Writes the tier config as an admin would (the ConfigMap in maas-api's namespace). */
    private void serve(String tiers) {
        admin.configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").edit(map -> {
            map.getData().put("tiers", tiers);
            return map;
        });
    }

}
