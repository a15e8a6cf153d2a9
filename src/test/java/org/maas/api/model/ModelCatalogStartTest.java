package org.maas.api.model;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/**
 * The model cache's start, in an application of its own (its own profile, no settings changed): nothing
 * touches KServe before the first GET /v1/models; a cluster serving only v1alpha1 is read at v1alpha1; until
 * the first list succeeds the answer is 503 with Retry-After, then the models.
 */
@QuarkusTest
@TestProfile(ModelCatalogStartTest.OwnApplication.class)
@WithTestResource(KubernetesApiStubResource.class)
class ModelCatalogStartTest {

    /** Only to get an application (and model cache) of its own. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

    @KubernetesTestServer
    KubernetesApiStub api;

    @Inject
    ModelCatalog catalog;

    @Test
    void v1alpha1OnlyAnd503UntilTheFirstList() {
        api.serveApiGroup("serving.kserve.io", "v1alpha1");
        given().get("/q/health/ready").then().statusCode(200);
        assertFalse(api.requests().stream().anyMatch(r -> r.contains("serving.kserve.io")),
                "nothing asks about models before the first GET /v1/models: " + api.requests());
        ModelFixtures fixtures = new ModelFixtures(api.client(), "v1alpha1");
        fixtures.onGateway("old-kserve", "legacy", "org/legacy");
        fixtures.grant("old-kserve", "legacy", ModelResourceTest.FREE);
        String bearer = api.addUser("v1alpha1-user", "system:authenticated");

        api.forbid("GET", "/apis/serving.kserve.io/v1alpha1/llminferenceservices");
        try {
            given().header("Authorization", "Bearer " + bearer).get("/v1/models").then().statusCode(503)
                    .header("Retry-After", "5").body("error", equalTo("unavailable"))
                    .body("message", containsString("not loaded yet"));
        } finally {
            api.recover();
        }

        await().atMost(ModelResourceTest.INFORMERS).until(() -> given().header("Authorization", "Bearer " + bearer)
                .get("/v1/models").statusCode() == 200);
        Set<String> ids = Set.copyOf(given().header("Authorization", "Bearer " + bearer).get("/v1/models")
                .then().statusCode(200).extract().jsonPath().getList("data.id", String.class));
        assertEquals(Set.of("org/legacy"), ids);
        assertTrue(api.requests().stream().noneMatch(r -> r.contains("/v1alpha2/")), "v1alpha2 is not served here");
    }
}
