package org.maas.api.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.TimedHttp;
import org.maas.api.testing.TimedHttp.Answer;

/**
 * Shares of Kubernetes work (issue 24, finding 2) on the real control plane behind the fault proxy: the proxy
 * keeps chosen API calls in flight ({@link ApiFaults#slowBody}: 201 and a byte a second, so neither the client's
 * timeouts nor the request deadline of this boot end them), which fills a share deterministically; what the
 * others get meanwhile is asserted, never how long anything takes.
 */
@QuarkusTest
@TestProfile(FairSharesTest.SmallShares.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-fair"),
        @ResourceArg(name = "gateway", value = FairSharesTest.GATEWAY)})
class FairSharesTest {

    static final String GATEWAY = "fair-gw";
    private static final int REVIEWS = 2;
    private static final int PER_CALLER = 2;
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final Duration HANG = Duration.ofSeconds(90);
    private static final ControlPlane PLANE = ControlPlane.shared();

    /** Small shares; reviews cached and requests held for longer than any run of this class. */
    public static class SmallShares implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.kubernetes.max-concurrent-reviews", String.valueOf(REVIEWS),
                    "maas.kubernetes.max-concurrent-requests-per-caller", String.valueOf(PER_CALLER),
                    "maas.kubernetes.request-deadline", "10m",
                    "maas.identity.review-cache-ttl", "1h");
        }
    }

    ApiFaults faults;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFloodOfUnknownTokensHoldsOnlyTheReviewShareAndAReviewedUserStillMints() {
        ControlPlane.User known = PLANE.user(Pool.FREE);
        assertEquals(200, call("GET", "v1/tiers/me", known.token()).status()); // reviewed, and cached
        ControlPlane.User fresh = PLANE.user(Pool.FREE);
        long reviewsBefore = faults.requests("POST", TOKEN_REVIEWS);
        faults.slowBody(TOKEN_REVIEWS);
        List<CompletableFuture<Answer>> held = new ArrayList<>();
        List<CompletableFuture<Answer>> flood = new ArrayList<>();
        try {
            for (int i = 0; i < REVIEWS; i++) {
                held.add(send("GET", "v1/models", junk()));
            }
            await("the review share is held at the API server").atMost(HANG)
                    .until(() -> faults.trickling(TOKEN_REVIEWS) == REVIEWS);
            for (int i = 0; i < 30; i++) {
                flood.add(send(i % 2 == 0 ? "GET" : "POST", i % 2 == 0 ? "v1/models" : "v1/tokens", junk()));
            }
            flood.forEach(answer -> assertRefused(answer.join(), 503, "unavailable"));
            Answer cold = call("POST", "v1/tokens", fresh.token());
            Answer mint = call("POST", "v1/tokens", known.token());
            Answer anonymous = call("POST", "v1/tokens", null);

            assertEquals(201, mint.status(), "a user whose review is cached mints during the flood: " + mint.body());
            assertRefused(cold, 503, "unavailable"); // a token not reviewed yet waits for the share like any other
            assertEquals(401, anonymous.status(), "no Authorization: 401 whatever the shares hold: " + anonymous.body());
            assertEquals("unauthorized", anonymous.json().path("error").asText(), anonymous.body());
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "the share was held all along");
            assertEquals(REVIEWS, faults.requests("POST", TOKEN_REVIEWS) - reviewsBefore,
                    "TokenReviews that reached the API server for " + (REVIEWS + flood.size() + 1) + " unknown tokens");
        } finally {
            faults.release(TOKEN_REVIEWS);
        }
        held.forEach(answer -> assertNotNull(answer.join()));
        await("a new token is reviewed again").atMost(HANG)
                .until(() -> call("POST", "v1/tokens", fresh.token()).status() == 201);
    }

    @Test
    void aCallerOverTheirShareGets429AndAnotherCallerIsNotAffected() {
        ControlPlane.User greedy = PLANE.user(Pool.FREE);
        ControlPlane.User other = PLANE.user(Pool.FREE);
        assertEquals(200, call("GET", "v1/tiers/me", greedy.token()).status()); // both reviewed, and cached
        assertEquals(200, call("GET", "v1/tiers/me", other.token()).status());
        // Listing keys lists Secrets; a user's mints would wait for each other (one tier at a time), lists do not.
        String secrets = "/api/v1/secrets";
        faults.slowBody(secrets);
        List<CompletableFuture<Answer>> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CALLER; i++) {
                held.add(send("GET", "v1/api-keys", greedy.token()));
            }
            await("the caller's share is held at the API server").atMost(HANG)
                    .until(() -> faults.trickling(secrets) == PER_CALLER);
            List<CompletableFuture<Answer>> more = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                more.add(send(i % 2 == 0 ? "POST" : "GET", i % 2 == 0 ? "v1/tokens" : "v1/api-keys", greedy.token()));
            }
            Answer others = call("POST", "v1/tokens", other.token());

            more.forEach(answer -> assertRefused(answer.join(), 429, "too_many_requests"));
            assertEquals(201, others.status(), "another caller mints meanwhile: " + others.body());
            assertFalse(held.stream().anyMatch(CompletableFuture::isDone), "the share was held all along");
        } finally {
            faults.release(secrets);
        }
        held.forEach(answer -> assertNotNull(answer.join()));
        await("the caller's share is free again").atMost(HANG)
                .until(() -> call("POST", "v1/tokens", greedy.token()).status() == 201);
    }

    /** Shaped like an OpenShift token, unknown to every cache: only a TokenReview can tell. */
    private static String junk() {
        return "sha256~" + UUID.randomUUID();
    }

    private Answer call(String method, String path, String bearer) {
        return send(method, path, bearer).join();
    }

    private CompletableFuture<Answer> send(String method, String path, String bearer) {
        return TimedHttp.send(base.resolve(path), method, bearer, null, HANG);
    }

    private static void assertRefused(Answer answer, int status, String error) {
        assertEquals(status, answer.status(), answer.body());
        assertNotNull(answer.retryAfter(), "Retry-After");
        assertTrue(Integer.parseInt(answer.retryAfter()) > 0, answer.retryAfter());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals(error, answer.json().path("error").asText(), answer.body());
    }
}
