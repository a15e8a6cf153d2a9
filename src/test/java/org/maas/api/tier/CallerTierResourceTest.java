package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.maas.api.model.ModelsBoot;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.usage.LimitadorFake;

/**
 * GET /v1/tiers/me: the caller's tier and limits, from the groups the real TokenReview gives them, never from
 * headers. On the real control plane, in the application of the model classes ({@link ModelsBoot}). A caller in
 * no tier cannot be made there: every authenticated user has system:authenticated, the free tier's group.
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class CallerTierResourceTest {

    private static final ControlPlane PLANE = ControlPlane.shared();

    @Test
    void showsTheCallersTierWithItsLimits() {
        ControlPlane.User carol = PLANE.user(Pool.PREMIUM);
        given().auth().oauth2(carol.token()).get("/v1/tiers/me").then()
                .statusCode(200)
                .body("username", equalTo(carol.name()))
                .body("groups", containsInAnyOrder("system:authenticated", "premium-users"))
                .body("tier", equalTo("premium"))
                .body("displayName", equalTo("Premium Tier"))
                .body("level", equalTo(1))
                .body("limits.requests[0].limit", equalTo(20))
                .body("limits.requests[0].window", equalTo("2m"))
                .body("limits.tokens[0].limit", equalTo(50000))
                .body("limits.tokens[0].window", equalTo("1m"));
    }

    @Test
    void aMaasTokenIsRefusedWithTheActionItCannotDo() {
        String minted = given().auth().oauth2(PLANE.user(Pool.FREE).token()).post("/v1/tokens").then()
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
