package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.maas.api.tier.ConfigMapTierSourceTest.WITHIN;
import static org.maas.api.tier.ConfigMapTierSourceTest.lookup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlaneResource;

/**
 * The ConfigMap source before any valid config, on the real control plane: the service starts before its
 * ConfigMap exists (init arg tier-config=absent) and stays unready through an invalid one. No test here writes
 * a valid config (that cannot be undone), so they run in any order. Also GET /v1/tiers/policies before any config.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ConfigMapTierSourceBeforeConfigTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = "tier-before-config-gw"),
        @ResourceArg(name = "tier-config", value = "absent")})
class ConfigMapTierSourceBeforeConfigTest {

    static final String NAMESPACE = "maas-api-tier-before-config";

    final KubernetesClient client = ControlPlane.shared().admin();

    @Test
    void withoutAConfigMapLookupsAnswer503AndTheServiceIsNotReady() {
        client.configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").delete();
        lookup("premium-users").statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo("unavailable"))
                .body("message", equalTo("no valid tier config has been loaded yet"));
        given().get("/v1/tiers").then().statusCode(503).body("error", equalTo("unavailable"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.status", equalTo("DOWN"));
    }

    @Test
    void anInvalidFirstConfigKeepsTheServiceUnready() {
        ConfigMapTierSourceTest.write(client, NAMESPACE, "- name: Premium\n  level: high\n");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        given().get("/q/health/ready").then().statusCode(503);
        lookup("premium-users").statusCode(503);
    }

    /** Removed before any valid config: readiness does not claim that a last good one keeps serving. */
    @Test
    void aConfigMapRemovedBeforeAnyValidConfigIsNotSaidToLeaveOneServing() {
        ConfigMapTierSourceTest.write(client, NAMESPACE, "- name: Premium\n  level: high\n");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        client.configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").delete();
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed"))
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems", equalTo(
                        "the source is gone, and no tier config has been loaded: lookups answer 503 until a valid"
                                + " one appears")));
    }

    /** The policies need a config too: the JSON error shape even to a caller asking for YAML. */
    @Test
    void policiesWithoutAValidConfigAnswer503InTheJsonErrorShape() {
        given().accept("application/yaml")
                .when().get("/v1/tiers/policies")
                .then().statusCode(503)
                .contentType("application/json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", equalTo("unavailable"))
                .body("message", equalTo("no valid tier config has been loaded yet"));
    }
}
