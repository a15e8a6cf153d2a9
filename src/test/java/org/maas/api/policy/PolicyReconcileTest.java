package org.maas.api.policy;

import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Policies.Unmatched;
import org.maas.api.tier.TierCatalog;
import org.maas.api.tier.TierConfigParser;

/** The tier ConfigMap drives what is applied, against the mock API server. */
@QuarkusTest
@TestProfile(PolicyReconcileTest.Reconcile.class)
@WithKubernetesTestServer(crud = true, setup = PolicyReconcileTest.Expectations.class)
class PolicyReconcileTest {

    public static class Reconcile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "configmap",
                    "maas.policies.reconcile", "true",
                    "maas.policies.lease-duration", "3s",
                    "maas.policies.lease-renew-deadline", "2s",
                    "maas.policies.lease-retry-period", "200ms",
                    "maas.policies.resync-interval", "1h");
        }
    }

    static final ApplyRecorder RECORDER = new ApplyRecorder();

    public static class Expectations implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            RECORDER.register(server.getKubernetesMockServer());
        }
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    @Inject
    KubernetesClient client;
    @Inject
    PolicyReconcilerStarter starter;
    @Inject
    TierCatalog catalog;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void leading() throws Exception {
        await("this replica leads").atMost(ApplyRecorder.WITHIN)
                .until(() -> starter.reconciler().map(PolicyReconciler::isLeader).orElse(false));
    }

    @Test
    void aConfigMapChangeRendersAndAppliesBothPolicies() throws Exception {
        String first = tiers("alpha", 7);
        serveAndAwaitApply(first);
        ApplyRecorder.Apply rlp = last(ApplyRecorder.RLP_PATH);
        assertEquals("application/apply-patch+yaml", rlp.contentType());
        assertEquals(ApplyRecorder.RLP_PATH + "?fieldManager=maas-api&force=true", rlp.requestPath());
        assertEquals("RateLimitPolicy", rlp.body().get("kind").asText());
        assertEquals("kuadrant.io/v1", rlp.body().get("apiVersion").asText());
        assertEquals("gateway-rate-limits", rlp.body().at("/metadata/name").asText());
        assertEquals("openshift-ingress", rlp.body().at("/metadata/namespace").asText());
        assertEquals(7, rlp.spec().at("/limits/alpha-requests-1m/rates/0/limit").asInt());
        ApplyRecorder.Apply trlp = last(ApplyRecorder.TRLP_PATH);
        assertEquals("application/apply-patch+yaml", trlp.contentType());
        assertEquals(ApplyRecorder.TRLP_PATH + "?fieldManager=maas-api&force=true", trlp.requestPath());
        assertEquals(expected(first).tokenRateLimitPolicy(), trlp.spec());
        await().atMost(ApplyRecorder.WITHIN).untilAsserted(() -> {
            assertEquals(1.0, registry.get("maas_policy_in_sync").tag("policy", "gateway-rate-limits").gauge().value());
            assertEquals(1.0, registry.get("maas_policy_in_sync").tag("policy", "gateway-token-rate-limits").gauge().value());
        });

        String second = tiers("beta", 9);
        serveAndAwaitApply(second);
        assertEquals(expected(second).rateLimitPolicy(), last(ApplyRecorder.RLP_PATH).spec());
        assertTrue(last(ApplyRecorder.RLP_PATH).spec().at("/limits/alpha-requests-1m").isMissingNode());
    }

    @Test
    void anInvalidConfigAppliesNothing() throws Exception {
        String gamma = tiers("gamma", 3);
        serveAndAwaitApply(gamma);
        PolicyReconciler reconciler = starter.reconciler().orElseThrow();
        long served = catalog.current().version();
        reconciler.configChanged().get(); // runs after everything queued so far: nothing is pending now
        int before = RECORDER.applies.size();

        serve("- name: Not A Valid Name\n  level: x\n");
        await("the catalog rejected the config").atMost(ApplyRecorder.WITHIN)
                .until(() -> catalog.lastChange().result().equals("rejected"));
        // One reconcile, queued after anything the rejected config might have queued, runs on the served
        // config. The mock keeps no applied object, so every reconcile as leader applies both policies:
        // exactly two more applies, both of gamma, show the rejected config queued nothing.
        reconciler.configChanged().get();
        assertEquals(before + 2, RECORDER.applies.size());
        assertEquals(expected(gamma).rateLimitPolicy(), last(ApplyRecorder.RLP_PATH).spec());
        assertEquals(served, reconciler.status().tierConfigVersion());

        // The pipeline is live: the next valid config is applied.
        serveAndAwaitApply(tiers("delta", 4));
    }

    @Test
    void aManagedFieldChangedByOthersIsReportedAndReapplied() throws Exception {
        String text = tiers("epsilon", 6);
        serveAndAwaitApply(text);
        GenericKubernetesResource edited = new PolicyRenderer("openshift-ingress", "maas-default-gateway", Unmatched.DENY)
                .render(new TierConfigParser(Identities.forGateway("maas-default-gateway")).parse(tiers("epsilon", 600))).rateLimitPolicy();
        edited.getMetadata().setManagedFields(List.of(
                new ManagedFieldsEntryBuilder().withManager("maas-api").withOperation("Apply").build(),
                new ManagedFieldsEntryBuilder().withManager("kubectl-edit").withOperation("Update").build()));
        var policies = client.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace("openshift-ingress");
        policies.resource(edited).create();
        try {
            double drift = registry.counter("maas_policy_drift", "policy", "gateway-rate-limits").count();
            int before = RECORDER.to(ApplyRecorder.RLP_PATH).size();

            starter.reconciler().orElseThrow().configChanged().get(); // the reconcile the periodic check runs

            assertEquals(drift + 1, registry.counter("maas_policy_drift", "policy", "gateway-rate-limits").count());
            assertEquals(before + 1, RECORDER.to(ApplyRecorder.RLP_PATH).size());
            assertEquals(expected(text).rateLimitPolicy(), last(ApplyRecorder.RLP_PATH).spec());
            given().when().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'policy-reconcile' }.data.lastResult", equalTo("applied"))
                    .body("checks.find { it.name == 'policy-reconcile' }.data.leader", equalTo(true));
        } finally {
            policies.withName("gateway-rate-limits").delete();
        }
    }

    /** Spec JSON of both policies as the service renders them with its defaults. */
    private record Specs(JsonNode rateLimitPolicy, JsonNode tokenRateLimitPolicy) {
    }

    private static Specs expected(String tiers) throws Exception {
        RenderedPolicies rendered = new PolicyRenderer("openshift-ingress", "maas-default-gateway", Unmatched.DENY)
                .render(new TierConfigParser(Identities.forGateway("maas-default-gateway")).parse(tiers));
        return new Specs(spec(rendered.rateLimitPolicy()), spec(rendered.tokenRateLimitPolicy()));
    }

    /** The spec as the service publishes it (the YAML of GET /v1/tiers/policies and policies/). */
    private static JsonNode spec(GenericKubernetesResource policy) throws Exception {
        return YAML.readTree(RenderedPolicies.yaml(policy)).get("spec");
    }

    private static String tiers(String name, int requests) {
        return "- {name: " + name + ", level: 0, groups: [system:authenticated], limits: {requests: [{limit: "
                + requests + ", window: 1m}], tokens: [{limit: 1000, window: 1m}]}}\n";
    }

    private void serveAndAwaitApply(String tiers) throws Exception {
        Specs want = expected(tiers);
        serve(tiers);
        await("both policies for the new config were applied").atMost(ApplyRecorder.WITHIN).until(() ->
                !RECORDER.to(ApplyRecorder.RLP_PATH).isEmpty() && !RECORDER.to(ApplyRecorder.TRLP_PATH).isEmpty()
                        && last(ApplyRecorder.RLP_PATH).spec().equals(want.rateLimitPolicy())
                        && last(ApplyRecorder.TRLP_PATH).spec().equals(want.tokenRateLimitPolicy()));
    }

    private void serve(String tiers) {
        client.configMaps().inNamespace(client.getNamespace()).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("tier-to-group-mapping").endMetadata()
                .addToData("tiers", tiers).build()).createOr(NonDeletingOperation::update);
    }

    private static ApplyRecorder.Apply last(String path) {
        List<ApplyRecorder.Apply> applies = RECORDER.to(path);
        return applies.get(applies.size() - 1);
    }
}
