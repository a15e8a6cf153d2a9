package org.maas.api.token;

import static io.restassured.RestAssured.given;
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
import static org.maas.api.token.ApiKeys.create;
import static org.maas.api.token.ApiKeys.created;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
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
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;

@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class ApiKeyResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = "maas-default-gateway-tier-free";
    private static final String PREMIUM = "maas-default-gateway-tier-premium";
    private static final ObjectMapper JSON = new ObjectMapper();

    @KubernetesTestServer
    KubernetesApiStub api;

    @TestHTTPResource("/v1/api-keys")
    URI keys;

    @Test
    void aKeyIsASecretOwnedByTheUsersAccountAndItsTokenIsBoundToIt() {
        String bearer = api.addUser("Kim@Example.com", "system:authenticated");
        String account = IDENTITY.serviceAccountName("Kim@Example.com");
        ValidatableResponse answer = create(bearer, "{\"name\": \"laptop\", \"description\": \"my laptop\"}")
                .statusCode(201).contentType(ContentType.JSON)
                .body("name", equalTo("laptop")).body("description", equalTo("my laptop")).body("tier", equalTo("free"));
        String id = answer.extract().path("id");
        String key = answer.extract().path("key");
        long createdAt = answer.extract().jsonPath().getLong("createdAt");
        long expiresAt = answer.extract().jsonPath().getLong("expiresAt");
        assertEquals(720 * 3600, expiresAt - createdAt, "maas.api-keys.default-expiration");

        Secret secret = ApiKeys.secret(api, id);
        assertNotNull(secret);
        assertEquals(FREE, secret.getMetadata().getNamespace());
        assertEquals("maas.opendatahub.io/api-key", secret.getType());
        assertTrue(secret.getData() == null || secret.getData().isEmpty(), "no data");
        assertEquals(Map.of("app.kubernetes.io/managed-by", "maas-api", "maas.opendatahub.io/tier", "free",
                "maas.opendatahub.io/api-key", "true", "maas.opendatahub.io/owner", account), secret.getMetadata().getLabels());
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        assertEquals("Kim@Example.com", annotations.get("maas.opendatahub.io/username"));
        assertEquals("laptop", annotations.get("maas.opendatahub.io/key-name"));
        assertEquals("my laptop", annotations.get("maas.opendatahub.io/key-description"));
        assertEquals(Instant.ofEpochSecond(expiresAt).toString(), annotations.get("maas.opendatahub.io/expires-at"));
        ServiceAccount owner = api.client().serviceAccounts().inNamespace(FREE).withName(account).get();
        assertEquals(1, secret.getMetadata().getOwnerReferences().size());
        assertEquals("ServiceAccount", secret.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(owner.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid());

        JsonNode claims = api.issuedClaims(key);
        assertEquals(secret.getMetadata().getName(), claims.path("kubernetes.io").path("secret").path("name").asText());
        assertEquals(id, claims.path("kubernetes.io").path("secret").path("uid").asText());
        assertEquals("system:serviceaccount:" + FREE + ":" + account, claims.path("sub").asText(),
                "the same user (gateway userid) as the user's tokens");
        assertTrue(api.authenticates(key, AUDIENCE));
    }

    @Test
    void revokingTheMiddleOfThreeKeysRevokesItAlone() {
        String bearer = api.addUser("three-keys", "system:authenticated");
        ApiKeys.Created first = created(bearer, "first");
        ApiKeys.Created middle = created(bearer, "middle");
        ApiKeys.Created last = created(bearer, "last");
        String token = given().header("Authorization", "Bearer " + bearer).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");

        ApiKeys.delete(bearer, middle.id()).statusCode(204);

        assertFalse(api.authenticates(middle.key(), AUDIENCE), "the revoked key");
        given().auth().oauth2(middle.key()).get("/v1/models").then().statusCode(401)
                .body("message", equalTo("the bearer token is not valid: a MaaS token or API key that has expired or"
                        + " was revoked; mint a new token (POST /v1/tokens) or create a key (POST /v1/api-keys) with"
                        + " your own cluster token"));
        assertTrue(api.authenticates(first.key(), AUDIENCE));
        assertTrue(api.authenticates(last.key(), AUDIENCE));
        assertTrue(api.authenticates(token, AUDIENCE), "the unnamed token too");
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
        String alice = api.addUser("alice-keys", "system:authenticated");
        String bob = api.addUser("bob-keys", "system:authenticated");
        ApiKeys.Created bobs = created(bob, "bobs-key");
        created(alice, "alices-key");
        String unknown = "00000000-0000-0000-0000-000000000000";

        String otherGet = ApiKeys.get(alice, bobs.id()).statusCode(404).body("error", equalTo("not_found"))
                .extract().path("message");
        String unknownGet = ApiKeys.get(alice, unknown).statusCode(404).extract().path("message");
        assertEquals(unknownGet.replace(unknown, "ID"), otherGet.replace(bobs.id(), "ID"), "the same answer");
        ApiKeys.delete(alice, bobs.id()).statusCode(404).body("error", equalTo("not_found"));

        assertTrue(api.authenticates(bobs.key(), AUDIENCE), "bob's key still works");
        ApiKeys.get(bob, bobs.id()).statusCode(200);
        assertEquals(List.of("alices-key"), ApiKeys.list(alice).extract().jsonPath().getList("name"));
    }

    @Test
    void aNameIsUniqueAmongLiveKeysAndFreeAgainAfterARevoke() {
        String bearer = api.addUser("names", "system:authenticated");
        ApiKeys.Created first = created(bearer, "ci");
        create(bearer, "{\"name\": \"ci\"}").statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("\"ci\""));
        created(api.addUser("names-other-user", "system:authenticated"), "ci"); // names are per user

        ApiKeys.delete(bearer, first.id()).statusCode(204);
        ApiKeys.Created again = created(bearer, "ci");
        assertNotEquals(first.id(), again.id(), "a new key under the old name has a new id");
        assertFalse(api.authenticates(first.key(), AUDIENCE));
        assertTrue(api.authenticates(again.key(), AUDIENCE));
    }

    @Test
    void anExpiredKeyIsListedAsExpiredAndItsNameCanBeTakenAgain() {
        String bearer = api.addUser("expired-keys", "system:authenticated");
        ApiKeys.Created old = created(bearer, "nightly");
        ApiKeys.setExpiry(api, old.id(), Instant.now().minusSeconds(1));

        ApiKeys.get(bearer, old.id()).statusCode(200).body("status", equalTo("expired"));
        ApiKeys.Created fresh = created(bearer, "nightly");
        assertNull(ApiKeys.secret(api, old.id()), "the expired key's Secret was replaced");
        ApiKeys.list(bearer).body("id", equalTo(List.of(fresh.id()))).body("[0].status", equalTo("active"));
    }

    @Test
    void atMostMaxPerUserLiveKeysAndExpiredOnesDoNotCount() {
        String bearer = api.addUser("many-keys", "system:authenticated");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(created(bearer, "key-" + i).id());
        }
        create(bearer, "{\"name\": \"one-too-many\"}").statusCode(409).body("error", equalTo("conflict"))
                .body("message", containsString("the most allowed is 50"));
        ApiKeys.setExpiry(api, ids.get(0), Instant.now().minusSeconds(1));
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
        ValidatableResponse answer = create(api.addUser("key-expiry", "system:authenticated"),
                "{\"name\": \"e" + seconds + "\", \"expiration\": " + expiration + "}").statusCode(201);
        assertEquals(seconds, answer.extract().jsonPath().getLong("expiresAt") - answer.extract().jsonPath().getLong("createdAt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"x\", \"expiration\": \"9m59s\"}", "{\"name\": \"x\", \"expiration\": \"2160h1s\"}",
            "{\"name\": \"x\", \"expiration\": \"abc\"}", "{}", "{\"name\": \"\"}", "{\"name\": \"   \"}",
            "{\"name\": 42}", "{\"name\": \"x\", \"tier\": \"enterprise\"}", "[]", "{\"name\": "})
    void rejectsBadInputWithA400AndCreatesNothing(String body) {
        String user = "bad-key-input";
        create(api.addUser(user, "system:authenticated"), body).statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("bad_request"));
        assertTrue(api.client().secrets().inAnyNamespace().withLabel("maas.opendatahub.io/owner",
                IDENTITY.serviceAccountName(user)).list().getItems().isEmpty());
    }

    @Test
    void nameAndDescriptionLengthsAreBounded() {
        String bearer = api.addUser("lengths", "system:authenticated");
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
    void theGrantedExpiryIsAnsweredAndListed() {
        api.capTokenExpiration(Duration.ofHours(1));
        try {
            String bearer = api.addUser("capped-keys", "system:authenticated");
            ValidatableResponse answer = create(bearer, "{\"name\": \"short\", \"expiration\": \"2160h\"}").statusCode(201);
            long expiresAt = answer.extract().jsonPath().getLong("expiresAt");
            assertEquals(api.issuedClaims(answer.extract().path("key")).path("exp").asLong(), expiresAt);
            assertTrue(expiresAt - answer.extract().jsonPath().getLong("createdAt") <= 3601);
            ApiKeys.list(bearer).body("[0].expiresAt", equalTo((int) expiresAt));
        } finally {
            api.capTokenExpiration(null);
        }
    }

    @Test
    void aMaasTokenOrKeyCannotManageKeys() {
        String bearer = api.addUser("no-self-renewal", "system:authenticated");
        ApiKeys.Created key = created(bearer, "mine");
        String token = given().header("Authorization", "Bearer " + bearer).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        for (String maas : List.of(key.key(), token)) {
            create(maas, "{\"name\": \"renewed\"}").statusCode(403).body("message", equalTo(refusal("create API keys")));
            ApiKeys.list(maas).statusCode(403).body("message", equalTo(refusal("list API keys")));
            ApiKeys.get(maas, key.id()).statusCode(403).body("message", equalTo(refusal("show API keys")));
            ApiKeys.delete(maas, key.id()).statusCode(403).body("message", equalTo(refusal("revoke API keys")));
        }
        assertTrue(api.authenticates(key.key(), AUDIENCE));
        ApiKeys.list(bearer).body("name", equalTo(List.of("mine")));
        given().when().get(keys).then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    private static String refusal(String action) {
        return "this is a token maas-api issued (a MaaS token or API key); it cannot " + action
                + ". Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)";
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneKey() throws Exception {
        String bearer = api.addUser("racing-keys", "system:authenticated", "premium-users");
        int threads = 12;
        HttpClient http = HttpClient.newHttpClient();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            calls.add(() -> {
                start.await();
                return http.send(HttpRequest.newBuilder(keys).header("Authorization", "Bearer " + bearer)
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
        assertTrue(api.authenticates(winner, AUDIENCE));
        assertEquals(1, api.client().secrets().inNamespace(PREMIUM).withLabel("maas.opendatahub.io/owner",
                IDENTITY.serviceAccountName("racing-keys")).list().getItems().size());
    }

    @Test
    void aTierChangeKillsTheKeysOfTheOldTier() {
        String asFree = api.addUser("moving-keys", "system:authenticated");
        String asPremium = api.addUser("moving-keys", "system:authenticated", "premium-users");
        ApiKeys.Created old = created(asFree, "old");
        ApiKeys.Created fresh = created(asPremium, "new");

        assertFalse(api.authenticates(old.key(), AUDIENCE), "the old tier's key is dead");
        assertTrue(api.authenticates(fresh.key(), AUDIENCE));
        ApiKeys.list(asPremium).body("name", equalTo(List.of("new"))).body("[0].tier", equalTo("premium"));
        ApiKeys.get(asPremium, old.id()).statusCode(404);
    }

    @Test
    void revokingAllTokensRevokesTheKeysToo() {
        String bearer = api.addUser("revoke-all-keys", "system:authenticated");
        ApiKeys.Created key = created(bearer, "gone-soon");
        given().header("Authorization", "Bearer " + bearer).delete("/v1/tokens").then().statusCode(204);
        assertFalse(api.authenticates(key.key(), AUDIENCE));
        ApiKeys.list(bearer).statusCode(200).body("size()", equalTo(0));
        ApiKeys.Created after = created(bearer, "gone-soon"); // the name is free: the old key died with its account
        assertTrue(api.authenticates(after.key(), AUDIENCE));
    }

    @Test
    void aFailedTokenRequestLeavesNoSecret() {
        String user = "half-created";
        String bearer = api.addUser(user, "system:authenticated");
        created(bearer, "warm-up"); // the account exists
        api.forbid("POST", "/api/v1/namespaces/" + FREE + "/serviceaccounts/" + IDENTITY.serviceAccountName(user) + "/token");
        try {
            create(bearer, "{\"name\": \"doomed\"}").statusCode(500).body("error", equalTo("internal_error"));
        } finally {
            api.recover();
        }
        assertNull(api.client().secrets().inNamespace(FREE)
                .withName(ApiKeySecrets.secretName(user, "doomed")).get(), "nothing half-created");
        ApiKeys.list(bearer).body("name", equalTo(List.of("warm-up")));
        created(bearer, "doomed");
    }

    @Test
    void anUnavailableApiServerIsA503WithRetryAfter() {
        String bearer = api.addUser("api-down-keys", "system:authenticated");
        ApiKeys.Created key = created(bearer, "before");
        api.failEverything(503);
        try {
            create(bearer, "{\"name\": \"during\"}").statusCode(503).header("Retry-After", notNullValue())
                    .body("error", equalTo("unavailable"));
            ApiKeys.list(bearer).statusCode(503);
            ApiKeys.delete(bearer, key.id()).statusCode(503);
        } finally {
            api.recover();
        }
        assertTrue(api.authenticates(key.key(), AUDIENCE));
        ApiKeys.list(bearer).statusCode(200).body("name", equalTo(List.of("before")));
    }

    @Test
    void theStubRefusesABoundTokenOnceItsSecretIsRecreatedWithAnotherUid() {
        String user = "recreated-secret";
        String bearer = api.addUser(user, "system:authenticated");
        ApiKeys.Created key = created(bearer, "k");
        Secret secret = ApiKeys.secret(api, key.id());
        api.client().secrets().inNamespace(FREE).withName(secret.getMetadata().getName()).delete();
        api.client().secrets().inNamespace(FREE).resource(new SecretBuilder().withNewMetadata()
                .withName(secret.getMetadata().getName()).withNamespace(FREE).endMetadata().build()).create();
        assertFalse(api.authenticates(key.key(), AUDIENCE));

        var request = new TokenRequestBuilder().withNewSpec().withAudiences(AUDIENCE).withExpirationSeconds(3600L)
                .withNewBoundObjectRef().withKind("Secret").withApiVersion("v1").withName("no-such-secret").endBoundObjectRef()
                .endSpec().build();
        KubernetesClientException missing = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> api.client().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName(user))
                        .tokenRequest(request));
        assertEquals(404, missing.getCode());
    }

    @Test
    void everyKeyOperationIsAuditedAndCountedAndNoKeyIsLogged() {
        String bearer = api.addUser("audited \"keys\"", "system:authenticated");
        ApiKeys.Created key;
        List<String> lines;
        try (LogCapture log = LogCapture.start()) {
            key = created(bearer, "audited");
            ApiKeys.list(bearer).statusCode(200);
            ApiKeys.delete(bearer, key.id()).statusCode(204);
            lines = log.lines();
        }
        List<String> audit = lines.stream().filter(l -> l.startsWith("maas.audit ")).toList();
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=api_key_create outcome=success user=\"audited \\\"keys\\\"\""
                + " tier=\"free\" namespace=\"" + FREE + "\" id=\"" + key.id() + "\" name=\"audited\" expiresAt=20")), audit.toString());
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=api_key_delete outcome=success reason=user")), audit.toString());
        for (String line : lines) {
            assertFalse(line.contains(key.key()) || line.contains(bearer), "a key was logged: " + line);
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("maas_api_key_operations_total{operation=\"create\",outcome=\"success\",tier=\"free\"}"))
                .body(containsString("maas_api_key_operations_total{operation=\"delete\",outcome=\"success\",tier=\"free\"}"))
                .body(containsString("maas_api_key_operations_total{operation=\"list\",outcome=\"success\",tier=\"none\"}"));
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
