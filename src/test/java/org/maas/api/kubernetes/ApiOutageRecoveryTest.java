package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/**
 * An API server outage with the shipped client settings: the API server goes away (connections
 * refused, watches dropped), comes back unreachable for maas-api only while an admin edits the tier
 * ConfigMap, then recovers. Lookups answer from the last good config throughout, liveness and readiness
 * stay up, and once the API is back the edit reaches lookups and mints work, without a restart. The
 * measured recovery times are printed (docs/performance.md); only a generous bound is asserted.
 */
@QuarkusTest
@TestProfile(ApiOutageRecoveryTest.ConfigMapSource.class)
@WithTestResource(KubernetesApiStubResource.class)
class ApiOutageRecoveryTest {

    public static class ConfigMapSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "configmap", "maas.tiers.config-map-namespace", "maas");
        }
    }

    /** Does-not-hang bound; the real figures are printed. */
    static final Duration GENEROUS = Duration.ofSeconds(120);
    /** As long as the outage the issue measured (20 s): long enough for the informer's backoff to grow. */
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    static final String TIERS = """
            - name: free
              level: 0
              groups: [system:authenticated]
            - name: premium
              level: 1
              groups: [premium-users]
            """;

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void anOutageIsRiddenOutAndAnEditMadeDuringItIsAppliedOnceTheApiIsBack() throws Exception {
        writeTiers(api, TIERS);
        await().atMost(GENEROUS).untilAsserted(() -> lookup("premium-users").statusCode(200).body("tier", equalTo("premium")));
        String before = api.addUser("before-outage", "system:authenticated");
        mint(before).statusCode(201); // starts the token caches too
        await().atMost(GENEROUS).until(() -> informer("managed-serviceaccounts", "synced"), equalTo(true));

        int port = api.port();
        long down = System.nanoTime();
        api.stop();
        await().atMost(GENEROUS).until(() -> informer("tier-config-map", "watching"), equalTo(false));
        System.out.printf("outage: the tier informer reported its lost watch after %d ms%n", millisSince(down));
        api.partition(503); // from here on only the admin reaches the API server
        api.start(port);
        writeTiers(api, TIERS.replace("[premium-users]", "[premium-users, gold-users]"));

        // While the API is away: the last good config answers, liveness and readiness stay up, mints are 503.
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
        lookup("gold-users").statusCode(404).body("error", equalTo("not_found"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        mint(api.addUser("during-outage", "system:authenticated")).statusCode(503).body("error", equalTo("unavailable"));
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - millisSince(down)));

        api.recover();
        long back = System.nanoTime();
        String after = api.addUser("after-outage", "system:authenticated", "premium-users");
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> mint(after).statusCode(201));
        long mintMs = millisSince(back);
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
        long configMs = millisSince(back);
        await().atMost(GENEROUS).until(() -> informer("tier-config-map", "watching")
                && informer("managed-serviceaccounts", "watching") && informer("managed-namespaces", "watching"));
        System.out.printf("outage of %d ms: after the API was back, a mint succeeded after %d ms, the edit"
                + " reached lookups after %d ms, all informers watched again after %d ms%n",
                back / 1_000_000 - down / 1_000_000, mintMs, configMs, millisSince(back));
        mint(before).statusCode(201);
    }

    static void writeTiers(KubernetesApiStub api, String tiers) {
        api.client().configMaps().inNamespace("maas").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("tier-to-group-mapping").withNamespace("maas").endMetadata()
                .addToData("tiers", tiers).build()).createOr(NonDeletingOperation::update);
    }

    static ValidatableResponse lookup(String group) {
        return given().contentType(ContentType.JSON).body("{\"groups\": [\"" + group + "\"]}")
                .post("/v1/tiers/lookup").then();
    }

    /** A flag of one informer on the readiness data; false while the informer has not started. */
    static boolean informer(String name, String field) {
        Boolean value = given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'kubernetes-informers' }.data.'" + name + "." + field + "'");
        return Boolean.TRUE.equals(value);
    }

    private static ValidatableResponse mint(String bearer) {
        return given().header("Authorization", "Bearer " + bearer).post("/v1/tokens").then();
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
