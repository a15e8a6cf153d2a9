package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ConfigMap source against the Kubernetes mock server, once a valid config has been served: it follows
 * every change without a restart and never drops its last good config. Each test first serves a config of
 * its own, so the tests run in any order. The service before any valid config:
 * {@link ConfigMapTierSourceBeforeConfigTest}.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ConfigMapTierSourceTest.ConfigMapSource.class)
class ConfigMapTierSourceTest {

    public static class ConfigMapSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "configmap", "maas.tiers.config-map-namespace", "maas");
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

    @Inject
    KubernetesClient client;

    @Test
    void aValidConfigMapIsServedOnceItAppears() {
        String marker = uniqueGroup();
        write(PREMIUM_GROUPS.replace("[premium-users]", "[premium-users, " + marker + "]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup(marker).statusCode(200).body("tier", equalTo("premium")));
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.origin", containsString("configmap maas/tier-to-group-mapping"));
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

    /** Serves premium to these groups and one unique to this call, which shows this config is the one applied. */
    private void serve(String premiumGroups) {
        String marker = uniqueGroup();
        write(PREMIUM_GROUPS.replace("[premium-users]", "[" + premiumGroups + ", " + marker + "]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup(marker).statusCode(200).body("tier", equalTo("premium")));
    }

    private void delete() {
        client.configMaps().inNamespace("maas").withName("tier-to-group-mapping").delete();
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed")));
    }

    private void write(String tiers) {
        write(client, tiers);
    }

    static void write(KubernetesClient client, String tiers) {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata()
                .withName("tier-to-group-mapping").withNamespace("maas").endMetadata()
                .addToData("tiers", tiers).build();
        client.configMaps().inNamespace("maas").resource(configMap).createOr(existing -> existing.update());
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
