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
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
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
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;

@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class TokenResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = "maas-default-gateway-tier-free";
    private static final String PREMIUM = "maas-default-gateway-tier-premium";
    private static final String ENTERPRISE = "maas-default-gateway-tier-enterprise";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous bound for the informers to see a change: a condition, not a timing assertion. */
    private static final Duration INFORMERS = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesApiStub api;

    @Inject
    ManagedObjectCache cache;

    @TestHTTPResource("/v1/tokens")
    URI tokens;

    // --- mint ---

    @Test
    void mintForANewUserCreatesTheNamespaceAndServiceAccountAndAGatewayToken() throws Exception {
        String bearer = api.addUser("Alice@Example.com", "system:authenticated");
        String account = IDENTITY.serviceAccountName("Alice@Example.com");

        ValidatableResponse minted = mint(bearer, null).statusCode(201).contentType(ContentType.JSON)
                .body("expiration", equalTo("4h")).body("jti", notNullValue());
        long expiresAt = minted.extract().jsonPath().getLong("expiresAt");
        long issuedAt = minted.extract().jsonPath().getLong("issuedAt");
        String token = minted.extract().path("token");
        assertEquals(4 * 3600, expiresAt - issuedAt);

        JsonNode claims = claims(token);
        assertEquals(List.of(AUDIENCE), List.of(claims.path("aud").get(0).asText()));
        assertEquals(1, claims.path("aud").size());
        assertEquals("system:serviceaccount:" + FREE + ":" + account, claims.path("sub").asText());
        assertEquals(expiresAt, claims.path("exp").asLong());
        assertEquals(issuedAt, claims.path("iat").asLong());
        assertEquals(minted.extract().path("jti"), claims.path("jti").asText());

        Namespace namespace = api.client().namespaces().withName(FREE).get();
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free"),
                namespace.getMetadata().getLabels());
        ServiceAccount sa = api.client().serviceAccounts().inNamespace(FREE).withName(account).get();
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free"),
                sa.getMetadata().getLabels());
        assertEquals("Alice@Example.com", sa.getMetadata().getAnnotations().get("maas.opendatahub.io/username"));

        assertTrue(api.authenticates(token, AUDIENCE), "the gateway accepts the token");
        assertFalse(api.authenticates(token, KubernetesApiStub.API_AUDIENCE), "the token is no cluster credential");
    }

    @Test
    void aRepeatMintIsExactlyOneApiCall() {
        String bearer = api.addUser("repeat-user", "system:authenticated", "premium-users");
        String account = IDENTITY.serviceAccountName("repeat-user");
        mint(bearer, null).statusCode(201);
        await("the informer cache holds the account").atMost(INFORMERS)
                .until(() -> cache.serviceAccount(PREMIUM, account).isPresent());

        int before = api.requests().size();
        mint(bearer, "{\"expiration\": \"1h\"}").statusCode(201).body("expiration", equalTo("1h"));
        List<String> calls = api.requests().subList(before, api.requests().size()).stream()
                .filter(call -> !call.contains("watch=true")).toList(); // informers' long-lived watches
        assertEquals(List.of("POST /api/v1/namespaces/" + PREMIUM + "/serviceaccounts/" + account + "/token"), calls);
    }

    @Test
    void aTierChangeDeletesTheAccountInTheOldTier() {
        String asFree = api.addUser("bob", "system:authenticated");
        String asPremium = api.addUser("bob", "system:authenticated", "premium-users"); // joined premium, new login
        String account = IDENTITY.serviceAccountName("bob");

        String freeToken = mint(asFree, null).statusCode(201).extract().path("token");
        await("the informer cache holds the account").atMost(INFORMERS)
                .until(() -> cache.serviceAccount(FREE, account).isPresent());
        String premiumToken = mint(asPremium, null).statusCode(201).extract().path("token");

        assertEquals(PREMIUM, claims(premiumToken).path("kubernetes.io").path("namespace").asText());
        assertNull(api.client().serviceAccounts().inNamespace(FREE).withName(account).get());
        assertNotNull(api.client().serviceAccounts().inNamespace(PREMIUM).withName(account).get());
        assertFalse(api.authenticates(freeToken, AUDIENCE), "old-tier tokens stop working");
        assertTrue(api.authenticates(premiumToken, AUDIENCE));
    }

    @Test
    void concurrentFirstMintsMakeOneAccountAndATokenEach() throws Exception {
        String bearer = api.addUser("carol", "system:authenticated", "enterprise-users");
        int threads = 20;
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            calls.add(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(tokens).header("Authorization", "Bearer " + bearer)
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
            minted.forEach(token -> assertTrue(api.authenticates(token, AUDIENCE)));
        } finally {
            pool.shutdownNow();
        }
        String account = IDENTITY.serviceAccountName("carol");
        List<ServiceAccount> accounts = api.client().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", account).list().getItems();
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
        String bearer = api.addUser("expiry-user", "system:authenticated");
        ValidatableResponse minted = mint(bearer, body).statusCode(201).body("expiration", equalTo(expiration));
        assertEquals(seconds, minted.extract().jsonPath().getLong("expiresAt")
                - minted.extract().jsonPath().getLong("issuedAt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expiration\": \"9m59s\"}", "{\"expiration\": \"720h1s\"}", "{\"expiration\": \"abc\"}",
            "{\"expiration\": -5}", "{\"expiration\": 1e99}", "{\"expiration\": 1e309}", "{\"expiration\": -1e999}",
            "{\"expiration\": 1E400}", "{\"expiration\": \"\"}", "{\"expiration\": {}}",
            "{\"expiration\": [\"4h\"]}", "{\"expiration\": 2592001}"})
    void rejectsBadExpirationsWithTheRangeAndFormat(String body) {
        String bearer = api.addUser("bad-expiry-user", "system:authenticated");
        mint(bearer, body).statusCode(400).contentType(ContentType.JSON).body("error", equalTo("bad_request"))
                .body("message", containsString("between 10m and 720h"))
                .body("message", containsString("\"2h30m\""));
        assertNull(api.client().serviceAccounts().inNamespace(FREE)
                .withName(IDENTITY.serviceAccountName("bad-expiry-user")).get(), "nothing half-created");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expiration\": \"4h\", \"tier\": \"enterprise\"}", "[]", "\"4h\"", "{\"expiration\": "})
    void rejectsUnknownFieldsAndMalformedBodies(String body) {
        mint(api.addUser("malformed-user", "system:authenticated"), body).statusCode(400)
                .contentType(ContentType.JSON).body("error", equalTo("bad_request"));
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        given().header("Authorization", "Bearer " + api.addUser("form-user", "system:authenticated"))
                .contentType(ContentType.URLENC).body("expiration=4h").when().post(tokens).then().statusCode(415)
                .contentType(ContentType.JSON).body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void theGrantedExpiryWinsOverTheRequestedOne() {
        api.capTokenExpiration(Duration.ofHours(1)); // like --service-account-max-token-expiration
        try {
            ValidatableResponse minted = mint(api.addUser("capped-user", "system:authenticated"), "{\"expiration\": \"4h\"}")
                    .statusCode(201).body("expiration", equalTo("1h"));
            long expiresAt = minted.extract().jsonPath().getLong("expiresAt");
            assertEquals(3600, expiresAt - minted.extract().jsonPath().getLong("issuedAt"));
            assertEquals(expiresAt, claims(minted.extract().path("token")).path("exp").asLong());
        } finally {
            api.capTokenExpiration(null);
        }
    }

    @Test
    void aUserWithoutATierIsForbiddenAndToldTheGroups() {
        mint(api.addUser("contractor", "contractors"), null).statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("[contractors]"));
        assertTrue(api.client().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", IDENTITY.serviceAccountName("contractor")).list().getItems().isEmpty());
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
        String bearer = api.addUser("mallory", "system:authenticated");
        String token = given().header("Authorization", "Bearer " + bearer).header("X-MaaS-Username", "admin")
                .header("X-MaaS-Group", "enterprise-users")
                .when().post(tokens).then().statusCode(201).extract().path("token");
        assertEquals("system:serviceaccount:" + FREE + ":" + IDENTITY.serviceAccountName("mallory"),
                claims(token).path("sub").asText());
    }

    @Test
    void aMintedTokenCannotMintOrRevoke() {
        String minted = mint(api.addUser("dana", "system:authenticated"), null).statusCode(201).extract().path("token");
        mint(minted, null).statusCode(403).body("error", equalTo("forbidden"))
                .body("message", equalTo("this is a token maas-api issued (a MaaS token or API key); it cannot mint"
                        + " tokens. Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)"));
        given().header("Authorization", "Bearer " + minted).when().delete(tokens).then().statusCode(403)
                .body("message", startsWith("this is a token maas-api issued (a MaaS token or API key); it cannot"
                        + " revoke tokens. "));
        assertTrue(api.authenticates(minted, AUDIENCE), "refusing is not revoking");
    }

    @Test
    void aServiceAccountTokenOfATierNamespaceIsRefusedEvenForTheApiAudience() {
        // e.g. `kubectl create token -n maas-default-gateway-tier-free <account>`, bound to the API server
        String account = IDENTITY.serviceAccountName("erin");
        mint(api.addUser("erin", "system:authenticated"), null).statusCode(201);
        String clusterToken = api.client().serviceAccounts().inNamespace(FREE).withName(account).tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        mint(clusterToken, null).statusCode(403).body("message", containsString("own cluster identity"));
    }

    // --- revoke ---

    @Test
    void revokeDeletesTheUsersAccountsInEveryTierNamespaceAndNoOneElses() {
        String bearer = api.addUser("frank", "system:authenticated");
        String account = IDENTITY.serviceAccountName("frank");
        String token = mint(bearer, null).statusCode(201).extract().path("token");
        // A leftover in another tier namespace, and an account of the same name that is not frank's.
        api.client().serviceAccounts().inNamespace(PREMIUM).resource(account(PREMIUM, account, "frank")).create();
        api.client().serviceAccounts().inNamespace(ENTERPRISE).resource(account(ENTERPRISE, account, "someone-else")).create();

        given().header("Authorization", "Bearer " + bearer).when().delete(tokens).then().statusCode(204);

        assertNull(api.client().serviceAccounts().inNamespace(FREE).withName(account).get());
        assertNull(api.client().serviceAccounts().inNamespace(PREMIUM).withName(account).get());
        assertNotNull(api.client().serviceAccounts().inNamespace(ENTERPRISE).withName(account).get());
        assertFalse(api.authenticates(token, AUDIENCE), "revoked tokens stop working");

        given().header("Authorization", "Bearer " + bearer).when().delete(tokens).then().statusCode(204);
        String fresh = mint(bearer, null).statusCode(201).extract().path("token");
        assertTrue(api.authenticates(fresh, AUDIENCE), "the next mint works again");
    }

    @Test
    void concurrentMintsOfOneUserInTwoTiersLeaveAccountsInOneTierNamespace() throws Exception {
        String premium = api.addUser("olga", "system:authenticated", "premium-users");
        String free = api.addUser("olga", "system:authenticated");
        int threads = 16;
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
        List<String> namespaces = api.client().serviceAccounts().inAnyNamespace()
                .withField("metadata.name", IDENTITY.serviceAccountName("olga")).list().getItems().stream()
                .map(sa -> sa.getMetadata().getNamespace()).toList();
        assertEquals(1, namespaces.size(), "accounts in " + namespaces);
        assertTrue(List.of(FREE, PREMIUM).contains(namespaces.get(0)), namespaces.toString());
    }

    // --- failures ---

    @Test
    void anAccountOfTheSameNameOwnedByAnotherUserIsAConflictNotAToken() {
        String bearer = api.addUser("heidi", "system:authenticated");
        String account = IDENTITY.serviceAccountName("heidi");
        api.client().serviceAccounts().inNamespace(FREE).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(account).withLabels(Map.of("app.kubernetes.io/managed-by", "maas-api",
                        "maas.opendatahub.io/tier", "free"))
                .withAnnotations(Map.of("maas.opendatahub.io/username", "someone-else")).endMetadata().build()).create();
        try (LogCapture log = LogCapture.start()) {
            mint(bearer, null).statusCode(409).contentType(ContentType.JSON).body("error", equalTo("conflict"))
                    .body("message", containsString("belongs to another user"))
                    .body("message", not(containsString("someone-else")));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("name collision")), "the log says why");
        }
    }

    @Test
    void anRbacDenialIsAnInternalErrorWithoutDetails() {
        String bearer = api.addUser("grace", "system:authenticated");
        api.forbid("POST", "/api/v1/namespaces/" + FREE + "/serviceaccounts/" + IDENTITY.serviceAccountName("grace") + "/token");
        try (LogCapture log = LogCapture.start()) {
            mint(bearer, null).statusCode(500).contentType(ContentType.JSON).body("error", equalTo("internal_error"))
                    .body("message", containsString("logged"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("not allowed to create serviceaccounts/token")),
                    "the log names the missing permission");
        } finally {
            api.recover();
        }
    }

    @Test
    void oneAuditLinePerMintAndRevokeAndNeverAToken() {
        String bearer = api.addUser("ivy \"quoted\"", "system:authenticated");
        String account = IDENTITY.serviceAccountName("ivy \"quoted\"");
        String token;
        List<String> lines;
        try (LogCapture log = LogCapture.start()) {
            token = mint(bearer, null).statusCode(201).extract().path("token");
            given().header("Authorization", "Bearer " + bearer).when().delete(tokens).then().statusCode(204);
            lines = log.lines();
        }
        List<String> audit = lines.stream().filter(l -> l.startsWith("maas.audit ")).toList();
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.get(0).contains("event=token_mint outcome=success user=\"ivy \\\"quoted\\\"\" tier=\"free\" namespace=\""
                + FREE + "\" serviceAccount=\"" + account + "\" expiresAt=20"), audit.get(0));
        assertTrue(audit.get(1).contains("event=token_revoke outcome=success"), audit.get(1));
        for (String line : lines) {
            assertFalse(line.contains(bearer) || line.contains(token), "a token was logged: " + line);
        }
    }

    @Test
    void metricsCountMintsAndReviewCacheHits() {
        String bearer = api.addUser("henry", "system:authenticated");
        mint(bearer, null).statusCode(201);
        mint(bearer, null).statusCode(201);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("maas_tokens_minted_total{outcome=\"success\",tier=\"free\"}"))
                .body(containsString("maas_token_review_cache_total{outcome=\"hit\"}"))
                .body(containsString("maas_token_mint_seconds_count{outcome=\"success\"}"));
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

    /** What the API server put in a token it issued: independent of how maas-api reads tokens. */
    private JsonNode claims(String jwt) {
        JsonNode claims = api.issuedClaims(jwt);
        assertNotNull(claims, "not a token the API server issued");
        return claims;
    }
}
