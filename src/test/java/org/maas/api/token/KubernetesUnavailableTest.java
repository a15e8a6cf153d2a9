package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/** A failing or unreachable API server is a 503 with Retry-After, never a 401 or a bare 500. */
@QuarkusTest
@TestProfile(KubernetesUnavailableTest.FewRetries.class)
@WithTestResource(KubernetesApiStubResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesUnavailableTest {

    /** The client retries a failed call with backoff; keep that short so the test does not wait for it. */
    public static class FewRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kubernetes-client.request-retry-backoff-limit", "0",
                    "quarkus.kubernetes-client.request-retry-backoff-interval", "10",
                    "quarkus.kubernetes-client.connection-timeout", "2S");
        }
    }

    @KubernetesTestServer
    KubernetesApiStub api;

    @TestHTTPResource("/v1/tokens")
    URI tokens;

    @Test
    @Order(1)
    void anApiServerAnswering5xxIs503() {
        String bearer = api.addUser("ivan", "system:authenticated");
        api.failEverything(503);
        try {
            expect503(bearer, "POST");
            expect503(bearer, "DELETE");
        } finally {
            api.recover();
        }
        given().header("Authorization", "Bearer " + bearer).when().post(tokens).then().statusCode(201);
    }

    @Test
    @Order(2)
    void anApiServerFailingAfterTheReviewWasCachedIs503() {
        String bearer = api.addUser("judy", "system:authenticated", "premium-users");
        given().header("Authorization", "Bearer " + bearer).when().post(tokens).then().statusCode(201);
        api.failEverything(500);
        try {
            expect503(bearer, "POST"); // cached review; the TokenRequest fails
            expect503(bearer, "DELETE");
        } finally {
            api.recover();
        }
    }

    @Test
    @Order(3) // last: the server does not come back
    void anUnreachableApiServerIs503() {
        String bearer = api.addUser("kim", "system:authenticated");
        api.stop();
        expect503(bearer, "POST");
    }

    private void expect503(String bearer, String method) {
        given().header("Authorization", "Bearer " + bearer).when().request(method, tokens).then()
                .statusCode(503).header("Retry-After", "5").contentType(ContentType.JSON)
                .body("error", equalTo("unavailable"));
    }
}
