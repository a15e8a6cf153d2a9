package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.testing.TokenChecks.review;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.Identities;
import org.maas.api.testing.TokenBoot;
import org.maas.api.testing.TokenChecks;

/**
 * Tokens and keys on the real control plane, maas-api authenticated as its own ServiceAccount with exactly
 * the shipped base RBAC (src/main/kubernetes/kubernetes.yml): every call it makes is authorized by the real
 * RBAC, every token it hands out is checked by the real TokenReview, as the gateway checks it (with the
 * gateway's audience).
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = TokenBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = TokenBoot.GATEWAY)})
class ShippedRbacTokensTest {

    private static final String AUDIENCE = Identities.forGateway(TokenBoot.GATEWAY).audience();
    private static final ControlPlane PLANE = ControlPlane.shared();

    @Test
    void aMintedTokenIsAGatewayCredentialOfTheUsersTierAndNoClusterOne() {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        String token = given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"expiration\":\"1h\"}")
                .post("/v1/tokens").then().statusCode(201).extract().path("token");

        TokenReview review = review(token, AUDIENCE);
        assertTrue(review.getStatus().getAuthenticated(), () -> "gateway audience: " + review.getStatus());
        String username = review.getStatus().getUser().getUsername();
        assertTrue(username.startsWith("system:serviceaccount:rbac-tokens-gw-tier-premium:"), username);
        assertFalse(Boolean.TRUE.equals(review(token, null).getStatus().getAuthenticated()),
                "the API server's own audience refuses it");
    }

    @Test
    void revokingAllTokensMakesTheRealApiServerRefuseThem() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String token = given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{}")
                .post("/v1/tokens").then().statusCode(201).extract().path("token");
        assertTrue(review(token, AUDIENCE).getStatus().getAuthenticated());

        given().auth().oauth2(user.token()).delete("/v1/tokens").then().statusCode(204);

        TokenChecks.awaitRefused(token, AUDIENCE);
    }

    @Test
    void aRevokedKeyIsRefusedAndTheKeptOneStillAuthenticates() {
        ControlPlane.User user = PLANE.user(Pool.ENTERPRISE);
        String kept = createKey(user, "kept");
        var revoked = given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"laptop\"}")
                .post("/v1/api-keys").then().statusCode(201).body("tier", equalTo("enterprise")).extract();
        assertTrue(review(revoked.path("key"), AUDIENCE).getStatus().getAuthenticated());

        given().auth().oauth2(user.token()).delete("/v1/api-keys/" + revoked.path("id")).then().statusCode(204);

        TokenChecks.awaitRefused(revoked.path("key"), AUDIENCE);
        assertTrue(review(kept, AUDIENCE).getStatus().getAuthenticated(), "the other key is untouched");
    }

    @Test
    void aPersonsClusterTokenIsReviewedWithTheirStaticGroupsAndSystemAuthenticated() {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        TokenReview review = review(user.token(), null);
        assertEquals(user.name(), review.getStatus().getUser().getUsername());
        assertEquals(List.of("premium-users", "system:authenticated"), review.getStatus().getUser().getGroups());
        assertFalse(Boolean.TRUE.equals(review(user.token(), AUDIENCE).getStatus().getAuthenticated()),
                "no gateway credential");
    }

    private static String createKey(ControlPlane.User user, String name) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .post("/v1/api-keys").then().statusCode(201).extract().path("key");
    }
}
