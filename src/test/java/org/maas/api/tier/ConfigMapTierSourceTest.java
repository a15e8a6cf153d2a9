package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.maas.api.testing.Eventually;

/**
 * The ConfigMap source against the Kubernetes mock server, as one story: the service starts before its
 * ConfigMap exists, then follows every change without a restart and never drops its last good config.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ConfigMapTierSourceTest.ConfigMapSource.class)
@TestMethodOrder(OrderAnnotation.class)
class ConfigMapTierSourceTest {

    public static class ConfigMapSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "configmap", "maas.tiers.config-map-namespace", "maas");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final String PREMIUM_GROUPS = """
            - name: free
              level: 0
              groups: [system:authenticated]
            - name: premium
              displayName: Premium Tier
              level: 1
              groups: [premium-users]
            """;

    @Inject
    KubernetesClient client;

    @Test
    @Order(1)
    void withoutAConfigMapLookupsAnswer503AndTheServiceIsNotReady() {
        lookup("premium-users").statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo("unavailable"))
                .body("message", equalTo("no valid tier config has been loaded yet"));
        given().get("/v1/tiers").then().statusCode(503).body("error", equalTo("unavailable"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.status", equalTo("DOWN"));
    }

    @Test
    @Order(2)
    void anInvalidFirstConfigKeepsTheServiceUnready() {
        write("- name: Premium\n  level: high\n");
        Eventually.assertThat(WITHIN, () -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        given().get("/q/health/ready").then().statusCode(503);
        lookup("premium-users").statusCode(503);
    }

    @Test
    @Order(3)
    void aValidConfigMapIsServedOnceItAppears() {
        write(PREMIUM_GROUPS);
        Eventually.assertThat(WITHIN, () -> lookup("premium-users").statusCode(200).body("tier", equalTo("premium")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.origin", containsString("configmap maas/tier-to-group-mapping"));
    }

    @Test
    @Order(4)
    void aValidUpdateIsVisibleWithoutRestart() {
        write(PREMIUM_GROUPS.replace("[premium-users]", "[premium-users, gold-users]"));
        Eventually.assertThat(WITHIN, () -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
    }

    @Test
    @Order(5)
    void anInvalidUpdateIsRejectedAndTheLastGoodConfigKeepsServing() {
        write(PREMIUM_GROUPS.replace("level: 1", "level: one"));
        Eventually.assertThat(WITHIN, () -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("rejected")));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems",
                        equalTo("tier[1] (premium): level must be an integer, found 'one'"));
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
        given().get("/q/metrics").then()
                .body(containsString("maas_tier_config_reloads_total{result=\"rejected\"} 2.0"));
    }

    @Test
    @Order(6)
    void aDeletedConfigMapKeepsTheLastGoodConfig() {
        client.configMaps().inNamespace("maas").withName("tier-to-group-mapping").delete();
        Eventually.assertThat(WITHIN, () -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed")));
        given().get("/q/health/ready").then().statusCode(200);
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    @Order(7)
    void aRecreatedConfigMapIsServedAgain() {
        write(PREMIUM_GROUPS.replace("[premium-users]", "[platinum-users]"));
        Eventually.assertThat(WITHIN, () -> lookup("platinum-users").statusCode(200).body("tier", equalTo("premium")));
        lookup("gold-users").statusCode(404).body("error", equalTo("not_found"));
    }

    private void write(String tiers) {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata()
                .withName("tier-to-group-mapping").withNamespace("maas").endMetadata()
                .addToData("tiers", tiers).build();
        client.configMaps().inNamespace("maas").resource(configMap).createOr(existing -> existing.update());
    }

    private static ValidatableResponse lookup(String group) {
        return given().contentType(ContentType.JSON).body("{\"groups\": [\"" + group + "\"]}")
                .post("/v1/tiers/lookup").then();
    }
}
