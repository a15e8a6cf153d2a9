package org.maas.api.apikey;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.testing.ApiKeys.create;
import static org.maas.api.testing.ApiKeys.created;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.maas.api.testing.DeniedTokenRequests;
import org.maas.api.testing.TokenChecks;
import org.maas.api.testing.ApiKeys;
import org.maas.api.testing.TokenBoot;

/**
 * API keys on the real control plane: each key a Secret its token is bound to (a real TokenRequest with
 * boundObjectRef), checked by a real TokenReview with the gateway audience, refused once the Secret is gone.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = TokenBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = TokenBoot.GATEWAY)})
class ApiKeyResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway(TokenBoot.GATEWAY);
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = IDENTITY.tierNamespace("free");
    private static final String PREMIUM = IDENTITY.tierNamespace("premium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration APPLIED = Duration.ofSeconds(20);
    private static final ControlPlane PLANE = ControlPlane.shared();
    /** For the bad-input cases: never creates a key, so that nothing of theirs may exist. */
    private static final ControlPlane.User NEVER_CREATES = PLANE.user(Pool.FREE);
    /** For the many expirations: one user, one key per case. */
    private static final ControlPlane.User EXPIRY = PLANE.user(Pool.FREE);

    @TestHTTPResource("/v1/api-keys")
    URI keys;

    @Test
    void aKeyIsASecretOwnedByTheUsersAccountAndItsTokenIsBoundToIt() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String account = IDENTITY.serviceAccountName(user.name());
        ValidatableResponse answer = create(user.token(), "{\"name\": \"laptop\", \"description\": \"my laptop\"}")
                .statusCode(201).contentType(ContentType.JSON)
                .body("name", equalTo("laptop")).body("description", equalTo("my laptop")).body("tier", equalTo("free"));
        String id = answer.extract().path("id");
        String key = answer.extract().path("key");
        long createdAt = answer.extract().jsonPath().getLong("createdAt");
        long expiresAt = answer.extract().jsonPath().getLong("expiresAt");
        assertEquals(720 * 3600, expiresAt - createdAt, "maas.api-keys.default-expiration");

        Secret secret = ApiKeys.secret(id);
        assertNotNull(secret);
        assertEquals(FREE, secret.getMetadata().getNamespace());
        assertEquals("maas.opendatahub.io/api-key", secret.getType());
        assertTrue(secret.getData() == null || secret.getData().isEmpty(), "no data");
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free",
                "maas.opendatahub.io/api-key", "true", "maas.opendatahub.io/owner", account), secret.getMetadata().getLabels());
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        assertEquals(user.name(), annotations.get("maas.opendatahub.io/username"));
        assertEquals("laptop", annotations.get("maas.opendatahub.io/key-name"));
        assertEquals("my laptop", annotations.get("maas.opendatahub.io/key-description"));
        assertEquals(Instant.ofEpochSecond(expiresAt).toString(), annotations.get("maas.opendatahub.io/expires-at"));
        ServiceAccount owner = PLANE.admin().serviceAccounts().inNamespace(FREE).withName(account).get();
        assertEquals(1, secret.getMetadata().getOwnerReferences().size());
        assertEquals("ServiceAccount", secret.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(owner.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid());

        JsonNode claims = TokenChecks.claims(key);
        assertEquals(secret.getMetadata().getName(), claims.path("kubernetes.io").path("secret").path("name").asText());
        assertEquals(id, claims.path("kubernetes.io").path("secret").path("uid").asText());
        assertEquals("system:serviceaccount:" + FREE + ":" + account, claims.path("sub").asText(),
                "the same user (gateway userid) as the user's tokens");
        assertEquals(expiresAt, claims.path("exp").asLong(), "the expiry the API server granted");
        ApiKeys.list(user.token()).body("[0].expiresAt", equalTo((int) expiresAt));
        assertTrue(TokenChecks.authenticates(key, AUDIENCE));
        assertFalse(TokenChecks.authenticates(key, null), "no cluster credential");
    }

    @Test
    void revokingTheMiddleOfThreeKeysRevokesItAlone() {
        String bearer = PLANE.user(Pool.FREE).token();
        ApiKeys.Created first = created(bearer, "first");
        ApiKeys.Created middle = created(bearer, "middle");
        ApiKeys.Created last = created(bearer, "last");
        String token = given().header("Authorization", "Bearer " + bearer).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        assertTrue(TokenChecks.authenticates(middle.key(), AUDIENCE));

        ApiKeys.delete(bearer, middle.id()).statusCode(204);

        TokenChecks.awaitRefused(middle.key(), AUDIENCE);
        given().auth().oauth2(middle.key()).get("/v1/models").then().statusCode(401)
                .body("message", equalTo("the bearer token is not valid: a MaaS token or API key that has expired or"
                        + " was revoked; mint a new token (POST /v1/tokens) or create a key (POST /v1/api-keys) with"
                        + " your own cluster token"));
        assertTrue(TokenChecks.authenticates(first.key(), AUDIENCE));
        assertTrue(TokenChecks.authenticates(last.key(), AUDIENCE));
        assertTrue(TokenChecks.authenticates(token, AUDIENCE), "the unnamed token too");
        List<String> names = ApiKeys.list(bearer).statusCode(200).extract().jsonPath().getList("name");
        assertEquals(List.of("first", "last"), names.stream().sorted().toList());
        List<Long> created = ApiKeys.list(bearer).extract().jsonPath().getList("createdAt", Long.class);
        assertTrue(created.get(0) >= created.get(1), "newest first: " + created);
        ApiKeys.list(bearer).body("status", hasItems("active")).body("[0].key", org.hamcrest.Matchers.nullValue());
        ApiKeys.get(bearer, middle.id()).statusCode(404);
        ApiKeys.delete(bearer, middle.id()).statusCode(404);
        ApiKeys.get(bearer, first.id()).statusCode(200).body("name", equalTo("first")).body("status", equalTo("active"))
                .body("tier", equalTo("free"));
    }

    @Test
    void anotherUsersIdIsNotFoundLikeAnUnknownOneAndTheirKeyStaysAlive() {
        String alice = PLANE.user(Pool.FREE).token();
        String bob = PLANE.user(Pool.FREE).token();
        ApiKeys.Created bobs = created(bob, "bobs-key");
        created(alice, "alices-key");
        String unknown = "00000000-0000-0000-0000-000000000000";

        String otherGet = ApiKeys.get(alice, bobs.id()).statusCode(404).body("error", equalTo("not_found"))
                .extract().path("message");
        String unknownGet = ApiKeys.get(alice, unknown).statusCode(404).extract().path("message");
        assertEquals(unknownGet.replace(unknown, "ID"), otherGet.replace(bobs.id(), "ID"), "the same answer");
        ApiKeys.delete(alice, bobs.id()).statusCode(404).body("error", equalTo("not_found"));

        assertTrue(TokenChecks.authenticates(bobs.key(), AUDIENCE), "bob's key still works");
        ApiKeys.get(bob, bobs.id()).statusCode(200);
        assertEquals(List.of("alices-key"), ApiKeys.list(alice).extract().jsonPath().getList("name"));
    }

    @Test
    void aNameIsUniqueAmongLiveKeysAndFreeAgainAfterARevoke() {
        String bearer = PLANE.user(Pool.FREE).token();
        ApiKeys.Created first = created(bearer, "ci");
        create(bearer, "{\"name\": \"ci\"}").statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("\"ci\""));
        created(PLANE.user(Pool.FREE).token(), "ci"); // names are per user

        ApiKeys.delete(bearer, first.id()).statusCode(204);
        ApiKeys.Created again = created(bearer, "ci");
        assertNotEquals(first.id(), again.id(), "a new key under the old name has a new id");
        TokenChecks.awaitRefused(first.key(), AUDIENCE);
        assertTrue(TokenChecks.authenticates(again.key(), AUDIENCE));
    }

    @Test
    void anExpiredKeyIsListedAsExpiredAndItsNameCanBeTakenAgain() {
        String bearer = PLANE.user(Pool.FREE).token();
        ApiKeys.Created old = created(bearer, "nightly");
        ApiKeys.setExpiry(old.id(), Instant.now().minusSeconds(1));

        ApiKeys.get(bearer, old.id()).statusCode(200).body("status", equalTo("expired"));
        ApiKeys.Created fresh = created(bearer, "nightly");
        assertNull(ApiKeys.secret(old.id()), "the expired key's Secret was replaced");
        ApiKeys.list(bearer).body("id", equalTo(List.of(fresh.id()))).body("[0].status", equalTo("active"));
    }

    @Test
    void atMostMaxPerUserLiveKeysAndExpiredOnesDoNotCount() {
        String bearer = PLANE.user(Pool.FREE).token();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(created(bearer, "key-" + i).id());
        }
        create(bearer, "{\"name\": \"one-too-many\"}").statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("the most allowed is 50"));
        ApiKeys.setExpiry(ids.get(0), Instant.now().minusSeconds(1));
        created(bearer, "one-more");
        create(bearer, "{\"name\": \"and-another\"}").statusCode(409);
        ApiKeys.delete(bearer, ids.get(1)).statusCode(204);
        created(bearer, "and-another");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"10m\"    | 600",
            "\"2160h\"  | 7776000",
            "7200       | 7200",
            "null       | 2592000"})
    void acceptsExpirationsWithinTheKeyRange(String expiration, long seconds) {
        ValidatableResponse answer = create(EXPIRY.token(),
                "{\"name\": \"e" + seconds + "\", \"expiration\": " + expiration + "}").statusCode(201);
        assertEquals(seconds, answer.extract().jsonPath().getLong("expiresAt") - answer.extract().jsonPath().getLong("createdAt"));
        JsonNode claims = TokenChecks.claims(answer.extract().path("key"));
        assertEquals(seconds, claims.path("exp").asLong() - claims.path("iat").asLong(), "what the API server granted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"x\", \"expiration\": \"9m59s\"}", "{\"name\": \"x\", \"expiration\": \"2160h1s\"}",
            "{\"name\": \"x\", \"expiration\": \"abc\"}", "{}", "{\"name\": \"\"}", "{\"name\": \"   \"}",
            "{\"name\": 42}", "{\"name\": \"x\", \"tier\": \"enterprise\"}", "[]", "{\"name\": "})
    void rejectsBadInputWithA400AndCreatesNothing(String body) {
        create(NEVER_CREATES.token(), body).statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("bad_request"));
        assertTrue(PLANE.admin().secrets().inAnyNamespace().withLabel("maas.opendatahub.io/owner",
                IDENTITY.serviceAccountName(NEVER_CREATES.name())).list().getItems().isEmpty());
    }

    @Test
    void nameAndDescriptionLengthsAreBounded() {
        String bearer = PLANE.user(Pool.FREE).token();
        create(bearer, "{\"name\": \"" + "n".repeat(128) + "\", \"description\": \"" + "d".repeat(256) + "\"}").statusCode(201);
        create(bearer, "{\"name\": \"" + "n".repeat(129) + "\"}").statusCode(400).body("message", containsString("128"));
        create(bearer, "{\"name\": \"d\", \"description\": \"" + "d".repeat(257) + "\"}").statusCode(400)
                .body("message", containsString("256"));
        create(bearer, "{\"name\": \"" + "\uD83D\uDD11".repeat(128) + "\"}").statusCode(201); // characters, not UTF-16 units
        create(bearer, null).statusCode(415).body("error", equalTo("unsupported_media_type")); // no body, no type
        given().header("Authorization", "Bearer " + bearer).contentType(ContentType.JSON).post(keys).then()
                .statusCode(400).body("message", containsString("name"));
        given().header("Authorization", "Bearer " + bearer).contentType(ContentType.TEXT).body("name=x").post(keys)
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void aMaasTokenOrKeyCannotManageKeys() {
        String bearer = PLANE.user(Pool.FREE).token();
        ApiKeys.Created key = created(bearer, "mine");
        String token = given().header("Authorization", "Bearer " + bearer).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        for (String maas : List.of(key.key(), token)) {
            create(maas, "{\"name\": \"renewed\"}").statusCode(403).body("message", equalTo(refusal("create API keys")));
            ApiKeys.list(maas).statusCode(403).body("message", equalTo(refusal("list API keys")));
            ApiKeys.get(maas, key.id()).statusCode(403).body("message", equalTo(refusal("show API keys")));
            ApiKeys.delete(maas, key.id()).statusCode(403).body("message", equalTo(refusal("revoke API keys")));
        }
        assertTrue(TokenChecks.authenticates(key.key(), AUDIENCE));
        ApiKeys.list(bearer).body("name", equalTo(List.of("mine")));
        given().when().get(keys).then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    private static String refusal(String action) {
        return "this is a token maas-api issued (a MaaS token or API key); it cannot " + action
                + ". Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)";
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneKey() throws Exception {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        int threads = 8; // one caller's share of Kubernetes work (max-concurrent-requests-per-caller): more are 429
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            calls.add(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(keys).header("Authorization", "Bearer " + user.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"same\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            calls.forEach(call -> answers.add(pool.submit(call)));
            start.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 201) {
                    winner = JSON.readTree(response.body()).path("key").asText();
                } else {
                    assertEquals("conflict", JSON.readTree(response.body()).path("error").asText(), response.body());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(threads - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertTrue(TokenChecks.authenticates(winner, AUDIENCE));
        assertEquals(1, PLANE.admin().secrets().inNamespace(PREMIUM).withLabel("maas.opendatahub.io/owner",
                IDENTITY.serviceAccountName(user.name())).list().getItems().size());
    }

    @Test
    void aTierChangeKillsTheKeysOfTheOldTier() {
        List<ControlPlane.User> logins = PLANE.logins(Pool.MOVER); // free, then premium-users at a later login
        String asFree = logins.get(0).token();
        String asPremium = logins.get(1).token();
        ApiKeys.Created old = created(asFree, "old");
        assertTrue(TokenChecks.authenticates(old.key(), AUDIENCE));
        ApiKeys.Created fresh = created(asPremium, "new");

        TokenChecks.awaitRefused(old.key(), AUDIENCE);
        assertTrue(TokenChecks.authenticates(fresh.key(), AUDIENCE));
        ApiKeys.list(asPremium).body("name", equalTo(List.of("new"))).body("[0].tier", equalTo("premium"));
        ApiKeys.get(asPremium, old.id()).statusCode(404);
    }

    @Test
    void revokingAllTokensRevokesTheKeysToo() {
        String bearer = PLANE.user(Pool.FREE).token();
        ApiKeys.Created key = created(bearer, "gone-soon");
        assertTrue(TokenChecks.authenticates(key.key(), AUDIENCE));
        given().header("Authorization", "Bearer " + bearer).delete("/v1/tokens").then().statusCode(204);
        TokenChecks.awaitRefused(key.key(), AUDIENCE);
        ApiKeys.list(bearer).statusCode(200).body("size()", equalTo(0));
        ApiKeys.Created after = created(bearer, "gone-soon"); // the name is free: the old key died with its account
        assertTrue(TokenChecks.authenticates(after.key(), AUDIENCE));
    }

    @Test
    void aFailedTokenRequestLeavesNoSecret() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        String bearer = user.token();
        created(bearer, "warm-up"); // the account exists
        try (DeniedTokenRequests denied = new DeniedTokenRequests(FREE, IDENTITY.serviceAccountName(user.name()))) {
            await("the API server applies the policy").atMost(APPLIED) // probed with mints: they leave no key
                    .until(() -> given().auth().oauth2(bearer).post("/v1/tokens").then().extract().statusCode() == 500);
            create(bearer, "{\"name\": \"doomed\"}").statusCode(500).body("error", equalTo("internal_error"));
        }
        assertNull(PLANE.admin().secrets().inNamespace(FREE)
                .withName(ApiKeySecrets.secretName(user.name(), "doomed")).get(), "nothing half-created");
        ApiKeys.list(bearer).body("name", equalTo(List.of("warm-up")));
        await("the API server drops the policy").atMost(APPLIED)
                .until(() -> given().auth().oauth2(bearer).post("/v1/tokens").then().extract().statusCode() == 201);
        created(bearer, "doomed");
    }

    /** Deltas around the action, and only this user's audit lines: the boot's counters and logs are shared. */
    @Test
    void everyKeyOperationIsAuditedAndCountedAndNoKeyIsLogged() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        List<String> series = List.of(
                "maas_api_key_operations_total{operation=\"create\",outcome=\"success\",tier=\"free\"}",
                "maas_api_key_operations_total{operation=\"list\",outcome=\"success\",tier=\"none\"}",
                "maas_api_key_operations_total{operation=\"delete\",outcome=\"success\",tier=\"free\"}");
        Map<String, Double> before = new java.util.HashMap<>();
        series.forEach(s -> before.put(s, TokenChecks.metric(s)));
        ApiKeys.Created key;
        List<String> lines;
        try (LogCapture log = LogCapture.start()) {
            key = created(user.token(), "audited");
            ApiKeys.list(user.token()).statusCode(200);
            ApiKeys.delete(user.token(), key.id()).statusCode(204);
            lines = log.lines();
        }
        List<String> audit = lines.stream().filter(l -> l.startsWith("maas.audit ")
                && l.contains("user=\"" + user.name() + "\"")).toList();
        assertEquals(2, audit.size(), "a create and a delete (listing is not audited): " + audit);
        assertTrue(audit.get(0).contains("event=api_key_create outcome=success user=\"" + user.name() + "\""
                + " tier=\"free\" namespace=\"" + FREE + "\" id=\"" + key.id() + "\" name=\"audited\" expiresAt=20"), audit.get(0));
        assertTrue(audit.get(1).contains("event=api_key_delete outcome=success reason=user user=\"" + user.name() + "\"")
                && audit.get(1).contains("id=\"" + key.id() + "\""), audit.get(1));
        for (String line : lines) {
            assertFalse(line.contains(key.key()) || line.contains(user.token()), "a key was logged: " + line);
        }
        series.forEach(s -> assertEquals(1, TokenChecks.metric(s) - before.get(s), s));
    }

    @Test
    void theOpenApiDocumentNamesEveryKeyOperation() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/api-keys'.post.operationId", equalTo("createApiKey"))
                .body("paths.'/v1/api-keys'.get.operationId", equalTo("listApiKeys"))
                .body("paths.'/v1/api-keys/{id}'.get.operationId", equalTo("getApiKey"))
                .body("paths.'/v1/api-keys/{id}'.delete.operationId", equalTo("deleteApiKey"))
                .body("paths.'/v1/admin/users/{username}/tokens'.delete.operationId", equalTo("adminRevokeUserTokens"))
                .body("paths.'/v1/admin/api-keys'.get.operationId", equalTo("adminListApiKeys"))
                .body("paths.'/v1/api-keys'.post.responses.keySet()", hasItems("201", "400", "401", "403", "409", "415", "503"))
                .body("paths.'/v1/api-keys/{id}'.delete.responses.keySet()", hasItems("204", "401", "403", "404", "503"))
                .body("paths.'/v1/admin/users/{username}/tokens'.delete.responses.keySet()", hasItems("200", "400", "401", "403", "503"))
                .body("paths.'/v1/api-keys'.post.responses.'201'.content.'application/json'.examples", notNullValue())
                .body("components.schemas.CreatedApiKey.required", hasItems("id", "name", "key", "createdAt", "expiresAt", "tier"))
                .body("components.schemas.ApiKeyInfo.required", hasItems("id", "status"));
    }
}
