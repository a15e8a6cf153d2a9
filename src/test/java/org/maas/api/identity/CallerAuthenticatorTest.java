package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.maas.api.error.ApiException;
import org.maas.api.kubernetes.WorkShares;
import org.maas.api.testing.Identities;

/** What each kind of token costs in TokenReviews, with a reviewer that answers like the API server. */
class CallerAuthenticatorTest {

    private static final String GATEWAY_AUDIENCE = "gw-sa";

    /** Answers from a table of token -> (audience -> caller); records every review. */
    private static final class FakeReviewer extends TokenReviewer {
        final List<List<String>> reviews = new CopyOnWriteArrayList<>();
        final Map<String, Map<String, ReviewedUser>> known;
        final Deque<RuntimeException> failures = new ConcurrentLinkedDeque<>();

        FakeReviewer(Map<String, Map<String, ReviewedUser>> known) {
            super(null);
            this.known = known;
        }

        @Override
        Optional<ReviewedUser> review(String token, List<String> audiences) {
            reviews.add(audiences);
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            String audience = audiences.isEmpty() ? "api" : audiences.get(0);
            return Optional.ofNullable(known.getOrDefault(token, Map.of()).get(audience));
        }
    }

    private final FakeTime time = new FakeTime();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ReviewedUser mintedCaller = new ReviewedUser("system:serviceaccount:gw-tier-free:alice-1234",
            List.of("system:serviceaccounts:gw-tier-free"));
    private final String mintedToken = jwt(GATEWAY_AUDIENCE);
    private final FakeReviewer reviewer = new FakeReviewer(Map.of(
            "alice-token", Map.of("api", new ReviewedUser("alice", List.of("system:authenticated"))),
            mintedToken, Map.of(GATEWAY_AUDIENCE, mintedCaller)));
    private final CallerAuthenticator authenticator = new CallerAuthenticator(reviewer,
            new ReviewCache(time, time, Runnable::run,
                    new ReviewCache.Limits(Duration.ofSeconds(30), 100, Duration.ofSeconds(5), 100)),
            List.of(), Identities.forGateway("gw"), registry, UNLIMITED, (user, groups) -> groups);

    /** KubernetesGuard's shares are tested on the real control plane (FairSharesTest). */
    private static final WorkShares UNLIMITED = new WorkShares() {
        @Override
        public <T> T reviewing(java.util.function.Supplier<T> review) {
            return review.get();
        }

        @Override
        public <T> T tokenReview(java.util.function.Supplier<T> call) {
            return call.get();
        }

        @Override
        public void admit(String caller) {
        }
    };

    @Test
    void aJunkJwtClaimingTheGatewayAudienceCostsTwoReviewsOnceThenNone() {
        String junk = jwt(GATEWAY_AUDIENCE) + "tampered";
        for (int i = 0; i < 100; i++) {
            assertEquals(401, status(() -> authenticator.person("Bearer " + junk, "mint tokens")));
        }
        assertEquals(List.of(List.of(), List.of(GATEWAY_AUDIENCE)), reviewer.reviews);
        assertEquals(1, count("miss"));
        assertEquals(99, count("negative_hit"));
    }

    @Test
    void aMintedTokenIsRefusedWith403AndTheRefusalIsCachedToo() {
        for (int i = 0; i < 10; i++) {
            assertEquals(403, status(() -> authenticator.person("Bearer " + mintedToken, "mint tokens")));
        }
        assertEquals(2, reviewer.reviews.size());
    }

    @Test
    void theRefusalOfAMintedTokenNamesTheActionRefused() {
        ApiException refused = assertThrows(ApiException.class,
                () -> authenticator.person("Bearer " + mintedToken, "list API keys"));
        assertEquals("this is a token maas-api issued (a MaaS token or API key); it cannot list API keys."
                + " Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)",
                refused.getMessage());
    }

    /** A revoked or expired key is not told to send a cluster token it never needed to call models with. */
    @Test
    void aRefusedTokenIsToldWhatTheEndpointTakes() {
        String revokedKey = jwt(GATEWAY_AUDIENCE) + "revoked"; // claims the gateway's audience; the API server refuses it
        assertEquals("the bearer token is not valid: a MaaS token or API key that has expired or was revoked;"
                + " mint a new token (POST /v1/tokens) or create a key (POST /v1/api-keys) with your own cluster token",
                assertThrows(ApiException.class, () -> authenticator.anyCaller("Bearer " + revokedKey)).getMessage());
        assertEquals("the bearer token is not valid (expired, revoked, or not from this cluster): send your own"
                + " cluster token (for example from `oc whoami -t` or `kubectl create token`), a MaaS token or an API key",
                assertThrows(ApiException.class, () -> authenticator.anyCaller("Bearer junk")).getMessage());
        assertEquals("the bearer token is not valid (expired, revoked, or not from this cluster): send your own"
                + " cluster token (for example from `oc whoami -t` or `kubectl create token`)",
                assertThrows(ApiException.class, () -> authenticator.person("Bearer junk", "mint tokens")).getMessage());
    }

    @Test
    void aMintedTokenIsAMaasTokenCallerWithItsTierAndServiceAccount() {
        Caller caller = authenticator.anyCaller("Bearer " + mintedToken);
        assertEquals(new Caller.MaasToken("system:serviceaccount:gw-tier-free:alice-1234",
                List.of("system:serviceaccounts:gw-tier-free"), "free", "alice-1234"), caller);
        assertEquals(new Caller.Person("alice", List.of("system:authenticated")),
                authenticator.anyCaller("Bearer alice-token"));
        assertEquals(List.of(List.of(), List.of(GATEWAY_AUDIENCE), List.of()), reviewer.reviews,
                "the minted token is asked about twice (API server audience, then the gateway's), alice once");
    }

    @Test
    void aRefusedTokenIsReviewedAgainAfterTheNegativeTtl() {
        authenticate401("junk");
        time.advance(Duration.ofSeconds(4));
        authenticate401("junk");
        assertEquals(1, reviewer.reviews.size());
        time.advance(Duration.ofSeconds(1));
        authenticate401("junk");
        assertEquals(2, reviewer.reviews.size());
    }

    @Test
    void anUnavailableApiIsNotCached() {
        reviewer.failures.add(ApiException.unavailable("the Kubernetes API is unavailable; retry shortly", 5));
        assertEquals(503, status(() -> authenticator.person("Bearer alice-token", "mint tokens")));
        assertEquals("alice", authenticator.person("Bearer alice-token", "mint tokens").username());
        reviewer.failures.add(ApiException.unavailable("the Kubernetes API is unavailable; retry shortly", 5));
        assertEquals(503, status(() -> authenticator.person("Bearer junk", "mint tokens")));
        authenticate401("junk");
        assertEquals(4, reviewer.reviews.size());
    }

    @Test
    void anAcceptedTokenIsReviewedOnceForTheTtl() {
        for (int i = 0; i < 10; i++) {
            assertEquals("alice", authenticator.person("Bearer alice-token", "mint tokens").username());
        }
        assertEquals(1, reviewer.reviews.size());
        assertEquals(9, count("hit"));
    }

    @Test
    void aHeaderNotShapedLikeATokenCostsNoReview() {
        List<String> headers = new ArrayList<>(List.of("Bearer <junk>", "Bearer a\"b", "Bearer " + "x".repeat(20_000),
                "Basic YWxpY2U6eA==", "Bearer a,b"));
        headers.forEach(header -> assertEquals(401, status(() -> authenticator.person(header, "mint tokens"))));
        assertEquals(0, reviewer.reviews.size());
    }

    private void authenticate401(String token) {
        assertEquals(401, status(() -> authenticator.person("Bearer " + token, "mint tokens")));
    }

    private double count(String outcome) {
        return registry.get("maas_token_review_cache").tag("outcome", outcome).counter().count();
    }

    private static int status(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(ApiException.class, call).status();
    }

    private static String jwt(String audience) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"aud\":[\"" + audience + "\"],\"exp\":4102444800}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
    }
}
