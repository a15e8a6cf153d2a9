package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaults.Fault;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;

/**
 * A kube-apiserver outage with the shipped client settings: the kube-apiserver process stops (connections
 * refused, watches dropped) and starts again, but stays unreachable for maas-api alone (the fault proxy
 * answers 503) while an admin edits the tier ConfigMap, then maas-api reaches it again. Lookups answer from
 * the last good config throughout, liveness and readiness stay up, and once the API is back the edit reaches
 * lookups and mints work, without a restart of maas-api. How long recovery takes is bench/faults.sh's to
 * measure; the bounds here only catch a hang.
 */
@QuarkusTest
@TestProfile(ApiFaultsResource.SharedBoot.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ApiOutageRecoveryTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = "faults-gw")})
class ApiOutageRecoveryTest {

    static final String NAMESPACE = "maas-api-faults";
    /** Does-not-hang bound. */
    static final Duration GENEROUS = Duration.ofSeconds(120);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final String TIER_LISTS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";

    ApiFaults faults;

    private String shippedTiers;

    @AfterEach
    void restore() throws Exception {
        faults.recover();
        if (shippedTiers != null) { // the other classes of this boot read the shipped tiers
            writeTiers(shippedTiers);
            await().atMost(GENEROUS).untilAsserted(() -> lookup("gold-users").statusCode(404));
        }
    }

    @Test
    void anOutageIsRiddenOutAndAnEditMadeDuringItIsAppliedOnceTheApiIsBack() throws Exception {
        await().atMost(GENEROUS).untilAsserted(() -> lookup("premium-users").statusCode(200).body("tier", equalTo("premium")));
        String before = PLANE.user(Pool.FREE).token();
        mint(before).statusCode(201); // starts the token caches too
        await().atMost(GENEROUS).until(() -> informer("managed-serviceaccounts", "synced"));

        PLANE.stopApiServer();
        try {
            await().atMost(GENEROUS).until(() -> !informer("tier-config-map", "watching"));
            // While the API server is away: the last good config answers, liveness and readiness stay up, mints are 503.
            lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
            lookup("gold-users").statusCode(404).body("error", equalTo("not_found"));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200);
            mint(PLANE.user(Pool.FREE).token()).statusCode(503).body("error", equalTo("unavailable"));
            faults.set(Fault.UNAVAILABLE_503); // from here on only the admin reaches the API server
        } finally {
            PLANE.startApiServer();
        }
        shippedTiers = tiers();
        writeTiers(shippedTiers.replaceAll("(?m)^([ ]*)- premium-users$", "$1- premium-users\n$1- gold-users"));

        // The tier informer keeps trying (its backoff growing) and is answered 503: the edit cannot reach lookups.
        long tried = faults.requests("GET", TIER_LISTS);
        await().atMost(GENEROUS).until(() -> faults.requests("GET", TIER_LISTS) >= tried + 3);
        lookup("gold-users").statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);

        faults.recover();
        String after = PLANE.user(Pool.PREMIUM).token();
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> mint(after).statusCode(201));
        await().atMost(GENEROUS).untilAsserted(() -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
        await().atMost(GENEROUS).until(() -> informer("tier-config-map", "watching")
                && informer("managed-serviceaccounts", "watching") && informer("managed-namespaces", "watching"));
        mint(before).statusCode(201);
    }

    private static String tiers() {
        return PLANE.admin().configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").get()
                .getData().get("tiers");
    }

    private static void writeTiers(String tiers) {
        PLANE.admin().configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping")
                .edit(map -> { map.getData().put("tiers", tiers); return map; });
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
}
