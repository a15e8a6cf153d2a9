package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/** GET /v1/tiers/me: the caller's tier and limits, from their reviewed groups, never from headers. */
@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class CallerTierResourceTest {

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void showsTheCallersTierWithItsLimits() {
        String bearer = api.addUser("carol", "system:authenticated", "premium-users");
        given().auth().oauth2(bearer).get("/v1/tiers/me").then()
                .statusCode(200)
                .body("username", equalTo("carol"))
                .body("groups", contains("system:authenticated", "premium-users"))
                .body("tier", equalTo("premium"))
                .body("displayName", equalTo("Premium Tier"))
                .body("level", equalTo(1))
                .body("limits.requests[0].limit", equalTo(20))
                .body("limits.requests[0].window", equalTo("2m"))
                .body("limits.tokens[0].limit", equalTo(50000))
                .body("limits.tokens[0].window", equalTo("1m"));
    }

    @Test
    void aCallerInNoTierGetsA403NamingTheirGroupsAsWhenMinting() {
        String bearer = api.addUser("dave", "contractors");
        given().auth().oauth2(bearer).get("/v1/tiers/me").then()
                .statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("[contractors]"));
    }

    @Test
    void aMaasTokenIsRefusedWithTheActionItCannotDo() {
        String minted = given().auth().oauth2(api.addUser("mia", "system:authenticated")).post("/v1/tokens").then()
                .statusCode(201).extract().path("token");
        given().auth().oauth2(minted).get("/v1/tiers/me").then()
                .statusCode(403).body("error", equalTo("forbidden"))
                .body("message", equalTo("this is a token maas-api issued (a MaaS token or API key); it cannot look up"
                        + " your tier. Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)"));
    }

    @Test
    void spoofedHeadersWithoutAValidTokenAre401() {
        given().header("X-MaaS-Username", "admin").header("X-MaaS-Group", "enterprise-users")
                .get("/v1/tiers/me").then()
                .statusCode(401).header("WWW-Authenticate", "Bearer").body("error", equalTo("unauthorized"));
        given().auth().oauth2("not-a-token").header("X-MaaS-Group", "enterprise-users")
                .get("/v1/tiers/me").then().statusCode(401);
    }
}
