package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig;

/**
 * maas-api's own route: which tokens its AuthPolicy takes where (MaaS tokens on GET /maas-api/v1/models only),
 * its own per-user request limit, no LLM token limits, and the RBAC GET /v1/models needs, against the code.
 * CEL evaluated with cel-java, as in {@link RateLimitCoverageTest}.
 */
class MaasApiRouteTest {

    private static final MaasConfig CONFIG = DefaultConfig.MAAS;
    private static final List<ObjectNode> EXTRA = ManifestFiles.read(ManifestFiles.path("src/main/kubernetes/kubernetes.yml"));
    private static final ObjectNode AUTH = ManifestFiles.one(EXTRA, "AuthPolicy", "maas-api-auth-policy");

    @Test
    void maasTokensAreAcceptedOnTheModelListOnly() throws Exception {
        JsonNode authentication = AUTH.path("spec").path("rules").path("authentication");
        JsonNode maasTokens = authentication.path("maas-tokens");
        assertEquals(List.of(CONFIG.tokens().audience()), texts(maasTokens.path("kubernetesTokenReview").path("audiences")),
                "the audience maas-api mints (maas.tokens.audience)");
        JsonNode cluster = authentication.path("cluster-users");
        assertFalse(texts(cluster.path("kubernetesTokenReview").path("audiences")).contains(CONFIG.tokens().audience()),
                "cluster users' review never takes MaaS tokens");
        assertFalse(cluster.has("when"), "cluster users everywhere");
        assertEquals(2, authentication.size());

        String predicate = maasTokens.path("when").get(0).path("predicate").asText();
        assertEquals(1, maasTokens.path("when").size());
        assertTrue(applies(predicate, "GET", "/maas-api/v1/models"));
        assertTrue(applies(predicate, "GET", "/maas-api/v1/usage"), "GET /v1/usage takes MaaS tokens (UsageResource)");
        assertTrue(applies(predicate, "GET", "/maas-api/v1/access"), "GET /v1/access takes MaaS tokens (AccessResource)");
        for (String path : List.of("/maas-api/v1/tokens", "/maas-api/v1/models/x", "/maas-api/v1/modelsx",
                "/maas-api/v1/usage/x", "/llm/model/v1/usage", "/maas-api/v1/access/x", "/llm/model/v1/access",
                "/maas-api/v1/tiers/me", "/maas-api/v1/keys", "/llm/model/v1/models")) {
            assertFalse(applies(predicate, "GET", path), path);
        }
        assertFalse(applies(predicate, "POST", "/maas-api/v1/models"));
        assertFalse(applies(predicate, "POST", "/maas-api/v1/usage"));
        assertFalse(applies(predicate, "DELETE", "/maas-api/v1/models"));
    }

    @Test
    void theModelPathIsWhatTheRouteSendsToGetV1Models() {
        ObjectNode route = ManifestFiles.one(EXTRA, "HTTPRoute", "maas-api-route");
        JsonNode rule = route.path("spec").path("rules").get(0);
        String prefix = rule.path("matches").get(0).path("path").path("value").asText();
        String rewritten = rule.path("filters").get(0).path("urlRewrite").path("path").path("replacePrefixMatch").asText();
        assertEquals("/maas-api/v1/models", prefix + "/models");
        assertEquals("/v1", rewritten, "reaches maas-api as /v1/models (ModelResource)");
    }

    @Test
    void maasApiHasItsOwnPerUserRequestLimitAndNoTokenLimits() throws Exception {
        ObjectNode limits = ManifestFiles.one(EXTRA, "RateLimitPolicy", "maas-api-rate-limits");
        ObjectNode tokens = ManifestFiles.one(EXTRA, "TokenRateLimitPolicy", "maas-api-token-rate-limits");
        for (ObjectNode policy : List.of(limits, tokens)) {
            JsonNode target = policy.path("spec").path("targetRef");
            assertEquals("HTTPRoute", target.path("kind").asText(), "a route policy replaces the gateway's defaults");
            assertEquals("maas-api-route", target.path("name").asText());
            assertEquals("maas-api", policy.path("metadata").path("namespace").asText());
        }
        JsonNode perUser = limits.path("spec").path("limits").path("per-user-requests");
        assertEquals(1, limits.path("spec").path("limits").size());
        assertFalse(perUser.has("when") || limits.path("spec").has("when"), "every request on the route counts");
        assertTrue(perUser.path("rates").get(0).path("limit").asInt() > 0);
        String counter = perUser.path("counters").get(0).path("expression").asText();
        assertEquals("auth.identity.userid", counter);
        String userid = AUTH.path("spec").path("rules").path("response").path("success").path("filters")
                .path("identity").path("json").path("properties").path("userid").path("expression").asText();
        assertEquals("alice", PolicyCel.eval(userid, false, Map.of("auth",
                Map.of("identity", Map.of("user", Map.of("username", "alice"))))), "the AuthPolicy sets what the counter reads");

        JsonNode tokenLimits = tokens.path("spec").path("limits");
        assertEquals(1, tokenLimits.size());
        JsonNode only = tokenLimits.elements().next();
        assertEquals(1, only.path("when").size());
        assertEquals(false, PolicyCel.eval(only.path("when").get(0).path("predicate").asText(), true,
                variables("GET", "/maas-api/v1/tokens")), "the token limit never applies on maas-api's route");
    }

    @Test
    void theModelsRbacIsExactlyWhatTheModelCodeUses() {
        ObjectNode role = ManifestFiles.one(EXTRA, "ClusterRole", "maas-api-models");
        List<String> rules = new ArrayList<>();
        role.path("rules").forEach(rule -> rules.add(texts(rule.path("apiGroups")) + " "
                + texts(rule.path("resources")) + " " + texts(rule.path("verbs"))));
        assertEquals(List.of(
                "[serving.kserve.io] [llminferenceservices] [list, watch]", // ModelCatalog's informer
                "[gateway.networking.k8s.io] [httproutes] [list, watch]", // ModelCatalog's informer
                "[authorization.k8s.io] [subjectaccessreviews] [create]"), rules); // ModelAccess
        ObjectNode binding = ManifestFiles.one(EXTRA, "ClusterRoleBinding", "maas-api-models");
        assertEquals("maas-api-models", binding.path("roleRef").path("name").asText());
    }

    private static boolean applies(String predicate, String method, String urlPath) throws Exception {
        return (Boolean) PolicyCel.eval(predicate, true, variables(method, urlPath));
    }

    private static Map<String, Object> variables(String method, String urlPath) {
        return Map.of("auth", Map.of(), "request", Map.of("url_path", urlPath, "path", urlPath + "?q=1",
                "method", method, "headers", Map.of()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
