package org.maas.api.identity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;

/**
 * What anonymous clients with invalid tokens cost the API server, counted at the API server: the TokenReviews
 * that reach the real kube-apiserver through the fault proxy (which only counts here).
 */
@QuarkusTest
@TestProfile(ApiFaultsResource.SharedBoot.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-faults"),
        @ResourceArg(name = "gateway", value = "faults-gw")})
class ReviewCostTest {

    private static final String REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    /** The gateway's audience: maas.gateway.name plus "-sa". */
    private static final String GATEWAY_AUDIENCE = "faults-gw-sa";
    private static final int CLIENTS = 16;

    ApiFaults faults;

    @TestHTTPResource("/v1/tokens")
    URI tokens;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void twoThousandRequestsWithOneJunkTokenCostOneReview() throws Exception {
        long reviews = reviewsSoFar();
        List<String> junk = java.util.Collections.nCopies(2_000, "junk-" + UUID.randomUUID());
        assertAll401(junk);
        assertEquals(1, reviewsSoFar() - reviews);
    }

    @Test
    void aJunkJwtClaimingTheGatewayAudienceCostsItsTwoReviewsOnce() throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String junk = base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"aud\":[\"" + GATEWAY_AUDIENCE + "\"],\"jti\":\"" + UUID.randomUUID() + "\"}")
                        .getBytes(StandardCharsets.UTF_8)) + ".bm90LXNpZ25lZA";
        long reviews = reviewsSoFar();
        assertAll401(java.util.Collections.nCopies(500, junk));
        assertEquals(2, reviewsSoFar() - reviews);
    }

    @Test
    void distinctJunkTokensCostOneReviewEachThenRepeatsAreFree() throws Exception {
        List<String> junk = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            junk.add("distinct-" + i + "-" + UUID.randomUUID());
        }
        long reviews = reviewsSoFar();
        assertAll401(junk);
        assertEquals(200, reviewsSoFar() - reviews);
        List<String> repeats = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            repeats.addAll(junk);
        }
        assertAll401(repeats);
        assertEquals(200, reviewsSoFar() - reviews);
    }

    @Test
    void aHeaderNotShapedLikeATokenCostsNoReview() throws Exception {
        long reviews = reviewsSoFar();
        assertAll401(List.of("<script>", "a,b", "a\"b", "a=b", "x".repeat(BearerToken.MAX_LENGTH + 1), "{\"jwt\":1}"));
        assertEquals(0, reviewsSoFar() - reviews);
    }

    @Test
    void aRealCallerStillMintsAfterAJunkFlood() throws Exception {
        List<String> junk = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            junk.add("flood-" + i + "-" + UUID.randomUUID());
        }
        assertAll401(junk);
        given().header("Authorization", "Bearer " + ControlPlane.shared().user(Pool.FREE).token())
                .when().post(tokens).then().statusCode(201).body("expiration", equalTo("4h"));
    }

    /** Sends every token from {@link #CLIENTS} concurrent clients; each answer must be the JSON 401. */
    private void assertAll401(List<String> bearerTokens) throws Exception {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (String token : bearerTokens) {
            answers.add(clients.submit(() -> http.send(HttpRequest.newBuilder(tokens)
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString())));
        }
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS); // does not hang
            assertEquals(401, response.statusCode(), response.body());
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(true, response.body().contains("\"error\":\"unauthorized\""), response.body());
        }
    }

    private long reviewsSoFar() {
        return faults.requests("POST", REVIEWS);
    }
}
