package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.maas.api.tier.ConfigMapTierSourceTest.WITHIN;
import static org.maas.api.tier.ConfigMapTierSourceTest.lookup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The ConfigMap source before any valid config: the service starts before its ConfigMap exists and stays
 * unready through an invalid one. No test here writes a valid config (that cannot be undone), so they run
 * in any order; a service of its own (its own profile) keeps the other ConfigMap tests from serving one first.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ConfigMapTierSourceBeforeConfigTest.NoConfigYet.class)
class ConfigMapTierSourceBeforeConfigTest {

    /** The same settings as {@link ConfigMapTierSourceTest}; a profile of its own gives a fresh service. */
    public static class NoConfigYet extends ConfigMapTierSourceTest.ConfigMapSource {
    }

    @Inject
    KubernetesClient client;

    @Test
    void withoutAConfigMapLookupsAnswer503AndTheServiceIsNotReady() {
        client.configMaps().inNamespace("maas").withName("tier-to-group-mapping").delete();
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
        ConfigMapTierSourceTest.write(client, "- name: Premium\n  level: high\n");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        given().get("/q/health/ready").then().statusCode(503);
        lookup("premium-users").statusCode(503);
    }

    /** Removed before any valid config: readiness does not claim that a last good one keeps serving. */
    @Test
    void aConfigMapRemovedBeforeAnyValidConfigIsNotSaidToLeaveOneServing() {
        ConfigMapTierSourceTest.write(client, "- name: Premium\n  level: high\n");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        client.configMaps().inNamespace("maas").withName("tier-to-group-mapping").delete();
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed"))
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems", equalTo(
                        "the source is gone, and no tier config has been loaded: lookups answer 503 until a valid"
                                + " one appears")));
    }
}
