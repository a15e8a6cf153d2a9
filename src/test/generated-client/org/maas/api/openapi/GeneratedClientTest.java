package org.maas.api.openapi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.usage.LimitadorFake;
import org.maas.client.ApiClient;
import org.maas.client.ApiException;
import org.maas.client.api.AdminApi;
import org.maas.client.api.ApiKeysApi;
import org.maas.client.api.ModelsApi;
import org.maas.client.api.TiersApi;
import org.maas.client.api.TokensApi;
import org.maas.client.api.UsageApi;
import org.maas.client.model.ApiKeyInfo;
import org.maas.client.model.CallerTier;
import org.maas.client.model.CreateApiKeyRequest;
import org.maas.client.model.CreatedApiKey;
import org.maas.client.model.GatewayPolicy;
import org.maas.client.model.MaasError;
import org.maas.client.model.MintTokenRequest;
import org.maas.client.model.Model;
import org.maas.client.model.ModelList;
import org.maas.client.model.RevokedAccount;
import org.maas.client.model.Tier;
import org.maas.client.model.TierLookupRequest;
import org.maas.client.model.TierLookupResponse;
import org.maas.client.model.TokenResponse;
import org.maas.client.model.Usage;
import org.maas.client.model.UsageEntry;
import org.maas.client.model.UserRevocation;

/**
 * The Java client openapi-generator makes from the served document (library {@code native}: java.net.http,
 * HTTP/2 by default), used unchanged against the running app for every operation: success paths and every
 * declared error with its typed body. {@link ObservedResponses} fails the class when an answer is not in
 * the document or a declared status was never seen. To cover a new operation: call it here, once per
 * declared status.
 *
 * <p>Still on the API stub (KubernetesApiStub), and still ordered: its 500s need one API call refused by path
 * (TokenReview, SubjectAccessReview, a DELETE) while others pass, which ApiFaults (all-or-nothing) does not do yet,
 * and its first test needs an application that has never loaded a tier config. To do: split the before-config
 * case into a class sharing ConfigMapTierSourceBeforeConfigTest's application, check the contract per test, and
 * move to the real control plane (RBAC refusals by removing a shipped binding, as ModelResourceTest does).
 */
@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
@WithTestResource(LimitadorFake.class)
@TestProfile(GeneratedClientTest.TiersFromAConfigMap.class)
@TestMethodOrder(OrderAnnotation.class)
class GeneratedClientTest {

    /** The ConfigMap source, so that the tier operations can be seen before any config has loaded. */
    public static class TiersFromAConfigMap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "configmap", "maas.tiers.config-map-namespace", NAMESPACE);
        }
    }

    private static final String NAMESPACE = "maas";
    private static final String BEFORE_TIER_CONFIG = "before-tier-config";
    /**
     * The generated client's default is HTTP/2; {@code -Dgenerated-client.http-version=HTTP_1_1} tells a
     * failure of the contract from one of HTTP/2 when diagnosing.
     */
    private static final HttpClient.Version VERSION =
            HttpClient.Version.valueOf(System.getProperty("generated-client.http-version", "HTTP_2"));
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration DOES_NOT_HANG = Duration.ofSeconds(60);
    private static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    private static final ObservedResponses OBSERVED = new ObservedResponses(OpenApiDocument.stored());

    @KubernetesTestServer
    KubernetesApiStub api;

    @TestHTTPResource("/")
    URI root;

    private final ObjectMapper json = new ApiClient().getObjectMapper();

    @AfterEach
    void apiServerRecovers() {
        api.recover();
    }

    // --- before the tier config loads ---

    @Test
    @Order(1)
    @Tag(BEFORE_TIER_CONFIG)
    void beforeAnyTierConfigHasLoadedTheTierOperationsAnswer503WithRetryAfter() throws Exception {
        String user = api.addUser("early", "system:authenticated");
        assertUnavailable(() -> tiers().listTiers());
        assertUnavailable(() -> tiers().lookupTier(new TierLookupRequest().groups(List.of("premium-users"))));
        assertUnavailable(() -> tiers().getTierPolicies());
        assertUnavailable(() -> tiers().getMyTier(bearer(user)));
        assertUnavailable(() -> tokens().mintToken(null, bearer(user)));
    }

    @BeforeEach
    void tierConfigLoaded(TestInfo test) throws Exception {
        if (test.getTags().contains(BEFORE_TIER_CONFIG)
                || api.client().configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").get() != null) {
            return;
        }
        api.client().resource(new ConfigMapBuilder().withNewMetadata().withName("tier-to-group-mapping")
                .withNamespace(NAMESPACE).endMetadata()
                .addToData("tiers", Files.readString(Path.of("src/main/resources/default-tiers.yaml"))).build())
                .create();
        await().atMost(WITHIN).ignoreExceptions().until(() -> tiers().listTiers().size() == 3);
    }

    // --- tiers ---

    @Test
    void lookupTier() throws Exception {
        TierLookupResponse premium = tiers().lookupTier(new TierLookupRequest()
                .groups(List.of("system:authenticated", "premium-users")));
        assertEquals("premium", premium.getTier());
        assertEquals("Premium Tier", premium.getDisplayName());

        assertError(404, "not_found", () -> tiers().lookupTier(new TierLookupRequest().groups(List.of("nobody"))));
        assertError(400, "bad_request", () -> tiers().lookupTier(new TierLookupRequest().groups(List.of())));
        assertError(406, "not_acceptable", () -> tiers(accept("text/plain"))
                .lookupTier(new TierLookupRequest().groups(List.of("premium-users"))));
        assertError(413, "payload_too_large", () -> tiers().lookupTier(new TierLookupRequest()
                .groups(Collections.nCopies(100, "g".repeat(1000)))));
        assertError(415, "unsupported_media_type", () -> tiers(contentType("text/plain"))
                .lookupTier(new TierLookupRequest().groups(List.of("premium-users"))));
    }

    @Test
    void listTiers() throws Exception {
        List<Tier> tiers = tiers().listTiers();
        assertEquals(List.of("enterprise", "premium", "free"), tiers.stream().map(Tier::getName).toList());
        assertEquals(2, tiers.get(0).getLevel());
        assertEquals("Highest limits, for production workloads", tiers.get(0).getDescription());

        assertError(406, "not_acceptable", () -> tiers(accept("application/yaml")).listTiers());
    }

    @Test
    void getMyTier() throws Exception {
        CallerTier mine = tiers().getMyTier(bearer(api.addUser("dora", "system:authenticated", "premium-users")));
        assertEquals("dora", mine.getUsername());
        assertEquals("premium", mine.getTier());
        assertEquals(20, mine.getLimits().getRequests().get(0).getLimit());
        assertEquals("1m", mine.getLimits().getTokens().get(0).getWindow());

        ApiException missing = assertError(401, "unauthorized", () -> tiers().getMyTier());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        assertError(401, "unauthorized", () -> tiers().getMyTier(bearer("not-a-token")));
        assertError(403, "forbidden", () -> tiers().getMyTier(bearer(api.addUser("eve", "contractors"))));
        assertError(403, "forbidden", () -> tiers().getMyTier(bearer(maasToken("frank"))));
        assertError(406, "not_acceptable", () -> tiers(accept("text/plain"))
                .getMyTier(bearer(api.addUser("gus", "system:authenticated"))));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> tiers().getMyTier(bearer(api.addUser("hal"))));
        // 503: beforeAnyTierConfigHasLoaded...
    }

    @Test
    void getTierPoliciesAsJsonAndAsYaml() throws Exception {
        List<GatewayPolicy> policies = tiers().getTierPolicies(); // Accept: application/json, application/yaml
        assertEquals(List.of("RateLimitPolicy", "TokenRateLimitPolicy"),
                policies.stream().map(GatewayPolicy::getKind).toList());
        assertEquals("gateway-rate-limits", policies.get(0).getMetadata().get("name"));

        // Clients that send no Accept (typescript-fetch; fetch itself then sends */*) or a wildcard get JSON too.
        assertEquals(policies, tiersWithoutAccept().getTierPolicies());
        assertEquals(policies, tiers(accept("*/*")).getTierPolicies());

        // YAML for `kubectl apply -f -` when asked for by name: the same two objects.
        HttpResponse<String> yaml = rawGet("/v1/tiers/policies", "application/yaml");
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml", yaml.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        List<GatewayPolicy> fromYaml = new YAMLMapper().readerFor(GatewayPolicy.class)
                .<GatewayPolicy>readValues(yaml.body()).readAll();
        assertEquals(policies, fromYaml);
        assertError(406, "not_acceptable", () -> tiers(accept("text/plain")).getTierPolicies());
    }

    // --- tokens ---

    @Test
    void mintTokenWithEachFormOfExpiration() throws Exception {
        Map<String, String> alice = bearer(api.addUser("alice", "system:authenticated"));
        assertEquals("4h", tokens().mintToken(null, alice).getExpiration());
        assertEquals("4h", tokens().mintToken(new MintTokenRequest(), alice).getExpiration());
        assertEquals("2h30m", tokens().mintToken(new MintTokenRequest().expiration("2h30m"), alice).getExpiration());
        TokenResponse seconds = tokens().mintToken(new MintTokenRequest().expiration("7200s"), alice);
        assertEquals("2h", seconds.getExpiration());
        assertEquals(7200, seconds.getExpiresAt() - seconds.getIssuedAt());
        assertTrue(api.authenticates(seconds.getToken(), IDENTITY.audience()));
    }

    @Test
    void mintTokenErrors() throws Exception {
        Map<String, String> bob = bearer(api.addUser("bob", "system:authenticated"));
        assertError(400, "bad_request", () -> tokens().mintToken(
                new MintTokenRequest().expiration("5m"), bob));
        assertError(400, "bad_request", () -> tokens().mintToken(
                new MintTokenRequest().expiration("599s"), bob));
        assertError(401, "unauthorized", () -> tokens().mintToken(null));
        assertError(403, "forbidden", () -> tokens().mintToken(null, bearer(api.addUser("carl", "contractors"))));
        assertError(403, "forbidden", () -> tokens().mintToken(null, bearer(maasToken("dan"))));
        assertError(406, "not_acceptable", () -> tokens(accept("text/plain")).mintToken(null, bob));
        assertError(413, "payload_too_large", () -> tokens().mintToken(
                new MintTokenRequest().expiration("1".repeat(70_000)), bob));
        assertError(415, "unsupported_media_type", () -> tokens(contentType("text/plain"))
                .mintToken(new MintTokenRequest().expiration("1h"), bob));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> tokens().mintToken(null, bearer(api.addUser("eli"))));
        // 503: beforeAnyTierConfigHasLoaded...
    }

    @Test
    void revokeTokens() throws Exception {
        Map<String, String> gina = bearer(api.addUser("gina", "system:authenticated"));
        String token = tokens().mintToken(null, gina).getToken();
        tokens().revokeTokens(gina);
        assertFalse(api.authenticates(token, IDENTITY.audience()), "revoked");

        assertError(401, "unauthorized", () -> tokens().revokeTokens());
        assertError(403, "forbidden", () -> tokens().revokeTokens(bearer(maasToken("hank"))));
        assertError(406, "not_acceptable", () -> tokens(accept("text/plain")).revokeTokens(gina));

        // A 500 needs an account to delete: the informer must have seen it before revoke tries.
        Map<String, String> ivy = bearer(api.addUser("ivy", "system:authenticated"));
        tokens().mintToken(null, ivy);
        api.forbid("DELETE", "/api/v1/namespaces/");
        await().atMost(WITHIN).until(() -> status(() -> tokens().revokeTokens(ivy)) == 500);
        api.recover();
        assertUnavailableWhenTheApiServerFails(() -> tokens().revokeTokens(bearer(api.addUser("jay"))));
    }

    // --- api keys ---

    @Test
    void createApiKeyWithEachFormOfExpiration() throws Exception {
        Map<String, String> kim = bearer(api.addUser("kim", "system:authenticated"));
        CreatedApiKey plain = apiKeys().createApiKey(new CreateApiKeyRequest().name("plain"), kim);
        assertEquals("plain", plain.getName());
        assertEquals("", plain.getDescription());
        assertEquals("free", plain.getTier());
        assertEquals(Duration.ofHours(720).toSeconds(), plain.getExpiresAt() - plain.getCreatedAt());
        assertTrue(api.authenticates(plain.getKey(), IDENTITY.audience()));

        CreatedApiKey duration = apiKeys().createApiKey(new CreateApiKeyRequest().name("duration")
                .description("GitHub Actions").expiration("2h30m"), kim);
        assertEquals("GitHub Actions", duration.getDescription());
        assertEquals(9000, duration.getExpiresAt() - duration.getCreatedAt());
        CreatedApiKey seconds = apiKeys().createApiKey(new CreateApiKeyRequest().name("seconds")
                .expiration("7200s"), kim);
        assertEquals(7200, seconds.getExpiresAt() - seconds.getCreatedAt());
    }

    @Test
    void createApiKeyErrors() throws Exception {
        Map<String, String> lee = bearer(api.addUser("lee", "system:authenticated"));
        assertError(400, "bad_request", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("n".repeat(129)), lee));
        assertError(400, "bad_request", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("short")
                .expiration("5m"), lee));
        assertError(401, "unauthorized", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("anonymous")));
        assertError(403, "forbidden", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("no tier"),
                bearer(api.addUser("mo", "contractors"))));
        assertError(403, "forbidden", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("by token"),
                bearer(maasToken("ned"))));
        assertError(406, "not_acceptable", () -> apiKeys(accept("text/plain"))
                .createApiKey(new CreateApiKeyRequest().name("text"), lee));
        apiKeys().createApiKey(new CreateApiKeyRequest().name("twice"), lee);
        assertError(409, "conflict", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("twice"), lee));
        assertError(413, "payload_too_large", () -> apiKeys().createApiKey(new CreateApiKeyRequest().name("big")
                .description("d".repeat(70_000)), lee));
        assertError(415, "unsupported_media_type", () -> apiKeys(contentType("text/plain"))
                .createApiKey(new CreateApiKeyRequest().name("typed"), lee));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> apiKeys()
                .createApiKey(new CreateApiKeyRequest().name("rbac"), bearer(api.addUser("ola"))));
        assertUnavailableWhenTheApiServerFails(() -> apiKeys().createApiKey(new CreateApiKeyRequest().name("down"), lee));
    }

    @Test
    void listApiKeys() throws Exception {
        Map<String, String> pat = bearer(api.addUser("pat", "system:authenticated", "premium-users"));
        CreatedApiKey key = apiKeys().createApiKey(new CreateApiKeyRequest().name("listed"), pat);
        List<ApiKeyInfo> listed = apiKeys().listApiKeys(pat);
        assertEquals(List.of(key.getId()), listed.stream().map(ApiKeyInfo::getId).toList());
        assertEquals("active", listed.get(0).getStatus());
        assertEquals("premium", listed.get(0).getTier());
        assertNull(listed.get(0).getUser(), "the owner only in the admin listing");

        assertError(401, "unauthorized", () -> apiKeys().listApiKeys());
        assertError(403, "forbidden", () -> apiKeys().listApiKeys(bearer(key.getKey())));
        assertError(406, "not_acceptable", () -> apiKeys(accept("text/plain")).listApiKeys(pat));
        // A fresh caller each: a bearer token reviewed moments ago is not reviewed again.
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> apiKeys().listApiKeys(bearer(api.addUser("pia"))));
        assertUnavailableWhenTheApiServerFails(() -> apiKeys().listApiKeys(bearer(api.addUser("pim"))));
    }

    @Test
    void getApiKey() throws Exception {
        Map<String, String> quinn = bearer(api.addUser("quinn", "system:authenticated"));
        CreatedApiKey key = apiKeys().createApiKey(new CreateApiKeyRequest().name("got").description("mine"), quinn);
        ApiKeyInfo got = apiKeys().getApiKey(key.getId(), quinn);
        assertEquals("got", got.getName());
        assertEquals("mine", got.getDescription());
        assertEquals(key.getExpiresAt(), got.getExpiresAt());

        assertError(404, "not_found", () -> apiKeys().getApiKey(key.getId(), bearer(api.addUser("rae", "system:authenticated"))));
        assertError(401, "unauthorized", () -> apiKeys().getApiKey(key.getId()));
        assertError(403, "forbidden", () -> apiKeys().getApiKey(key.getId(), bearer(key.getKey())));
        assertError(406, "not_acceptable", () -> apiKeys(accept("text/plain")).getApiKey(key.getId(), quinn));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> apiKeys().getApiKey(key.getId(), bearer(api.addUser("qia"))));
        assertUnavailableWhenTheApiServerFails(() -> apiKeys().getApiKey(key.getId(), bearer(api.addUser("qim"))));
    }

    @Test
    void deleteApiKey() throws Exception {
        Map<String, String> sam = bearer(api.addUser("sam", "system:authenticated"));
        CreatedApiKey gone = apiKeys().createApiKey(new CreateApiKeyRequest().name("gone"), sam);
        CreatedApiKey kept = apiKeys().createApiKey(new CreateApiKeyRequest().name("kept"), sam);
        apiKeys().deleteApiKey(gone.getId(), sam);
        assertFalse(api.authenticates(gone.getKey(), IDENTITY.audience()), "revoked");
        assertTrue(api.authenticates(kept.getKey(), IDENTITY.audience()), "the other key");

        assertError(404, "not_found", () -> apiKeys().deleteApiKey(gone.getId(), sam));
        assertError(401, "unauthorized", () -> apiKeys().deleteApiKey(kept.getId()));
        assertError(403, "forbidden", () -> apiKeys().deleteApiKey(kept.getId(), bearer(kept.getKey())));
        assertError(406, "not_acceptable", () -> apiKeys(accept("text/plain")).deleteApiKey(kept.getId(), sam));
        api.forbid("DELETE", "/api/v1/namespaces/"); // RBAC forbids deleting the key's Secret
        try {
            assertError(500, "internal_error", () -> apiKeys().deleteApiKey(kept.getId(), sam));
        } finally {
            api.recover();
        }
        assertUnavailableWhenTheApiServerFails(() -> apiKeys().deleteApiKey(kept.getId(), sam));
        assertTrue(api.authenticates(kept.getKey(), IDENTITY.audience()), "no failed delete revoked it");
    }

    // --- admin ---

    @Test
    void adminRevokeUserTokens() throws Exception {
        Map<String, String> tess = bearer(api.addUser("tess", "system:authenticated"));
        CreatedApiKey key = apiKeys().createApiKey(new CreateApiKeyRequest().name("offboarded"), tess);
        String token = tokens().mintToken(null, tess).getToken();
        Map<String, String> admin = bearer(adminUser("admin-uma"));

        UserRevocation dry = admin().adminRevokeUserTokens("tess", true, admin);
        assertTrue(dry.getDryRun());
        assertEquals(List.of(IDENTITY.tierNamespace("free")),
                dry.getAccounts().stream().map(RevokedAccount::getNamespace).toList());
        assertEquals(List.of(key.getId()), dry.getAccounts().get(0).getApiKeys().stream().map(ApiKeyInfo::getId).toList());
        assertTrue(api.authenticates(key.getKey(), IDENTITY.audience()), "a dry run changes nothing");

        UserRevocation revoked = admin().adminRevokeUserTokens("tess", null, admin);
        assertFalse(revoked.getDryRun());
        assertEquals(1, revoked.getAccounts().size());
        assertFalse(api.authenticates(key.getKey(), IDENTITY.audience()));
        assertFalse(api.authenticates(token, IDENTITY.audience()));
        assertError(404, "not_found", () -> admin().adminRevokeUserTokens("tess", null, admin)); // nothing left

        // dryRun is typed Boolean in the client: a caller writing the URL by hand can still send another value.
        assertError(400, "bad_request", () -> admin(request -> request.uri(URI.create(
                baseUri() + "/v1/admin/users/tess/tokens?dryRun=yes"))).adminRevokeUserTokens("tess", null, admin));
        assertError(401, "unauthorized", () -> admin().adminRevokeUserTokens("tess", true));
        assertError(403, "forbidden", () -> admin().adminRevokeUserTokens("tess", true,
                bearer(api.addUser("vic", "system:authenticated"))));
        assertError(403, "forbidden", () -> admin().adminRevokeUserTokens("tess", true, bearer(maasToken("admin-wes"))));
        assertError(406, "not_acceptable", () -> admin(accept("text/plain")).adminRevokeUserTokens("tess", true, admin));
        assertInternalErrorWhenRbacForbidsTheAccessReview(() -> admin().adminRevokeUserTokens("tess", true, admin));
        assertUnavailableWhenTheApiServerFails(() -> admin().adminRevokeUserTokens("tess", true, admin));
    }

    @Test
    void adminListApiKeys() throws Exception {
        Map<String, String> xia = bearer(api.addUser("xia", "system:authenticated", "premium-users"));
        CreatedApiKey key = apiKeys().createApiKey(new CreateApiKeyRequest().name("audited"), xia);
        Map<String, String> admin = bearer(adminUser("admin-yan"));

        List<ApiKeyInfo> ofXia = admin().adminListApiKeys(null, "xia", admin);
        assertEquals(List.of(key.getId()), ofXia.stream().map(ApiKeyInfo::getId).toList());
        assertEquals("xia", ofXia.get(0).getUser());
        assertTrue(admin().adminListApiKeys("premium", null, admin).stream().map(ApiKeyInfo::getId).toList()
                .contains(key.getId()));
        assertEquals(List.of(), admin().adminListApiKeys("free", "xia", admin));

        assertError(400, "bad_request", () -> admin().adminListApiKeys("Not_A_Tier", null, admin));
        assertError(404, "not_found", () -> admin().adminListApiKeys("bogus", null, admin));
        assertError(401, "unauthorized", () -> admin().adminListApiKeys(null, "xia"));
        assertError(403, "forbidden", () -> admin().adminListApiKeys(null, "xia",
                bearer(api.addUser("zed", "system:authenticated"))));
        assertError(406, "not_acceptable", () -> admin(accept("text/plain")).adminListApiKeys(null, "xia", admin));
        assertInternalErrorWhenRbacForbidsTheAccessReview(() -> admin().adminListApiKeys(null, "xia", admin));
        assertUnavailableWhenTheApiServerFails(() -> admin().adminListApiKeys(null, "xia", admin));
    }

    // --- models ---

    @Test
    void listModels() throws Exception {
        ModelFixtures fixtures = kserveInstalled();
        fixtures.onGateway("models", "llama", "meta-llama/Llama-3.1-8B-Instruct");
        fixtures.grant("models", "llama", IDENTITY.tierGroup("free"));
        Map<String, String> amy = bearer(api.addUser("amy", "system:authenticated"));
        await().atMost(WITHIN).until(() -> !models().listModels(amy).getData().isEmpty());

        ModelList list = models().listModels(amy);
        assertEquals("list", list.getObject());
        Model llama = list.getData().stream().filter(m -> m.getId().equals("meta-llama/Llama-3.1-8B-Instruct"))
                .findFirst().orElseThrow();
        assertEquals("model", llama.getObject());
        assertEquals("models", llama.getOwnedBy());
        assertEquals("https://maas.apps.example.com/models/llama", llama.getUrl());
        assertTrue(llama.getReady());
        assertTrue(llama.getCreated() > 0);
        Map<String, String> amos = bearer(maasToken("amos")); // a MaaS token lists what its own account may call
        await().atMost(WITHIN).until(() -> models().listModels(amos).getData().stream().map(Model::getId).toList()
                .contains("meta-llama/Llama-3.1-8B-Instruct"));

        ApiException missing = assertError(401, "unauthorized", () -> models().listModels());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        assertError(401, "unauthorized", () -> models().listModels(bearer("not-a-token")));
        assertError(403, "forbidden", () -> models().listModels(bearer(api.addUser("ari", "contractors"))));
        assertError(406, "not_acceptable", () -> models(accept("text/plain")).listModels(amy));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> models().listModels(bearer(api.addUser("abe"))));
        assertUnavailableWhenTheApiServerFails(() -> models().listModels(bearer(api.addUser("ada"))));
    }

    // --- usage ---

    @Test
    void getUsage() throws Exception {
        ModelFixtures fixtures = kserveInstalled();
        fixtures.onGateway("usage", "granite", "ibm/granite");
        fixtures.grant("usage", "granite", IDENTITY.tierGroup("premium"));
        Map<String, String> ben = bearer(api.addUser("ben", "system:authenticated", "premium-users"));
        await().atMost(WITHIN).until(() -> !usage().getUsage(ben).getUsage().isEmpty());

        Usage usage = usage().getUsage(ben);
        assertEquals("premium", usage.getTier());
        assertNull(usage.getPartial());
        assertFalse(usage.getCheckedAt().isBlank());
        UsageEntry requests = usage.getUsage().stream().filter(e -> e.getKind().equals("requests")).findFirst()
                .orElseThrow();
        assertEquals(List.of("ibm/granite", "2m", 20L, 0L, 20L), List.of(requests.getModel(), requests.getWindow(),
                requests.getMax(), requests.getUsed(), requests.getRemaining()));
        assertNull(requests.getResetsInSeconds(), "nothing counted yet: null, which the schema allows");

        ApiException missing = assertError(401, "unauthorized", () -> usage().getUsage());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        assertError(403, "forbidden", () -> usage().getUsage(bearer(api.addUser("bea", "contractors"))));
        assertError(406, "not_acceptable", () -> usage(accept("text/plain")).getUsage(ben));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> usage().getUsage(bearer(api.addUser("bo"))));
        assertUnavailableWhenTheApiServerFails(() -> usage().getUsage(bearer(api.addUser("bud"))));

        // Limitador failing for every model the caller may use: 503 as well
        fixtures.onGateway("usage", "broken", "org/broken");
        fixtures.grant("usage", "broken", IDENTITY.tierGroup("enterprise"));
        LimitadorFake.failing("usage/broken-kserve-route");
        Map<String, String> bex = bearer(api.addUser("bex", "system:authenticated", "enterprise-users"));
        await().atMost(WITHIN).until(() -> status(() -> usage().getUsage(bex)) == 503);
        assertUnavailable(() -> usage().getUsage(bex));
    }

    // --- the whole contract, after every call above ---

    @Test
    @Order(Integer.MAX_VALUE)
    void everyAnswerWasDeclaredAndEveryDeclaredStatusWasAnsweredOverHttp2() {
        assertEquals(List.of(), OBSERVED.problems());
        assertEquals(Set.of(VERSION), OBSERVED.versions(), "the native client's default, HTTP/2, for every answer");
    }

    // --- helpers ---

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** The generated client as its users make it; only the base URI is the test app's. */
    private ApiClient client(Consumer<HttpRequest.Builder> requestChange) {
        return configured(new ApiClient(), requestChange);
    }

    private ApiClient configured(ApiClient client, Consumer<HttpRequest.Builder> requestChange) {
        if (VERSION != HttpClient.Version.HTTP_2) {
            client.setHttpClientBuilder(HttpClient.newBuilder().version(VERSION));
        }
        client.updateBaseUri(baseUri());
        client.setResponseInterceptor(OBSERVED::record);
        client.setReadTimeout(DOES_NOT_HANG);
        client.setRequestInterceptor(requestChange);
        return client;
    }

    private TiersApi tiers() {
        return tiers(request -> { });
    }

    private TiersApi tiers(Consumer<HttpRequest.Builder> requestChange) {
        return new TiersApi(client(requestChange));
    }

    /**
     * The generated client's TiersApi as a client that names no Accept sends its requests (typescript-fetch
     * does not set one): the same generated code, on an HTTP client that drops the Accept header the Java
     * generator always adds. The requests are checked to leave without it.
     */
    private TiersApi tiersWithoutAccept() {
        ApiClient client = new ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return new WithoutAccept(super.getHttpClient());
            }
        };
        configured(client, request -> { }).setResponseInterceptor(response -> {
            assertEquals(Optional.empty(), response.request().headers().firstValue("Accept"));
            OBSERVED.record(response);
        });
        return new TiersApi(client);
    }

    /** An HttpClient that sends every request without its Accept header. */
    private static final class WithoutAccept extends HttpClient {
        private final HttpClient client;

        WithoutAccept(HttpClient client) {
            this.client = client;
        }

        private static HttpRequest withoutAccept(HttpRequest request) {
            return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Accept")).build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(withoutAccept(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return client.sendAsync(withoutAccept(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> pushes) {
            return client.sendAsync(withoutAccept(request), handler, pushes);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return client.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return client.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return client.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return client.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return client.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return client.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return client.authenticator();
        }

        @Override
        public Version version() {
            return client.version();
        }

        @Override
        public Optional<Executor> executor() {
            return client.executor();
        }
    }

    private TokensApi tokens() {
        return tokens(request -> { });
    }

    private TokensApi tokens(Consumer<HttpRequest.Builder> requestChange) {
        return new TokensApi(client(requestChange));
    }

    private ApiKeysApi apiKeys() {
        return apiKeys(request -> { });
    }

    private ApiKeysApi apiKeys(Consumer<HttpRequest.Builder> requestChange) {
        return new ApiKeysApi(client(requestChange));
    }

    private ModelsApi models() {
        return models(request -> { });
    }

    private ModelsApi models(Consumer<HttpRequest.Builder> requestChange) {
        return new ModelsApi(client(requestChange));
    }

    private UsageApi usage() {
        return usage(request -> { });
    }

    private UsageApi usage(Consumer<HttpRequest.Builder> requestChange) {
        return new UsageApi(client(requestChange));
    }

    /** KServe's API group served, so that the model informers start; LLMInferenceServices as KServe stores them. */
    private ModelFixtures kserveInstalled() {
        api.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        return new ModelFixtures(api.client(), "v1alpha2");
    }

    private AdminApi admin() {
        return admin(request -> { });
    }

    private AdminApi admin(Consumer<HttpRequest.Builder> requestChange) {
        return new AdminApi(client(requestChange));
    }

    /** A user the cluster's RBAC lets delete ServiceAccounts in every tier namespace, which admin operations need. */
    private String adminUser(String username) {
        for (String tier : List.of("free", "premium", "enterprise")) {
            api.allow(username, "delete", "serviceaccounts", IDENTITY.tierNamespace(tier));
        }
        return api.addUser(username, "system:authenticated");
    }

    private String baseUri() {
        return root.toString().replaceAll("/$", "");
    }

    private static Consumer<HttpRequest.Builder> accept(String type) {
        return request -> request.setHeader("Accept", type);
    }

    private static Consumer<HttpRequest.Builder> contentType(String type) {
        return request -> request.setHeader("Content-Type", type);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** A token maas-api minted, which may call the gateway but not mint or revoke. */
    private String maasToken(String username) throws Exception {
        return tokens().mintToken(null, bearer(api.addUser(username, "system:authenticated"))).getToken();
    }

    /** The typed error body of a failed call. */
    private ApiException assertError(int status, String code, Call call) throws Exception {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(status, e.getCode(), e.getResponseBody());
        MaasError error = json.readValue(e.getResponseBody(), MaasError.class);
        assertEquals(code, error.getError());
        assertFalse(error.getMessage().isBlank());
        return e;
    }

    private void assertUnavailable(Call call) throws Exception {
        ApiException e = assertError(503, "unavailable", call);
        assertTrue(Integer.parseInt(e.getResponseHeaders().firstValue("Retry-After").orElseThrow()) > 0);
    }

    private void assertUnavailableWhenTheApiServerFails(Call call) throws Exception {
        api.failEverything(503);
        try {
            assertUnavailable(call);
        } finally {
            api.recover();
        }
    }

    private void assertInternalErrorWhenRbacForbidsTheTokenReview(Call call) throws Exception {
        api.forbid("POST", "/apis/authentication.k8s.io/v1/tokenreviews");
        try {
            assertError(500, "internal_error", call);
        } finally {
            api.recover();
        }
    }

    private void assertInternalErrorWhenRbacForbidsTheAccessReview(Call call) throws Exception {
        api.forbid("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews");
        try {
            assertError(500, "internal_error", call);
        } finally {
            api.recover();
        }
    }

    private static int status(Call call) throws Exception {
        try {
            call.run();
            return 204;
        } catch (ApiException e) {
            return e.getCode();
        }
    }

    /** A request the generated client cannot make (it always asks for JSON first), on its HTTP client. */
    private HttpResponse<String> rawGet(String path, String accept) throws Exception {
        ApiClient client = client(request -> { });
        HttpResponse<String> response = client.getHttpClient().send(HttpRequest.newBuilder(
                URI.create(client.getBaseUri() + path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        OBSERVED.record(response);
        return response;
    }

    // --- access (self-contained: its own namespace, model and users) ---

    @Test
    void getAccess() throws Exception {
        ModelFixtures fixtures = kserveInstalled();
        fixtures.onGateway("access", "phi", "microsoft/phi");
        fixtures.grant("access", "phi", IDENTITY.tierGroup("free")); // free: no other test counts free's models
        org.maas.client.api.AccessApi access = new org.maas.client.api.AccessApi(client(request -> { }));
        Map<String, String> pia = bearer(api.addUser("pia", "system:authenticated"));
        await().atMost(WITHIN).until(() -> access.getAccess(pia).getModels().stream()
                .anyMatch(m -> m.getName().equals("phi") && Boolean.TRUE.equals(m.getAllowed())));

        org.maas.client.model.Access answer = access.getAccess(pia);
        assertEquals(List.of("cluster-token", "pia"), List.of(answer.getCaller().getCredential(),
                answer.getCaller().getUsername()));
        assertEquals(List.of("matched", "free"), List.of(answer.getTier().getOutcome(), answer.getTier().getName()));
        assertEquals(List.of("system:authenticated"), answer.getTier().getMatchedGroups());
        org.maas.client.model.AccessModel phi = answer.getModels().stream().filter(m -> m.getName().equals("phi"))
                .findFirst().orElseThrow();
        assertEquals(List.of("microsoft/phi", "access"), List.of(phi.getId(), phi.getNamespace()));
        assertEquals(5L, answer.getLimits().getLimits().get(0).getLimit());
        assertFalse(answer.getPropagation().isEmpty());

        ApiException missing = assertError(401, "unauthorized", access::getAccess);
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        assertError(406, "not_acceptable", () -> new org.maas.client.api.AccessApi(client(accept("text/plain")))
                .getAccess(pia));
        assertInternalErrorWhenRbacForbidsTheTokenReview(() -> access.getAccess(bearer(api.addUser("pio"))));
        assertUnavailableWhenTheApiServerFails(() -> access.getAccess(bearer(api.addUser("pim"))));
    }
}
