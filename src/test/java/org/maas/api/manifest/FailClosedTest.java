package org.maas.api.manifest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gateway AuthPolicy's authorization rules, evaluated with cel-java against what Authorino makes of
 * maas-api's real lookup answers (status codes ignored). Only an answer with a tier gets through; then the
 * response filter hands that tier and a user id to the rate limits. Rules that need the cluster
 * (SubjectAccessReview) are out of scope here.
 */
@QuarkusTest
class FailClosedTest {

    private static final ObjectNode POLICY = ManifestFiles.ofKind(ManifestFiles.kustomize("policies"), "AuthPolicy").get(0);
    private static final String USER = "system:serviceaccount:maas-default-gateway-tier-premium:alice";

    /** The metadata evaluator that calls the tier lookup (its URL ends with the lookup path). */
    private static String calloutName() {
        List<String> names = new ArrayList<>();
        POLICY.path("spec").path("rules").path("metadata").fields().forEachRemaining(e -> {
            if (URI.create(e.getValue().path("http").path("url").asText()).getPath().equals("/v1/tiers/lookup")) {
                names.add(e.getKey());
            }
        });
        assertEquals(1, names.size(), "one metadata callout to the tier lookup");
        return names.get(0);
    }

    /** Every patternMatching predicate of every authorization rule: Authorino needs all of them true. */
    private static List<String> denyRules() {
        List<String> predicates = new ArrayList<>();
        POLICY.path("spec").path("rules").path("authorization").forEach(rule -> {
            rule.path("patternMatching").path("patterns").forEach(p -> predicates.add(p.path("predicate").asText()));
            assertTrue(rule.path("when").isMissingNode(), "authorization rules apply to every request");
        });
        assertFalse(predicates.isEmpty(), "the AuthPolicy has a pattern-matching rule on the tier");
        return predicates;
    }

    private static Map<String, Object> auth(Optional<Object> lookup) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", USER);
        user.put("groups", List.of("system:serviceaccounts", "system:serviceaccounts:maas-default-gateway-tier-premium",
                "system:authenticated"));
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("authenticated", true);
        identity.put("user", user);
        Map<String, Object> metadata = new HashMap<>();
        lookup.ifPresent(value -> metadata.put(calloutName(), value));
        Map<String, Object> auth = new HashMap<>();
        auth.put("identity", identity);
        auth.put("metadata", metadata);
        return auth;
    }

    private static Map<String, Object> variables(Optional<Object> lookup) {
        return Map.of("auth", auth(lookup), "request", Map.of("path", "/llm/model-a/v1/chat/completions",
                "headers", Map.of("authorization", "Bearer t")));
    }

    /**
     * Authorino grants only when every rule evaluates to true. An evaluation error would deny too, but a
     * predicate that errors is broken (it denies whatever the lookup said): it fails the test instead of
     * passing as a denial.
     */
    private static boolean allowed(Optional<Object> lookup) {
        for (String predicate : denyRules()) {
            Object result;
            try {
                result = PolicyCel.eval(predicate, true, variables(lookup));
            } catch (Exception e) {
                throw new AssertionError("the predicate errs instead of answering for " + lookup + ": " + predicate
                        + ": " + e.getMessage(), e);
            }
            if (!Boolean.TRUE.equals(result)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Object> lookup(String contentType, String body) {
        Response response = given().contentType(contentType).body(body).post("/v1/tiers/lookup");
        return AuthorinoMetadata.from(response.contentType(), response.asString());
    }

    @Test
    void aTierPasses() {
        Optional<Object> answer = lookup("application/json", "{\"groups\": [\"system:authenticated\", \"premium-users\"]}");
        assertTrue(answer.isPresent(), "a 200 JSON object");
        assertTrue(allowed(answer), "200 {tier: premium} passes: " + answer.get());
    }

    @Test
    void noTierForTheGroupsIsDenied() {
        Optional<Object> answer = lookup("application/json", "{\"groups\": [\"nobody\"]}");
        assertTrue(answer.isPresent(), "the 404 error object reaches the policy as metadata");
        assertFalse(allowed(answer), "404 error object must deny: " + answer.get());
    }

    @Test
    void badRequestsAndWrongContentTypeAreDenied() {
        Optional<Object> empty = lookup("application/json", "{\"groups\": []}");
        assertFalse(allowed(empty), "400 error object must deny: " + empty);
        Optional<Object> form = lookup("application/x-www-form-urlencoded", "groups=premium-users");
        assertFalse(allowed(form), "415 (the CRD's default form encoding) must deny: " + form);
    }

    @Test
    void aFailedLookupIsDenied() {
        assertFalse(allowed(Optional.empty()), "absent metadata (timeout, connection error, empty body) must deny");
        assertFalse(allowed(Optional.of("<html>bad gateway</html>")), "a non-JSON body kept as a string must deny");
        assertFalse(allowed(AuthorinoMetadata.from("application/json", "{\"tier\": \"\"}")), "an empty tier must deny");
        assertFalse(allowed(AuthorinoMetadata.from("application/json", "{\"tier\": 3}")), "a non-string tier must deny");
    }

    @Test
    void theCalloutSendsWhatTheLookupAccepts() throws Exception {
        JsonNode http = POLICY.path("spec").path("rules").path("metadata").path(calloutName()).path("http");
        assertEquals("POST", http.path("method").asText());
        assertEquals("application/json", http.path("contentType").asText(), "the CRD defaults to form encoding");
        Object body = PolicyCel.eval(http.path("body").path("expression").asText(), false, variables(Optional.empty()));
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        Optional<Object> answer = lookup("application/json", json);
        assertTrue(allowed(answer), "the body the callout builds (" + json + ") gets a tier: " + answer);
    }

    @Test
    void theResponseFilterHandsTierAndUserIdToTheLimits() throws Exception {
        Optional<Object> answer = lookup("application/json", "{\"groups\": [\"premium-users\"]}");
        Map<String, Object> variables = variables(answer);
        // authentication `defaults` extend auth.identity before the filters run
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = (Map<String, Object>) ((Map<String, Object>) variables.get("auth")).get("identity");
        POLICY.path("spec").path("rules").path("authentication").forEach(rule -> rule.path("defaults").fields()
                .forEachRemaining(e -> identity.put(e.getKey(), evalUnchecked(e.getValue().path("expression").asText(), variables))));
        assertEquals("alice", identity.get("userid"), "userid is the ServiceAccount name");

        JsonNode properties = POLICY.path("spec").path("rules").path("response").path("success").path("filters")
                .path("identity").path("json").path("properties");
        assertEquals("premium", PolicyCel.eval(properties.path("tier").path("expression").asText(), false, variables));
        assertEquals("alice", PolicyCel.eval(properties.path("userid").path("expression").asText(), false, variables));
    }

    @Test
    void theGatewaysUseridIsTheServiceAccountNameMaasApiGivesTheUser() throws Exception {
        JsonNode defaults = POLICY.path("spec").path("rules").path("authentication").elements().next().path("defaults");
        String expression = defaults.path("userid").path("expression").asText();
        for (String user : List.of("alice", "Alice@Example.com", "system:serviceaccount:team-a:builder", "日本語")) {
            for (String tier : List.of("free", "enterprise")) {
                String username = DefaultConfig.IDENTITY.serviceAccountUsername(tier, user);
                Map<String, Object> auth = Map.of("identity", Map.of("user", Map.of("username", username)));
                assertEquals(DefaultConfig.IDENTITY.serviceAccountName(user), PolicyCel.eval(expression, false,
                        Map.of("auth", auth, "request", Map.of())), "userid of " + username + ": the same in every tier");
            }
        }
    }

    @Test
    void aUserThatIsNoServiceAccountKeepsItsName() throws Exception {
        JsonNode defaults = POLICY.path("spec").path("rules").path("authentication").elements().next().path("defaults");
        Map<String, Object> auth = Map.of("identity", Map.of("user", Map.of("username", "kube:admin")));
        assertEquals("kube:admin", PolicyCel.eval(defaults.path("userid").path("expression").asText(), false,
                Map.of("auth", auth, "request", Map.of())));
    }

    private static Object evalUnchecked(String expression, Map<String, Object> variables) {
        try {
            return PolicyCel.eval(expression, false, variables);
        } catch (Exception e) {
            throw new AssertionError(expression + ": " + e.getMessage(), e);
        }
    }
}
