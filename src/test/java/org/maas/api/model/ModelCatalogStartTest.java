package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.Identities;

/**
 * The model cache's start, in an application where nothing else calls GET /v1/models (the shipped settings, on
 * the real control plane behind {@link ApiFaults}, which counts the requests that reach the API server): nothing
 * touches KServe before the first GET /v1/models; while the API server fails that request is 503 with
 * Retry-After; once it answers, the v1alpha2 models.
 */
@QuarkusTest
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-model-start"),
        @ResourceArg(name = "gateway", value = "model-start-gw")})
class ModelCatalogStartTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String NS = "model-start";
    private static final MaasIdentity IDENTITY = Identities.forGateway("model-start-gw");

    ApiFaults faults;

    @Test
    void nothingListsModelsBeforeTheFirstRequestWhichIs503WhileTheApiServerFails() throws Exception {
        ControlPlane plane = ControlPlane.shared();
        // ready once the tier ConfigMap has been read through the proxy, which may take a moment after the boot
        await().atMost(WITHIN).until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertEquals(0, faults.requests("GET", "/apis/serving.kserve.io"), "no discovery of KServe at start");
        assertEquals(0, faults.requests("GET", "/apis/serving.kserve.io/v1alpha2/llminferenceservices"),
                "no list of models at start");
        ModelFixtures fixtures = new ModelFixtures(plane.admin(), "v1alpha2", "model-start-gw");
        fixtures.onGateway(NS, "current", "org/current");
        fixtures.grant(NS, "current", IDENTITY.tierGroup("free"));
        String bearer = plane.user(Pool.FREE).token();
        given().auth().oauth2(bearer).get("/v1/tiers/me").then().statusCode(200); // the token review, cached

        try {
            faults.set(ApiFaults.Fault.UNAVAILABLE_503);
            given().auth().oauth2(bearer).get("/v1/models").then().statusCode(503)
                    .header("Retry-After", "5").body("error", equalTo("unavailable"));
        } finally {
            faults.recover();
        }
        await().atMost(WITHIN).until(() -> given().auth().oauth2(bearer).get("/v1/models").statusCode() == 200);
        Set<String> ids = Set.copyOf(given().auth().oauth2(bearer).get("/v1/models")
                .then().statusCode(200).extract().jsonPath().getList("data.id", String.class));
        assertEquals(Set.of("org/current"), ids);
    }
}
