package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlaneResource;

/**
 * The ConfigMap source on the real control plane (maas-api as its own ServiceAccount, whose shipped Role reads
 * only this one ConfigMap by name), once a valid config has been served: it follows every change without a
 * restart and never drops its last good config. Each test first serves a config of its own, so the tests run
 * in any order. The service before any valid config: {@link ConfigMapTierSourceBeforeConfigTest}. The profile
 * also sets {@code maas.policies.unmatched=most-restrictive} and a gateway of its own, for
 * {@link #unmatchedRequestsGetTheSmallestLimitsAndTheConfiguredGatewayIsTargeted}.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ConfigMapTierSourceTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = "tier-configmap-gw")})
@TestProfile(ConfigMapTierSourceTest.MostRestrictive.class)
class ConfigMapTierSourceTest {

    static final String NAMESPACE = "maas-api-tier-configmap";

    /** The documented spelling of the setting, and a gateway namespace of its own. */
    public static class MostRestrictive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.policies.unmatched", "most-restrictive", "maas.gateway.namespace", "other-ns");
        }
    }

    /** Generous: only a bound against hanging, the informer answers in well under a second. */
    static final Duration WITHIN = Duration.ofSeconds(30);
    static final String PREMIUM_GROUPS = """
            - name: free
              level: 0
              groups: [system:authenticated]
            - name: premium
              displayName: Premium Tier
              level: 1
              groups: [premium-users]
            """;
    private static final Pattern REJECTED = Pattern.compile("maas_tier_config_reloads_total\\{result=\"rejected\"} ([0-9.]+)");

    /** An admin's client (system:masters), for the fixtures; the application has its own ServiceAccount. */
    final KubernetesClient client = ControlPlane.shared().admin();

    @Test
    void aValidConfigMapIsServedOnceItAppears() {
        String marker = uniqueGroup();
        write(PREMIUM_GROUPS.replace("[premium-users]", "[premium-users, " + marker + "]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup(marker).statusCode(200).body("tier", equalTo("premium")));
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.origin", containsString("configmap " + NAMESPACE + "/tier-to-group-mapping"));
    }

    @Test
    void aValidUpdateIsVisibleWithoutRestart() {
        serve("premium-users");
        lookup("gold-users").statusCode(404);
        write(PREMIUM_GROUPS.replace("[premium-users]", "[premium-users, gold-users]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
    }

    @Test
    void anInvalidUpdateIsRejectedAndTheLastGoodConfigKeepsServing() {
        serve("premium-users, gold-users");
        double rejectedBefore = rejectedReloads();
        write(PREMIUM_GROUPS.replace("level: 1", "level: one"));
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems",
                        equalTo("tier[1] (premium): level must be an integer, found 'one'"));
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
        assertEquals(rejectedBefore + 1, rejectedReloads(), "maas_tier_config_reloads_total{result=\"rejected\"}");
    }

    @Test
    void aDeletedConfigMapKeepsTheLastGoodConfig() {
        serve("premium-users, gold-users");
        delete();
        given().get("/q/health/ready").then().statusCode(200);
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    void aRecreatedConfigMapIsServedAgain() {
        serve("premium-users, gold-users");
        delete();
        write(PREMIUM_GROUPS.replace("[premium-users]", "[platinum-users]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup("platinum-users").statusCode(200).body("tier", equalTo("premium")));
        lookup("gold-users").statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void unmatchedRequestsGetTheSmallestLimitsAndTheConfiguredGatewayIsTargeted() throws Exception {
        serve("premium-users"); // free: no limits; premium: 20 requests / 2m
        write(PREMIUM_GROUPS.replace("groups: [premium-users]", "groups: [premium-users, most-restrictive]\n"
                + "  limits: {requests: [{limit: 20, window: 2m}], tokens: [{limit: 500, window: 1m}]}")
                .replace("groups: [system:authenticated]", "groups: [system:authenticated]\n"
                + "  limits: {requests: [{limit: 5, window: 2m}], tokens: [{limit: 100, window: 1m}]}"));
        await().atMost(WITHIN).untilAsserted(() -> lookup("most-restrictive").statusCode(200));
        String body = given().accept("application/yaml").when().get("/v1/tiers/policies").then().statusCode(200)
                .extract().asString();
        java.util.List<com.fasterxml.jackson.databind.JsonNode> docs = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                .<com.fasterxml.jackson.databind.JsonNode>readValues(body).readAll();
        com.fasterxml.jackson.databind.JsonNode requests = docs.get(0);
        assertEquals("other-ns", requests.at("/metadata/namespace").asText());
        assertEquals("tier-configmap-gw", requests.at("/spec/targetRef/name").asText());
        assertEquals(5, requests.at("/spec/limits/unmatched-requests-2m/rates/0/limit").asInt(), "free's, the smaller");
        assertEquals(100, docs.get(1).at("/spec/limits/unmatched-tokens-1m/rates/0/limit").asInt());
    }

    /** Serves premium to these groups and one unique to this call, which shows this config is the one applied. */
    private void serve(String premiumGroups) {
        String marker = uniqueGroup();
        write(PREMIUM_GROUPS.replace("[premium-users]", "[" + premiumGroups + ", " + marker + "]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup(marker).statusCode(200).body("tier", equalTo("premium")));
    }

    private void delete() {
        client.configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").delete();
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed")));
    }

    private void write(String tiers) {
        write(client, tiers);
    }

    private void write(KubernetesClient client, String tiers) {
        write(client, NAMESPACE, tiers);
    }

    /** Writes the tier ConfigMap as an admin would. */
    static void write(KubernetesClient client, String namespace, String tiers) {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata()
                .withName("tier-to-group-mapping").withNamespace(namespace).endMetadata()
                .addToData("tiers", tiers).build();
        client.configMaps().inNamespace(namespace).resource(configMap).createOr(existing -> existing.update());
    }

    private static double rejectedReloads() {
        Matcher matcher = REJECTED.matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String uniqueGroup() {
        return "setup-" + UUID.randomUUID();
    }

    static ValidatableResponse lookup(String group) {
        return given().contentType(ContentType.JSON).body("{\"groups\": [\"" + group + "\"]}")
                .post("/v1/tiers/lookup").then();
    }
}
