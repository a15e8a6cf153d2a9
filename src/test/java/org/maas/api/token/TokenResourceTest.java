package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.Identities;
import org.maas.api.testing.LogCapture;
import org.maas.api.account.Accounts;
import org.maas.api.account.Expiration;
import org.maas.api.testing.TokenChecks;
import org.maas.api.testing.DeniedTokenRequests;
import org.maas.api.testing.TokenBoot;

/**
 * Mint and revoke on the real control plane, maas-api as its own ServiceAccount with the shipped RBAC: every
 * token is checked by a real TokenReview with the gateway's audience, every user is a static user of the API
 * server (groups from its token file, plus system:authenticated, which the API server adds to everyone).
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = TokenBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = TokenBoot.GATEWAY)})
class TokenResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway(TokenBoot.GATEWAY);
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = IDENTITY.tierNamespace("free");
    private static final String PREMIUM = IDENTITY.tierNamespace("premium");
    private static final String ENTERPRISE = IDENTITY.tierNamespace("enterprise");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous bound for the informers to see a change: a condition, not a timing assertion. */
    private static final Duration INFORMERS = Duration.ofSeconds(20);
    private static final ControlPlane PLANE = ControlPlane.shared();
    /** For the bad-input cases: never minted for, so that nothing of theirs may exist. */
    private static final ControlPlane.User NEVER_MINTS = PLANE.user(Pool.FREE);
    /** For the many expirations: one user, many mints. */
    private static final ControlPlane.User EXPIRY = PLANE.user(Pool.FREE);

    @Inject
    Accounts accounts;

    @TestHTTPResource("/v1/tokens")
    URI tokens;

    // --- mint ---

    @Test
    void mintForANewUserCreatesTheNamespaceAndServiceAccountAndAGatewayToken() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String account = IDENTITY.serviceAccountName(user.name());

        ValidatableResponse minted = mint(user.token(), null).statusCode(201).contentType(ContentType.JSON)
                .body("expiration", equalTo("4h")).body("jti", notNullValue());
        long expiresAt = minted.extract().jsonPath().getLong("expiresAt");
        long issuedAt = minted.extract().jsonPath().getLong("issuedAt");
        String token = minted.extract().path("token");
        assertEquals(4 * 3600, expiresAt - issuedAt);

        JsonNode claims = TokenChecks.claims(token);
        assertEquals(AUDIENCE, claims.path("aud").get(0).asText());
        assertEquals(1, claims.path("aud").size());
        assertEquals("system:serviceaccount:" + FREE + ":" + account, claims.path("sub").asText());
        assertEquals(expiresAt, claims.path("exp").asLong());
        assertEquals(issuedAt, claims.path("iat").asLong());
        assertEquals(minted.extract().path("jti"), claims.path("jti").asText());

        Namespace namespace = PLANE.admin().namespaces().withName(FREE).get();
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free",
                "kubernetes.io/metadata.name", FREE), namespace.getMetadata().getLabels(), "the last one is the API server's");
        ServiceAccount sa = PLANE.admin().serviceAccounts().inNamespace(FREE).withName(account).get();
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free"),
                sa.getMetadata().getLabels());
        assertEquals(user.name(), sa.getMetadata().getAnnotations().get("maas.opendatahub.io/username"));

        assertTrue(TokenChecks.authenticates(token, AUDIENCE), "the gateway accepts the token");
        assertFalse(TokenChecks.authenticates(token, null), "the token is no cluster credential");
    }

    /**
     * The account in the informer cache: a repeat mint is one TokenRequest, no read or create of the namespace or
     * the account. Counted by the API server itself, only the verbs and resources a mint could use (informers'
     * relists are LISTs, their watches WATCHes: they never count here).
     */
    @Test
    void aRepeatMintIsExactlyOneApiCall() {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        String account = IDENTITY.serviceAccountName(user.name());
        mint(user.token(), null).statusCode(201);
        await("the informer cache holds the account").atMost(INFORMERS)
                .until(() -> accounts.cached(PREMIUM, account).isPresent());

        Map<String, Long> before = mintCalls();
        mint(user.token(), "{\"expiration\": \"1h\"}").statusCode(201).body("expiration", equalTo("1h"));
        Map<String, Long> after = mintCalls();
        Map<String, Long> made = new java.util.TreeMap<>();
        after.forEach((call, count) -> made.put(call, count - before.get(call)));
        assertEquals(Map.of("GET namespaces", 0L, "POST namespaces", 0L, "GET serviceaccounts", 0L,
                "POST serviceaccounts", 0L, "POST serviceaccounts/token", 1L), made);
    }

    private static Map<String, Long> mintCalls() {
        return Map.of("GET namespaces", TokenChecks.apiServerRequests("GET", "namespaces", ""),
                "POST namespaces", TokenChecks.apiServerRequests("POST", "namespaces", ""),
                "GET serviceaccounts", TokenChecks.apiServerRequests("GET", "serviceaccounts", ""),
                "POST serviceaccounts", TokenChecks.apiServerRequests("POST", "serviceaccounts", ""),
                "POST serviceaccounts/token", TokenChecks.apiServerRequests("POST", "serviceaccounts", "token"));
    }

    @Test
    void aTierChangeDeletesTheAccountInTheOldTier() {
        List<ControlPlane.User> logins = PLANE.logins(Pool.MOVER); // free, then premium-users: a new login
        ControlPlane.User asFree = logins.get(0);
        ControlPlane.User asPremium = logins.get(1);
        String account = IDENTITY.serviceAccountName(asFree.name());

        String freeToken = mint(asFree.token(), null).statusCode(201).extract().path("token");
        await("the informer cache holds the account").atMost(INFORMERS)
                .until(() -> accounts.cached(FREE, account).isPresent());
        String premiumToken = mint(asPremium.token(), null).statusCode(201).extract().path("token");

        assertEquals(PREMIUM, TokenChecks.claims(premiumToken).path("kubernetes.io").path("namespace").asText());
        assertNull(PLANE.admin().serviceAccounts().inNamespace(FREE).withName(account).get());
        assertNotNull(PLANE.admin().serviceAccounts().inNamespace(PREMIUM).withName(account).get());
        TokenChecks.awaitRefused(freeToken, AUDIENCE);
        assertTrue(TokenChecks.authenticates(premiumToken, AUDIENCE));
    }

    @Test
    void concurrentFirstMintsMakeOneAccountAndATokenEach() throws Exception {
        ControlPlane.User user = PLANE.user(Pool.ENTERPRISE);
        int threads = 8; // one caller's share of Kubernetes work (max-concurrent-requests-per-caller): more are 429
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            calls.add(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(tokens).header("Authorization", "Bearer " + user.token())
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            calls.forEach(call -> answers.add(pool.submit(call)));
            start.countDown();
            Set<String> minted = new HashSet<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(201, response.statusCode(), response.body());
                minted.add(JSON.readTree(response.body()).path("token").asText());
            }
            assertEquals(threads, minted.size());
            minted.forEach(token -> assertTrue(TokenChecks.authenticates(token, AUDIENCE)));
        } finally {
            pool.shutdownNow();
        }
        List<ServiceAccount> accounts = PLANE.admin().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", IDENTITY.serviceAccountName(user.name())).list().getItems();
        assertEquals(1, accounts.size());
        assertEquals(ENTERPRISE, accounts.get(0).getMetadata().getNamespace());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"expiration\": \"10m\"}     | 10m | 600",
            "{\"expiration\": \"720h\"}    | 720h | 2592000",
            "{\"expiration\": 7200}        | 2h | 7200",
            "{\"expiration\": \"2h30m\"}   | 2h30m | 9000",
            "{\"expiration\": null}        | 4h | 14400",
            "{}                            | 4h | 14400"})
    void acceptsExpirationsInRange(String body, String expiration, long seconds) {
        ValidatableResponse minted = mint(EXPIRY.token(), body).statusCode(201).body("expiration", equalTo(expiration));
        long expiresAt = minted.extract().jsonPath().getLong("expiresAt");
        assertEquals(seconds, expiresAt - minted.extract().jsonPath().getLong("issuedAt"));
        JsonNode claims = TokenChecks.claims(minted.extract().path("token"));
        assertEquals(seconds, claims.path("exp").asLong() - claims.path("iat").asLong(), "what the API server granted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expiration\": \"9m59s\"}", "{\"expiration\": \"720h1s\"}", "{\"expiration\": \"abc\"}",
            "{\"expiration\": -5}", "{\"expiration\": 1e99}", "{\"expiration\": 1e309}", "{\"expiration\": -1e999}",
            "{\"expiration\": 1E400}", "{\"expiration\": \"\"}", "{\"expiration\": {}}",
            "{\"expiration\": [\"4h\"]}", "{\"expiration\": 2592001}"})
    void rejectsBadExpirationsWithTheRangeAndFormat(String body) {
        mint(NEVER_MINTS.token(), body).statusCode(400).contentType(ContentType.JSON).body("error", equalTo("bad_request"))
                .body("message", containsString("between 10m and 720h"))
                .body("message", containsString("\"2h30m\""));
        assertNothingOf(NEVER_MINTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expiration\": \"4h\", \"tier\": \"enterprise\"}", "[]", "\"4h\"", "{\"expiration\": "})
    void rejectsUnknownFieldsAndMalformedBodies(String body) {
        mint(NEVER_MINTS.token(), body).statusCode(400).contentType(ContentType.JSON).body("error", equalTo("bad_request"));
        assertNothingOf(NEVER_MINTS);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        given().header("Authorization", "Bearer " + NEVER_MINTS.token())
                .contentType(ContentType.URLENC).body("expiration=4h").when().post(tokens).then().statusCode(415)
                .contentType(ContentType.JSON).body("error", equalTo("unsupported_media_type"));
        assertNothingOf(NEVER_MINTS);
    }

    private static void assertNothingOf(ControlPlane.User user) {
        assertTrue(PLANE.admin().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", IDENTITY.serviceAccountName(user.name())).list().getItems().isEmpty(),
                "nothing half-created");
    }

    // --- who is calling ---

    @Test
    void spoofedHeadersWithoutAValidBearerAre401() {
        given().header("X-MaaS-Username", "admin").header("X-MaaS-Group", "enterprise-users")
                .when().post(tokens).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType(ContentType.JSON).body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-cluster-token").header("X-MaaS-Username", "admin")
                .header("X-MaaS-Group", "enterprise-users")
                .when().post(tokens).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("unauthorized"));
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").when().delete(tokens).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void spoofedHeadersNextToAValidBearerAreIgnored() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String token = given().header("Authorization", "Bearer " + user.token()).header("X-MaaS-Username", "admin")
                .header("X-MaaS-Group", "enterprise-users")
                .when().post(tokens).then().statusCode(201).extract().path("token");
        assertEquals("system:serviceaccount:" + FREE + ":" + IDENTITY.serviceAccountName(user.name()),
                TokenChecks.claims(token).path("sub").asText());
    }

    @Test
    void aMintedTokenCannotMintOrRevoke() {
        String minted = mint(PLANE.user(Pool.FREE).token(), null).statusCode(201).extract().path("token");
        mint(minted, null).statusCode(403).body("error", equalTo("forbidden"))
                .body("message", equalTo("this is a token maas-api issued (a MaaS token or API key); it cannot mint"
                        + " tokens. Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)"));
        given().header("Authorization", "Bearer " + minted).when().delete(tokens).then().statusCode(403)
                .body("message", startsWith("this is a token maas-api issued (a MaaS token or API key); it cannot"
                        + " revoke tokens. "));
        assertTrue(TokenChecks.authenticates(minted, AUDIENCE), "refusing is not revoking");
    }

    @Test
    void aServiceAccountTokenOfATierNamespaceIsRefusedEvenForTheApiAudience() {
        // e.g. `kubectl create token -n <tier namespace> <account>`, bound to the API server
        ControlPlane.User user = PLANE.user(Pool.FREE);
        mint(user.token(), null).statusCode(201);
        String clusterToken = PLANE.admin().serviceAccounts().inNamespace(FREE)
                .withName(IDENTITY.serviceAccountName(user.name())).tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        assertTrue(TokenChecks.authenticates(clusterToken, null), "a cluster credential");
        mint(clusterToken, null).statusCode(403).body("message", containsString("own cluster identity"));
    }

    // --- revoke ---

    @Test
    void revokeDeletesTheUsersAccountsInEveryTierNamespaceAndNoOneElses() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String account = IDENTITY.serviceAccountName(user.name());
        String token = mint(user.token(), null).statusCode(201).extract().path("token");
        assertTrue(TokenChecks.authenticates(token, AUDIENCE));
        // A leftover in another tier namespace, and an account of the same name that is not this user's.
        TokenChecks.tierNamespace(PREMIUM, Pool.PREMIUM);
        TokenChecks.tierNamespace(ENTERPRISE, Pool.ENTERPRISE);
        PLANE.admin().serviceAccounts().inNamespace(PREMIUM).resource(account(PREMIUM, account, user.name())).create();
        PLANE.admin().serviceAccounts().inNamespace(ENTERPRISE).resource(account(ENTERPRISE, account, "someone-else"))
                .create();

        given().header("Authorization", "Bearer " + user.token()).when().delete(tokens).then().statusCode(204);

        assertNull(PLANE.admin().serviceAccounts().inNamespace(FREE).withName(account).get());
        assertNull(PLANE.admin().serviceAccounts().inNamespace(PREMIUM).withName(account).get());
        assertNotNull(PLANE.admin().serviceAccounts().inNamespace(ENTERPRISE).withName(account).get());
        TokenChecks.awaitRefused(token, AUDIENCE);

        given().header("Authorization", "Bearer " + user.token()).when().delete(tokens).then().statusCode(204);
        String fresh = mint(user.token(), null).statusCode(201).extract().path("token");
        assertTrue(TokenChecks.authenticates(fresh, AUDIENCE), "the next mint works again");
    }

    @Test
    void concurrentMintsOfOneUserInTwoTiersLeaveAccountsInOneTierNamespace() throws Exception {
        List<ControlPlane.User> logins = PLANE.logins(Pool.MOVER);
        String free = logins.get(0).token();
        String premium = logins.get(1).token();
        int threads = 8; // one caller's share of Kubernetes work (max-concurrent-requests-per-caller): more are 429
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String bearer = i % 2 == 0 ? premium : free;
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.send(HttpRequest.newBuilder(tokens).header("Authorization", "Bearer " + bearer)
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(201, answer.get().statusCode(), answer.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> namespaces = PLANE.admin().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", IDENTITY.serviceAccountName(logins.get(0).name())).list().getItems().stream()
                .map(sa -> sa.getMetadata().getNamespace()).toList();
        assertEquals(1, namespaces.size(), "accounts in " + namespaces);
        assertTrue(List.of(FREE, PREMIUM).contains(namespaces.get(0)), namespaces.toString());
    }

    // --- failures ---

    @Test
    void anAccountOfTheSameNameOwnedByAnotherUserIsAConflictNotAToken() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        TokenChecks.tierNamespace(FREE, Pool.FREE);
        PLANE.admin().serviceAccounts().inNamespace(FREE)
                .resource(account(FREE, IDENTITY.serviceAccountName(user.name()), "someone-else")).create();
        try (LogCapture log = LogCapture.start()) {
            mint(user.token(), null).statusCode(409).contentType(ContentType.JSON).body("error", equalTo("conflict"))
                    .body("message", containsString("belongs to another user"))
                    .body("message", not(containsString("someone-else")));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("name collision")), "the log says why");
        }
    }

    /** The API server refuses the TokenRequest (403, as for a missing RBAC grant): a 500 that says no more. */
    @Test
    void aForbiddenTokenRequestIsAnInternalErrorWithoutDetails() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String account = IDENTITY.serviceAccountName(user.name());
        mint(user.token(), null).statusCode(201);
        try (DeniedTokenRequests denied = new DeniedTokenRequests(FREE, account); LogCapture log = LogCapture.start()) {
            await("the API server applies the policy").atMost(INFORMERS)
                    .until(() -> mint(user.token(), null).extract().statusCode() == 500);
            mint(user.token(), null).statusCode(500).contentType(ContentType.JSON).body("error", equalTo("internal_error"))
                    .body("message", containsString("logged"))
                    .body("message", not(containsString("denies")));
            // an admission policy, not RBAC, refused it: the log says so (KubernetesFailures)
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("refused to create serviceaccounts/token")
                    && line.contains("ValidatingAdmissionPolicy")),
                    "the log names the refused call: " + log.lines());
        }
        await("the API server drops the policy").atMost(INFORMERS)
                .until(() -> mint(user.token(), null).extract().statusCode() == 201);
    }

    @Test
    void oneAuditLinePerMintAndRevokeAndNeverAToken() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String account = IDENTITY.serviceAccountName(user.name());
        String token;
        List<String> lines;
        try (LogCapture log = LogCapture.start()) {
            token = mint(user.token(), null).statusCode(201).extract().path("token");
            given().header("Authorization", "Bearer " + user.token()).when().delete(tokens).then().statusCode(204);
            lines = log.lines();
        }
        // this user's lines only: a request of another test may still end while the log is captured
        List<String> audit = lines.stream().filter(l -> l.startsWith("maas.audit ")
                && l.contains(" user=\"" + user.name() + "\" ")).toList();
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.get(0).contains("event=token_mint outcome=success user=\"" + user.name() + "\" tier=\"free\""
                + " namespace=\"" + FREE + "\" serviceAccount=\"" + account + "\" expiresAt=20"), audit.get(0));
        assertTrue(audit.get(1).contains("event=token_revoke outcome=success"), audit.get(1));
        for (String line : lines) {
            assertFalse(line.contains(user.token()) || line.contains(token), "a token was logged: " + line);
        }
    }

    /** Deltas around the action: the counters are shared by the whole boot. */
    @Test
    void metricsCountMintsAndReviewCacheHits() {
        String minted = "maas_tokens_minted_total{outcome=\"success\",tier=\"free\"}";
        String hits = "maas_token_review_cache_total{outcome=\"hit\"}";
        String misses = "maas_token_review_cache_total{outcome=\"miss\"}";
        String timed = "maas_token_mint_seconds_count{outcome=\"success\"}";
        ControlPlane.User user = PLANE.user(Pool.FREE);
        Map<String, Double> before = Map.of(minted, TokenChecks.metric(minted), hits, TokenChecks.metric(hits),
                misses, TokenChecks.metric(misses), timed, TokenChecks.metric(timed));

        mint(user.token(), null).statusCode(201); // reviewed: a miss
        mint(user.token(), null).statusCode(201); // the same bearer again: a hit

        assertEquals(2, TokenChecks.metric(minted) - before.get(minted), minted);
        assertEquals(1, TokenChecks.metric(misses) - before.get(misses), misses);
        assertEquals(1, TokenChecks.metric(hits) - before.get(hits), hits);
        assertEquals(2, TokenChecks.metric(timed) - before.get(timed), timed);
    }

    @Test
    void theOpenApiDocumentDescribesTokens() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/tokens'.post.responses.'201'", notNullValue())
                .body("paths.'/v1/tokens'.post.requestBody.content.keySet()", org.hamcrest.Matchers.contains("application/json"))
                .body("paths.'/v1/tokens'.delete.responses.'204'", notNullValue())
                .body("components.schemas.TokenResponse.properties.expiresAt", notNullValue())
                .body("components.schemas.MintTokenRequest.properties.expiration.$ref",
                        equalTo("#/components/schemas/Expiration"))
                .body("components.schemas.Expiration.type", equalTo("string")); // a plain value for generated clients
    }

    private ValidatableResponse mint(String bearer, String body) {
        var request = given().header("Authorization", "Bearer " + bearer);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.when().post(tokens).then();
    }

    private static ServiceAccount account(String namespace, String name, String owner) {
        return new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier",
                        namespace.substring(namespace.lastIndexOf('-') + 1)))
                .withAnnotations(Map.of("maas.opendatahub.io/username", owner)).endMetadata().build();
    }
}
