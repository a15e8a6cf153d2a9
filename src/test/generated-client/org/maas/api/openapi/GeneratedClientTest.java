package org.maas.api.openapi;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.openapi.GeneratedClients.accept;
import static org.maas.api.openapi.GeneratedClients.bearer;
import static org.maas.api.openapi.GeneratedClients.contentType;
import static org.maas.api.openapi.GeneratedClients.status;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.model.ModelsBoot;
import org.maas.api.openapi.GeneratedClients.Call;
import org.maas.api.openapi.Refusal.Request;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.TokenChecks;
import org.maas.api.usage.LimitadorFake;
import org.maas.client.ApiException;
import org.maas.client.model.Access;
import org.maas.client.model.AccessModel;
import org.maas.client.model.ApiKeyInfo;
import org.maas.client.model.CallerTier;
import org.maas.client.model.CreateApiKeyRequest;
import org.maas.client.model.CreatedApiKey;
import org.maas.client.model.DoctorCheck;
import org.maas.client.model.DoctorReport;
import org.maas.client.model.DoctorStatus;
import org.maas.client.model.GatewayPolicy;
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
 * The Java client openapi-generator makes from the served document, used unchanged against the running app for
 * every operation: success paths and every declared error with its typed body, on the real control plane (the
 * application of {@link ModelsBoot}: maas-api as its own ServiceAccount with the shipped RBAC, behind
 * {@link ApiFaults}; users from the control plane's pools; models as real LLMInferenceServices; a Limitador
 * fake). Each test sets up what it reads and claims the statuses it shows ({@link Answers}); the 503s of the
 * tier operations before any tier config are GeneratedClientBeforeTierConfigTest's, and
 * GeneratedClientCoverageTest checks that the claims cover the document. To cover a new operation: call it
 * here, once per declared status, and claim them.
 *
 * <p>How the errors that need the API server are made: 500, the real API server refuses maas-api's request
 * with 403 ({@link Refusal}: TokenReview, SubjectAccessReview or a DELETE, as missing RBAC would); 503, the
 * fault proxy answers 503 to everything; 403 for a caller in no tier, the class's tier ConfigMap briefly
 * without the free tier's group (every real user is in system:authenticated); 429, a dedicated user's requests
 * held at the fault proxy ({@link ApiFaults#slowBody}) until their share of the Kubernetes work is full.
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class GeneratedClientTest {

    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final MaasIdentity IDENTITY = org.maas.api.testing.Identities.forGateway(ModelsBoot.GATEWAY);
    /** Generous bound for the informers to see a change: a condition, not a timing assertion. */
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String ADMIN_ROLE = "maas-token-admin";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** maas.kubernetes.max-concurrent-requests-per-caller, the default. */
    private static final int PER_CALLER = 8;
    /** What listing API keys lists: every key Secret of the caller, in any namespace. */
    private static final String SECRETS = "/api/v1/secrets";
    /** The doctor's checks, in report order (docs/doctor.md: one group after another). */
    private static final List<String> DOCTOR_CHECKS = List.of("gateway.programmed", "gateway.listener",
            "policy.gateway-auth-policy", "policy.gateway-rate-limits", "policy.gateway-token-rate-limits",
            "policy.maas-api-auth-policy", "policy.maas-api-rate-limits", "policy.maas-api-token-rate-limits",
            "policy.gateway-rate-limits.rendered", "policy.gateway-token-rate-limits.rendered",
            "auth.tier-lookup", "auth.audiences", "limitador.limits",
            "models.ready", "models.routed", "models.callable", "models.tier-annotation", "models.annotation-unmanaged",
            "permissions.tiers", "permissions.tokens", "permissions.models", "permissions.doctor",
            "permissions.policy-reconcile", "permissions.model-access", "permissions.group-revocation",
            "tier-namespaces.stale-accounts");

    ApiFaults faults;

    @TestHTTPResource("/")
    URI root;

    private GeneratedClients client;

    @BeforeEach
    void freshClient() {
        client = new GeneratedClients(root);
    }

    @AfterEach
    void apiServerBackAndContractKept(TestInfo test) throws Exception {
        faults.recover();
        client.verify(test.getTestMethod().orElseThrow());
    }

    // --- tiers ---

    @Test
    @Answers("lookupTier 200 400 404 406 413 415")
    void lookupTier() throws Exception {
        TierLookupResponse premium = client.tiers().lookupTier(new TierLookupRequest()
                .groups(List.of("system:authenticated", "premium-users")));
        assertEquals("premium", premium.getTier());
        assertEquals("Premium Tier", premium.getDisplayName());

        client.assertError(404, "not_found", () -> client.tiers().lookupTier(new TierLookupRequest()
                .groups(List.of("nobody"))));
        client.assertError(400, "bad_request", () -> client.tiers().lookupTier(new TierLookupRequest()
                .groups(List.of())));
        client.assertError(406, "not_acceptable", () -> client.tiers(accept("text/plain"))
                .lookupTier(new TierLookupRequest().groups(List.of("premium-users"))));
        client.assertError(413, "payload_too_large", () -> client.tiers().lookupTier(new TierLookupRequest()
                .groups(Collections.nCopies(100, "g".repeat(1000)))));
        client.assertError(415, "unsupported_media_type", () -> client.tiers(contentType("text/plain"))
                .lookupTier(new TierLookupRequest().groups(List.of("premium-users"))));
    }

    @Test
    @Answers("listTiers 200 406")
    void listTiers() throws Exception {
        List<Tier> tiers = client.tiers().listTiers();
        assertEquals(List.of("enterprise", "premium", "free"), tiers.stream().map(Tier::getName).toList());
        assertEquals(2, tiers.get(0).getLevel());
        assertEquals("Highest limits, for production workloads", tiers.get(0).getDescription());

        client.assertError(406, "not_acceptable", () -> client.tiers(accept("application/yaml")).listTiers());
    }

    @Test
    @Answers("getMyTier 200 401 403 406 500")
    void getMyTier() throws Exception {
        ControlPlane.User dora = PLANE.user(Pool.PREMIUM);
        CallerTier mine = client.tiers().getMyTier(bearer(dora.token()));
        assertEquals(dora.name(), mine.getUsername());
        assertEquals("premium", mine.getTier());
        assertEquals(20, mine.getLimits().getRequests().get(0).getLimit());
        assertEquals("1m", mine.getLimits().getTokens().get(0).getWindow());

        ApiException missing = client.assertError(401, "unauthorized", () -> client.tiers().getMyTier());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        client.assertError(401, "unauthorized", () -> client.tiers().getMyTier(bearer("not-a-token")));
        String minted = maasToken(dora);
        client.assertError(403, "forbidden", () -> client.tiers().getMyTier(bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.tiers(accept("text/plain"))
                .getMyTier(bearer(dora.token())));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.tiers().getMyTier(bearer(unknownToken())));
        // 503: GeneratedClientBeforeTierConfigTest
    }

    @Test
    @Answers("getTierPolicies 200 406")
    void getTierPoliciesAsJsonAndAsYaml() throws Exception {
        List<GatewayPolicy> policies = client.tiers().getTierPolicies(); // Accept: application/json, application/yaml
        assertEquals(List.of("RateLimitPolicy", "TokenRateLimitPolicy"),
                policies.stream().map(GatewayPolicy::getKind).toList());
        assertEquals("gateway-rate-limits", policies.get(0).getMetadata().get("name"));

        // Clients that send no Accept (typescript-fetch; fetch itself then sends */*) or a wildcard get JSON too.
        assertEquals(policies, client.tiersWithoutAccept().getTierPolicies());
        assertEquals(policies, client.tiers(accept("*/*")).getTierPolicies());

        // YAML for `kubectl apply -f -` when asked for by name: the same two objects.
        HttpResponse<String> yaml = client.rawGet("/v1/tiers/policies", "application/yaml");
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml", yaml.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        List<GatewayPolicy> fromYaml = new YAMLMapper().readerFor(GatewayPolicy.class)
                .<GatewayPolicy>readValues(yaml.body()).readAll();
        assertEquals(policies, fromYaml);
        client.assertError(406, "not_acceptable", () -> client.tiers(accept("text/plain")).getTierPolicies());
    }

    // --- tokens ---

    @Test
    @Answers("mintToken 201")
    void mintTokenWithEachFormOfExpiration() throws Exception {
        Map<String, String> alice = bearer(PLANE.user(Pool.FREE).token());
        assertEquals("4h", client.tokens().mintToken(null, alice).getExpiration());
        assertEquals("4h", client.tokens().mintToken(new MintTokenRequest(), alice).getExpiration());
        assertEquals("2h30m", client.tokens().mintToken(new MintTokenRequest().expiration("2h30m"), alice)
                .getExpiration());
        TokenResponse seconds = client.tokens().mintToken(new MintTokenRequest().expiration("7200s"), alice);
        assertEquals("2h", seconds.getExpiration());
        assertEquals(7200, seconds.getExpiresAt() - seconds.getIssuedAt());
        assertTrue(authenticates(seconds.getToken()));
    }

    @Test
    @Answers("mintToken 400 401 403 406 413 415 500")
    void mintTokenErrors() throws Exception {
        ControlPlane.User bobUser = PLANE.user(Pool.FREE);
        Map<String, String> bob = bearer(bobUser.token());
        client.assertError(400, "bad_request", () -> client.tokens().mintToken(
                new MintTokenRequest().expiration("5m"), bob));
        client.assertError(400, "bad_request", () -> client.tokens().mintToken(
                new MintTokenRequest().expiration("599s"), bob));
        client.assertError(401, "unauthorized", () -> client.tokens().mintToken(null));
        String minted = maasToken(bobUser);
        client.assertError(403, "forbidden", () -> client.tokens().mintToken(null, bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.tokens(accept("text/plain")).mintToken(null, bob));
        client.assertError(413, "payload_too_large", () -> client.tokens().mintToken(
                new MintTokenRequest().expiration("1".repeat(70_000)), bob));
        client.assertError(415, "unsupported_media_type", () -> client.tokens(contentType("text/plain"))
                .mintToken(new MintTokenRequest().expiration("1h"), bob));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.tokens().mintToken(null,
                bearer(unknownToken())));
        // 503: GeneratedClientBeforeTierConfigTest
    }

    @Test
    @Answers("revokeTokens 204 401 403 406 500 503")
    void revokeTokens() throws Exception {
        ControlPlane.User ginaUser = PLANE.user(Pool.FREE);
        Map<String, String> gina = bearer(ginaUser.token());
        String token = client.tokens().mintToken(null, gina).getToken();
        client.tokens().revokeTokens(gina);
        await("the API server refuses the revoked token").atMost(WITHIN).until(() -> !authenticates(token));

        client.assertError(401, "unauthorized", () -> client.tokens().revokeTokens());
        String minted = maasToken(ginaUser);
        client.assertError(403, "forbidden", () -> client.tokens().revokeTokens(bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.tokens(accept("text/plain")).revokeTokens(gina));

        // A 500 needs an account to delete: the informer must have seen it before revoke tries.
        Map<String, String> ivy = bearer(PLANE.user(Pool.FREE).token());
        String ivyToken = client.tokens().mintToken(null, ivy).getToken();
        try (Refusal refused = new Refusal(Request.DELETE, ModelsBoot.NAMESPACE)) {
            await("a refused delete answers 500").atMost(WITHIN)
                    .until(() -> status(() -> client.tokens().revokeTokens(ivy)) == 500);
            client.assertError(500, "internal_error", () -> client.tokens().revokeTokens(ivy));
        }
        assertTrue(authenticates(ivyToken), "a refused revoke revoked nothing");
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.tokens().revokeTokens(bearer(unknownToken())));
    }

    // --- api keys ---

    @Test
    @Answers("createApiKey 201")
    void createApiKeyWithEachFormOfExpiration() throws Exception {
        Map<String, String> kim = bearer(PLANE.user(Pool.FREE).token());
        CreatedApiKey plain = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("plain"), kim);
        assertEquals("plain", plain.getName());
        assertEquals("", plain.getDescription());
        assertEquals("free", plain.getTier());
        assertEquals(Duration.ofHours(720).toSeconds(), plain.getExpiresAt() - plain.getCreatedAt());
        assertTrue(authenticates(plain.getKey()));

        CreatedApiKey duration = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("duration")
                .description("GitHub Actions").expiration("2h30m"), kim);
        assertEquals("GitHub Actions", duration.getDescription());
        assertEquals(9000, duration.getExpiresAt() - duration.getCreatedAt());
        CreatedApiKey seconds = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("seconds")
                .expiration("7200s"), kim);
        assertEquals(7200, seconds.getExpiresAt() - seconds.getCreatedAt());
    }

    @Test
    @Answers("createApiKey 400 401 403 406 409 413 415 500 503")
    void createApiKeyErrors() throws Exception {
        ControlPlane.User leeUser = PLANE.user(Pool.FREE);
        Map<String, String> lee = bearer(leeUser.token());
        client.assertError(400, "bad_request", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("n".repeat(129)), lee));
        client.assertError(400, "bad_request", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("short").expiration("5m"), lee));
        client.assertError(401, "unauthorized", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("anonymous")));
        String minted = maasToken(leeUser);
        client.assertError(403, "forbidden", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("by token"), bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.apiKeys(accept("text/plain"))
                .createApiKey(new CreateApiKeyRequest().name("text"), lee));
        client.apiKeys().createApiKey(new CreateApiKeyRequest().name("twice"), lee);
        client.assertError(409, "conflict", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("twice"), lee));
        client.assertError(413, "payload_too_large", () -> client.apiKeys().createApiKey(new CreateApiKeyRequest()
                .name("big").description("d".repeat(70_000)), lee));
        client.assertError(415, "unsupported_media_type", () -> client.apiKeys(contentType("text/plain"))
                .createApiKey(new CreateApiKeyRequest().name("typed"), lee));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.apiKeys()
                .createApiKey(new CreateApiKeyRequest().name("rbac"), bearer(unknownToken())));
        // lee's review is cached: the 503 comes from the calls that make the key
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.apiKeys().createApiKey(new CreateApiKeyRequest().name("down"), lee));
    }

    @Test
    @Answers("listApiKeys 200 401 403 406 500 503")
    void listApiKeys() throws Exception {
        Map<String, String> pat = bearer(PLANE.user(Pool.PREMIUM).token());
        CreatedApiKey key = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("listed"), pat);
        List<ApiKeyInfo> listed = client.apiKeys().listApiKeys(pat);
        assertEquals(List.of(key.getId()), listed.stream().map(ApiKeyInfo::getId).toList());
        assertEquals("active", listed.get(0).getStatus());
        assertEquals("premium", listed.get(0).getTier());
        assertNull(listed.get(0).getUser(), "the owner only in the admin listing");

        client.assertError(401, "unauthorized", () -> client.apiKeys().listApiKeys());
        client.assertError(403, "forbidden", () -> client.apiKeys().listApiKeys(bearer(key.getKey())));
        client.assertError(406, "not_acceptable", () -> client.apiKeys(accept("text/plain")).listApiKeys(pat));
        // A token never reviewed: a bearer token reviewed moments ago is not reviewed again.
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.apiKeys()
                .listApiKeys(bearer(unknownToken())));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.apiKeys().listApiKeys(bearer(unknownToken())));
    }

    @Test
    @Answers("getApiKey 200 401 403 404 406 500 503")
    void getApiKey() throws Exception {
        Map<String, String> quinn = bearer(PLANE.user(Pool.FREE).token());
        CreatedApiKey key = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("got").description("mine"),
                quinn);
        ApiKeyInfo got = client.apiKeys().getApiKey(key.getId(), quinn);
        assertEquals("got", got.getName());
        assertEquals("mine", got.getDescription());
        assertEquals(key.getExpiresAt(), got.getExpiresAt());

        client.assertError(404, "not_found", () -> client.apiKeys().getApiKey(key.getId(),
                bearer(PLANE.user(Pool.FREE).token())));
        client.assertError(401, "unauthorized", () -> client.apiKeys().getApiKey(key.getId()));
        client.assertError(403, "forbidden", () -> client.apiKeys().getApiKey(key.getId(), bearer(key.getKey())));
        client.assertError(406, "not_acceptable", () -> client.apiKeys(accept("text/plain"))
                .getApiKey(key.getId(), quinn));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.apiKeys().getApiKey(key.getId(),
                bearer(unknownToken())));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.apiKeys().getApiKey(key.getId(), bearer(unknownToken())));
    }

    @Test
    @Answers("deleteApiKey 204 401 403 404 406 500 503")
    void deleteApiKey() throws Exception {
        Map<String, String> sam = bearer(PLANE.user(Pool.FREE).token());
        CreatedApiKey gone = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("gone"), sam);
        CreatedApiKey kept = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("kept"), sam);
        client.apiKeys().deleteApiKey(gone.getId(), sam);
        await("the API server refuses the deleted key").atMost(WITHIN).until(() -> !authenticates(gone.getKey()));
        assertTrue(authenticates(kept.getKey()), "the other key");

        client.assertError(404, "not_found", () -> client.apiKeys().deleteApiKey(gone.getId(), sam));
        client.assertError(401, "unauthorized", () -> client.apiKeys().deleteApiKey(kept.getId()));
        client.assertError(403, "forbidden", () -> client.apiKeys().deleteApiKey(kept.getId(), bearer(kept.getKey())));
        client.assertError(406, "not_acceptable", () -> client.apiKeys(accept("text/plain"))
                .deleteApiKey(kept.getId(), sam));
        assertInternalErrorWhenRefused(Request.DELETE, () -> client.apiKeys().deleteApiKey(kept.getId(), sam));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.apiKeys().deleteApiKey(kept.getId(), sam));
        faults.recover();
        assertTrue(authenticates(kept.getKey()), "no failed delete revoked it");
    }

    // --- admin ---

    @Test
    @Answers("adminRevokeUserTokens 200 400 401 403 404 406 500 503")
    void adminRevokeUserTokens() throws Exception {
        ControlPlane.User tess = PLANE.user(Pool.FREE);
        Map<String, String> tessBearer = bearer(tess.token());
        CreatedApiKey key = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("offboarded"), tessBearer);
        String token = client.tokens().mintToken(null, tessBearer).getToken();
        Map<String, String> admin = adminBearer();

        UserRevocation dry = client.admin().adminRevokeUserTokens(tess.name(), true, admin);
        assertTrue(dry.getDryRun());
        assertEquals(List.of(IDENTITY.tierNamespace("free")),
                dry.getAccounts().stream().map(RevokedAccount::getNamespace).toList());
        assertEquals(List.of(key.getId()), dry.getAccounts().get(0).getApiKeys().stream().map(ApiKeyInfo::getId)
                .toList());
        assertTrue(authenticates(key.getKey()), "a dry run changes nothing");

        UserRevocation revoked = client.admin().adminRevokeUserTokens(tess.name(), null, admin);
        assertFalse(revoked.getDryRun());
        assertEquals(1, revoked.getAccounts().size());
        await("the API server refuses what was revoked").atMost(WITHIN)
                .until(() -> !authenticates(key.getKey()) && !authenticates(token));
        // nothing left: revocation lists the accounts from the API server, not from a cache
        client.assertError(404, "not_found", () -> client.admin().adminRevokeUserTokens(tess.name(), null, admin));

        // dryRun is typed Boolean in the client: a caller writing the URL by hand can still send another value.
        client.assertError(400, "bad_request", () -> client.admin(request -> request.uri(URI.create(
                client.baseUri() + "/v1/admin/users/" + tess.name() + "/tokens?dryRun=yes")))
                .adminRevokeUserTokens(tess.name(), null, admin));
        client.assertError(401, "unauthorized", () -> client.admin().adminRevokeUserTokens(tess.name(), true));
        client.assertError(403, "forbidden", () -> client.admin().adminRevokeUserTokens(tess.name(), true,
                bearer(PLANE.user(Pool.FREE).token())));
        String minted = client.tokens().mintToken(null, bearer(PLANE.user(Pool.FREE).token())).getToken();
        client.assertError(403, "forbidden", () -> client.admin().adminRevokeUserTokens(tess.name(), true,
                bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.admin(accept("text/plain"))
                .adminRevokeUserTokens(tess.name(), true, admin));
        assertInternalErrorWhenRefused(Request.ACCESS_REVIEW, () -> client.admin()
                .adminRevokeUserTokens(tess.name(), true, admin));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.admin().adminRevokeUserTokens(tess.name(), true, admin));
    }

    @Test
    @Answers("adminListApiKeys 200 400 401 403 404 406 500 503")
    void adminListApiKeys() throws Exception {
        ControlPlane.User xia = PLANE.user(Pool.PREMIUM);
        CreatedApiKey key = client.apiKeys().createApiKey(new CreateApiKeyRequest().name("audited"),
                bearer(xia.token()));
        Map<String, String> admin = adminBearer();

        List<ApiKeyInfo> ofXia = client.admin().adminListApiKeys(null, xia.name(), admin);
        assertEquals(List.of(key.getId()), ofXia.stream().map(ApiKeyInfo::getId).toList());
        assertEquals(xia.name(), ofXia.get(0).getUser());
        assertTrue(client.admin().adminListApiKeys("premium", null, admin).stream().map(ApiKeyInfo::getId).toList()
                .contains(key.getId()));
        assertEquals(List.of(), client.admin().adminListApiKeys("free", xia.name(), admin));

        client.assertError(400, "bad_request", () -> client.admin().adminListApiKeys("Not_A_Tier", null, admin));
        client.assertError(404, "not_found", () -> client.admin().adminListApiKeys("bogus", null, admin));
        client.assertError(401, "unauthorized", () -> client.admin().adminListApiKeys(null, xia.name()));
        client.assertError(403, "forbidden", () -> client.admin().adminListApiKeys(null, xia.name(),
                bearer(PLANE.user(Pool.FREE).token())));
        client.assertError(406, "not_acceptable", () -> client.admin(accept("text/plain"))
                .adminListApiKeys(null, xia.name(), admin));
        assertInternalErrorWhenRefused(Request.ACCESS_REVIEW, () -> client.admin()
                .adminListApiKeys(null, xia.name(), admin));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.admin().adminListApiKeys(null, xia.name(), admin));
    }

    @Test
    @Answers("adminDoctor 200 401 403 406 500 503")
    void adminDoctor() throws Exception {
        Map<String, String> admin = adminBearer();
        DoctorReport report = client.admin().adminDoctor(admin);
        assertEquals(DOCTOR_CHECKS, report.getChecks().stream().map(DoctorCheck::getCheck).toList());
        for (DoctorCheck check : report.getChecks()) {
            assertFalse(check.getSeen().isBlank(), check.toString());
            assertEquals(check.getStatus() == DoctorStatus.PASS, check.getFix() == null, check.toString());
        }
        // maas-api runs as its ServiceAccount with the shipped RBAC and overlays/model-access: nothing missing
        assertEquals(List.of(DoctorStatus.PASS, DoctorStatus.PASS, DoctorStatus.PASS), report.getChecks().stream()
                .filter(check -> List.of("permissions.tokens", "permissions.models", "permissions.model-access")
                        .contains(check.getCheck())).map(DoctorCheck::getStatus).toList());

        // The same checks as a table, when asked for by name (the generated client parses JSON only).
        HttpResponse<String> table = client.rawGet("/v1/admin/doctor", "text/plain", admin);
        assertEquals(200, table.statusCode());
        assertEquals("text/plain", table.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        assertTrue(table.body().startsWith("doctor: " + report.getStatus().getValue() + ","), table.body());
        DOCTOR_CHECKS.forEach(check -> assertTrue(table.body().contains("\n" + check + " "), check));

        client.assertError(401, "unauthorized", () -> client.admin().adminDoctor());
        ControlPlane.User noAdmin = PLANE.user(Pool.FREE);
        client.assertError(403, "forbidden", () -> client.admin().adminDoctor(bearer(noAdmin.token())));
        String minted = maasToken(noAdmin);
        client.assertError(403, "forbidden", () -> client.admin().adminDoctor(bearer(minted)));
        client.assertError(406, "not_acceptable", () -> client.admin(accept("application/yaml")).adminDoctor(admin));
        // Other admins, whose SubjectAccessReviews maas-api has not cached (admin decisions are kept 10 s)
        Map<String, String> unreviewed = adminBearer();
        assertInternalErrorWhenRefused(Request.ACCESS_REVIEW, () -> client.admin().adminDoctor(unreviewed));
        Map<String, String> another = adminBearer();
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.admin().adminDoctor(another));
    }

    // --- models ---

    @Test
    @Answers("listModels 200 401 403 406 500 503")
    void listModels() throws Exception {
        ModelFixtures fixtures = new ModelFixtures(PLANE.admin(), "v1alpha2", ModelsBoot.GATEWAY);
        fixtures.onGateway("client-models", "llama", "meta-llama/Llama-3.1-8B-Instruct");
        fixtures.grant("client-models", "llama", IDENTITY.tierGroup("free"));
        Map<String, String> amy = bearer(PLANE.user(Pool.FREE).token());
        await().atMost(WITHIN).until(() -> ids(amy).contains("meta-llama/Llama-3.1-8B-Instruct"));

        ModelList list = client.models().listModels(amy);
        assertEquals("list", list.getObject());
        Model llama = list.getData().stream().filter(m -> m.getId().equals("meta-llama/Llama-3.1-8B-Instruct"))
                .findFirst().orElseThrow();
        assertEquals("model", llama.getObject());
        assertEquals("client-models", llama.getOwnedBy());
        assertEquals("https://maas.apps.example.com/client-models/llama", llama.getUrl());
        assertTrue(llama.getReady());
        assertTrue(llama.getCreated() > 0);
        Map<String, String> amos = bearer(maasToken(PLANE.user(Pool.FREE))); // a MaaS token lists its account's models
        await().atMost(WITHIN).until(() -> ids(amos).contains("meta-llama/Llama-3.1-8B-Instruct"));

        ApiException missing = client.assertError(401, "unauthorized", () -> client.models().listModels());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        client.assertError(401, "unauthorized", () -> client.models().listModels(bearer("not-a-token")));
        inNoTier(amy, () -> client.assertError(403, "forbidden", () -> client.models().listModels(amy)));
        client.assertError(406, "not_acceptable", () -> client.models(accept("text/plain")).listModels(amy));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.models().listModels(bearer(unknownToken())));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.models().listModels(bearer(unknownToken())));
    }

    // --- usage ---

    @Test
    @Answers("getUsage 200 401 403 406 500 503")
    void getUsage() throws Exception {
        ModelFixtures fixtures = new ModelFixtures(PLANE.admin(), "v1alpha2", ModelsBoot.GATEWAY);
        fixtures.onGateway("client-usage", "granite", "ibm/granite-client");
        fixtures.grant("client-usage", "granite", IDENTITY.tierGroup("premium"));
        Map<String, String> ben = bearer(PLANE.user(Pool.PREMIUM).token());
        await().atMost(WITHIN).until(() -> client.usage().getUsage(ben).getUsage().stream()
                .anyMatch(e -> e.getModel().equals("ibm/granite-client")));

        Usage usage = client.usage().getUsage(ben);
        assertEquals("premium", usage.getTier());
        assertNull(usage.getPartial(), "no route Limitador fails for is granted to premium in this application");
        assertFalse(usage.getCheckedAt().isBlank());
        UsageEntry requests = usage.getUsage().stream()
                .filter(e -> e.getModel().equals("ibm/granite-client") && e.getKind().equals("requests"))
                .findFirst().orElseThrow();
        assertEquals(List.of("2m", 20L, 0L, 20L), List.of(requests.getWindow(), requests.getMax(), requests.getUsed(),
                requests.getRemaining()));
        assertNull(requests.getResetsInSeconds(), "nothing counted yet: null, which the schema allows");

        ApiException missing = client.assertError(401, "unauthorized", () -> client.usage().getUsage());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        Map<String, String> fay = bearer(PLANE.user(Pool.FREE).token()); // premium-users is a tier's group still
        inNoTier(fay, () -> client.assertError(403, "forbidden", () -> client.usage().getUsage(fay)));
        client.assertError(406, "not_acceptable", () -> client.usage(accept("text/plain")).getUsage(ben));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.usage().getUsage(bearer(unknownToken())));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.usage().getUsage(bearer(unknownToken())));
        faults.recover();

        // Limitador failing for every model the caller may use: 503 as well (enterprise: in this application only
        // usage tests grant its models, and Limitador fails or times out for each of them)
        fixtures.onGateway("client-usage", "broken", "org/broken-client");
        fixtures.grant("client-usage", "broken", IDENTITY.tierGroup("enterprise"));
        LimitadorFake.failing("client-usage/broken-kserve-route");
        Map<String, String> bex = bearer(PLANE.user(Pool.ENTERPRISE).token());
        await().atMost(WITHIN).until(() -> status(() -> client.usage().getUsage(bex)) == 503);
        client.assertUnavailable(() -> client.usage().getUsage(bex));
    }

    // --- access ---

    @Test
    @Answers("getAccess 200 401 406 500 503")
    void getAccess() throws Exception {
        ModelFixtures fixtures = new ModelFixtures(PLANE.admin(), "v1alpha2", ModelsBoot.GATEWAY);
        fixtures.onGateway("client-access", "phi", "microsoft/phi");
        fixtures.grant("client-access", "phi", IDENTITY.tierGroup("free"));
        ControlPlane.User pia = PLANE.user(Pool.FREE);
        Map<String, String> piaBearer = bearer(pia.token());
        await().atMost(WITHIN).until(() -> client.access().getAccess(piaBearer).getModels().stream()
                .anyMatch(m -> m.getName().equals("phi") && Boolean.TRUE.equals(m.getAllowed())));

        Access answer = client.access().getAccess(piaBearer);
        assertEquals(List.of("cluster-token", pia.name()), List.of(answer.getCaller().getCredential(),
                answer.getCaller().getUsername()));
        assertEquals(List.of("matched", "free"), List.of(answer.getTier().getOutcome(), answer.getTier().getName()));
        assertEquals(List.of("system:authenticated"), answer.getTier().getMatchedGroups());
        AccessModel phi = answer.getModels().stream().filter(m -> m.getName().equals("phi")).findFirst().orElseThrow();
        assertEquals(List.of("microsoft/phi", "client-access"), List.of(phi.getId(), phi.getNamespace()));
        assertEquals(5L, answer.getLimits().getLimits().get(0).getLimit());
        assertFalse(answer.getPropagation().isEmpty());

        ApiException missing = client.assertError(401, "unauthorized", () -> client.access().getAccess());
        assertEquals(List.of("Bearer"), missing.getResponseHeaders().allValues("WWW-Authenticate"));
        client.assertError(406, "not_acceptable", () -> client.access(accept("text/plain")).getAccess(piaBearer));
        assertInternalErrorWhenRefused(Request.TOKEN_REVIEW, () -> client.access().getAccess(bearer(unknownToken())));
        faults.set(ApiFaults.Fault.UNAVAILABLE_503);
        client.assertUnavailable(() -> client.access().getAccess(bearer(unknownToken())));
    }

    // --- a caller's share of the Kubernetes work ---

    /**
     * 429 for each operation that admits a reviewed caller: that caller already has
     * maas.kubernetes.max-concurrent-requests-per-caller requests in progress. This boot is shared, so the share is
     * the default one: a dedicated user's key listings are held at the fault proxy (their Secret list trickles)
     * until the share is full. The held requests end at the request deadline (10 s) at the latest, so every call is
     * made right after the share is seen full, and the test checks that they were held all along.
     */
    @Test
    @Answers({"getAccess 429", "adminListApiKeys 429", "adminRevokeUserTokens 429", "listApiKeys 429",
            "createApiKey 429", "getApiKey 429", "deleteApiKey 429", "listModels 429", "getMyTier 429",
            "revokeTokens 429", "mintToken 429", "getUsage 429"})
    void aCallerOverTheirShareGets429() throws Exception {
        ControlPlane.User greedy = PLANE.user(Pool.FREE);
        Map<String, String> own = bearer(greedy.token());
        client.tiers().getMyTier(own); // reviewed, and cached: the calls below are admitted without a review
        String id = UUID.randomUUID().toString(); // never looked up: the share is full before
        List<Call> each = List.of(
                () -> client.access().getAccess(own),
                () -> client.admin().adminListApiKeys(null, greedy.name(), own),
                () -> client.admin().adminRevokeUserTokens(greedy.name(), true, own),
                () -> client.apiKeys().listApiKeys(own),
                () -> client.apiKeys().createApiKey(new CreateApiKeyRequest().name("one-too-many"), own),
                () -> client.apiKeys().getApiKey(id, own),
                () -> client.apiKeys().deleteApiKey(id, own),
                () -> client.models().listModels(own),
                () -> client.tiers().getMyTier(own),
                () -> client.tokens().revokeTokens(own),
                () -> client.tokens().mintToken(null, own),
                () -> client.usage().getUsage(own));

        ExecutorService senders = Executors.newFixedThreadPool(PER_CALLER);
        List<Future<Integer>> held = new ArrayList<>();
        faults.slowBody(SECRETS);
        try {
            for (int i = 0; i < PER_CALLER; i++) {
                held.add(senders.submit(() -> status(() -> client.apiKeys().listApiKeys(own))));
            }
            // the share itself is the condition: the trickle count could include the expired-key cleanup's list
            await("the caller's share is full").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(() -> client.tiers().getMyTier(own)) == 429);
            for (Call call : each) {
                client.assertTooManyRequests(call);
            }
            assertTrue(held.stream().noneMatch(Future::isDone), "the share was held all along");
            assertTrue(faults.trickling(SECRETS) >= PER_CALLER, "held at the API server");
        } finally {
            faults.release(SECRETS);
            senders.shutdown();
            for (Future<Integer> answer : held) {
                answer.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            }
        }
        await("the caller's share is free again").atMost(WITHIN)
                .until(() -> status(() -> client.tiers().getMyTier(own)) == 204);
    }

    // --- helpers ---

    /** The model ids a caller is listed. */
    private List<String> ids(Map<String, String> bearer) throws Exception {
        return client.models().listModels(bearer).getData().stream().map(Model::getId).toList();
    }

    /** A token the API server does not know, shaped like its static tokens: its review is never cached. */
    private static String unknownToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A token maas-api minted for {@code user}, which may call the gateway but not mint or revoke. */
    private String maasToken(ControlPlane.User user) throws Exception {
        return client.tokens().mintToken(null, bearer(user.token())).getToken();
    }

    /** What the gateway asks: does the API server accept the token for its audience (as system:masters). */
    /** The gateway's TokenReview, never answered from the API server's token cache: {@link TokenChecks#review}. */
    private static boolean authenticates(String token) {
        return TokenChecks.authenticates(token, IDENTITY.audience());
    }

    /** The call answers 500 while the API server refuses {@code request} to maas-api. */
    private void assertInternalErrorWhenRefused(Request request, Call call) throws Exception {
        try (Refusal refused = new Refusal(request, ModelsBoot.NAMESPACE)) {
            client.assertError(500, "internal_error", call);
        }
    }

    /**
     * {@code call} while no tier holds the groups of the free user whose {@code bearer} it is: every user the real API server
     * authenticates is in system:authenticated, the free tier's group, so the class's tier ConfigMap names another
     * group for free meanwhile (and its own again after, awaited).
     */
    private void inNoTier(Map<String, String> bearer, Call call) throws Exception {
        var tierConfig = PLANE.admin().configMaps().inNamespace(ModelsBoot.NAMESPACE).withName("tier-to-group-mapping");
        String shipped = tierConfig.get().getData().get("tiers");
        tierConfig.edit(map -> withTiers(map, shipped.replace("- system:authenticated", "- not-a-group-of-anyone")));
        try {
            await("the application has read the tier config").atMost(WITHIN)
                    .until(() -> status(() -> client.tiers().getMyTier(bearer)) == 403);
            call.run();
        } finally {
            tierConfig.edit(map -> withTiers(map, shipped));
            await("the application has read the shipped tier config").atMost(WITHIN)
                    .until(() -> status(() -> client.tiers().getMyTier(bearer)) == 204);
        }
    }

    private static ConfigMap withTiers(ConfigMap map, String tiers) {
        map.getData().put("tiers", tiers);
        return map;
    }

    /**
     * An admin as docs/deployment.md makes one: the group maas-admins bound in every tier namespace to a
     * ClusterRole that may delete ServiceAccounts. The tier namespaces are maas-api's (made by a first mint).
     */
    private Map<String, String> adminBearer() throws Exception {
        PLANE.admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(ADMIN_ROLE).endMetadata()
                .addNewRule().withApiGroups("").withResources("serviceaccounts").withVerbs("delete").endRule().build())
                .serverSideApply();
        Map<String, Pool> pools = Map.of("free", Pool.FREE, "premium", Pool.PREMIUM, "enterprise", Pool.ENTERPRISE);
        for (Map.Entry<String, Pool> tier : pools.entrySet()) {
            String namespace = IDENTITY.tierNamespace(tier.getKey());
            if (PLANE.admin().namespaces().withName(namespace).get() == null) {
                client.tokens().mintToken(null, bearer(PLANE.user(tier.getValue()).token()));
            }
            PLANE.admin().resource(new RoleBindingBuilder().withNewMetadata().withName(ADMIN_ROLE)
                    .withNamespace(namespace).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", ADMIN_ROLE)
                    .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("maas-admins")
                    .endSubject().build()).serverSideApply();
        }
        return bearer(PLANE.user(Pool.ADMIN).token());
    }
}
