package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request and token limits, evaluated with cel-java as the wasm-shim would: a limit applies when all
 * its predicates (and the policy's) are true; a predicate that errors does not apply (fails open). So:
 * every tier is limited, predicates never error, counters are per user, model discovery costs no tokens.
 * Works on whatever the two files hold (hand-written now, rendered from the tier config later).
 */
class RateLimitCoverageTest {

    private static final List<ObjectNode> POLICIES = ManifestFiles.kustomize("policies");
    private static final String CHAT = "/llm/model-a/v1/chat/completions";
    private static final String MODELS = "/llm/model-a/v1/models";

    private static List<ObjectNode> limitPolicies() {
        List<ObjectNode> policies = new ArrayList<>(ManifestFiles.ofKind(POLICIES, "RateLimitPolicy"));
        policies.addAll(ManifestFiles.ofKind(POLICIES, "TokenRateLimitPolicy"));
        assertEquals(2, policies.size(), "a RateLimitPolicy and a TokenRateLimitPolicy");
        return policies;
    }

    private static ObjectNode tokenPolicy() {
        return ManifestFiles.ofKind(POLICIES, "TokenRateLimitPolicy").get(0);
    }

    /** Limits live under spec.limits, spec.defaults.limits or spec.overrides.limits. */
    private static Map<String, JsonNode> limits(ObjectNode policy) {
        Map<String, JsonNode> limits = new HashMap<>();
        JsonNode spec = policy.path("spec");
        for (JsonNode holder : List.of(spec, spec.path("defaults"), spec.path("overrides"))) {
            holder.path("limits").fields().forEachRemaining(e -> limits.put(e.getKey(), e.getValue()));
        }
        assertFalse(limits.isEmpty(), ManifestFiles.id(policy) + " has limits");
        return limits;
    }

    private static List<String> predicates(ObjectNode policy, JsonNode limit) {
        List<String> predicates = new ArrayList<>();
        for (JsonNode holder : List.of(policy.path("spec"), policy.path("spec").path("defaults"),
                policy.path("spec").path("overrides"), limit)) {
            holder.path("when").forEach(w -> predicates.add(w.path("predicate").asText()));
        }
        return predicates;
    }

    private static Map<String, Object> variables(String tier, String path) {
        Map<String, Object> identity = new HashMap<>();
        identity.put("userid", "alice");
        if (tier != null) {
            identity.put("tier", tier);
        }
        return Map.of("auth", Map.of("identity", identity),
                "request", Map.of("path", path, "method", "POST", "headers", Map.of()));
    }

    /** The names of the limits that apply; fails the test if a predicate errors or is not boolean. */
    private static List<String> applying(ObjectNode policy, String tier, String path) {
        List<String> names = new ArrayList<>();
        limits(policy).forEach((name, limit) -> {
            boolean all = true;
            for (String predicate : predicates(policy, limit)) {
                Object result;
                try {
                    result = PolicyCel.eval(predicate, true, variables(tier, path));
                } catch (Exception e) {
                    result = fail(ManifestFiles.id(policy) + " limit " + name + ": `" + predicate + "` errors for tier "
                            + tier + " (an erroring predicate lets the request through unlimited): " + e.getMessage());
                }
                if (!(result instanceof Boolean b)) {
                    result = fail(ManifestFiles.id(policy) + " limit " + name + ": `" + predicate + "` is not boolean");
                } else {
                    all &= b;
                }
            }
            if (all) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    void everyTierIsLimited() {
        for (ObjectNode policy : limitPolicies()) {
            for (String tier : Tiers.defaultNames()) {
                assertFalse(applying(policy, tier, CHAT).isEmpty(),
                        ManifestFiles.id(policy) + ": no limit applies to tier " + tier + ", so it is unlimited");
            }
        }
    }

    @Test
    void aTierTheLimitsDoNotNameIsStillLimited() {
        for (ObjectNode policy : limitPolicies()) {
            assertFalse(applying(policy, "not-a-configured-tier", CHAT).isEmpty(),
                    ManifestFiles.id(policy) + ": a tier added to the config before the limits must not be unlimited");
        }
    }

    @Test
    void aMissingTierMakesNoPredicateError() {
        // Requests without a tier are denied by the AuthPolicy; the predicates must still not error.
        for (ObjectNode policy : limitPolicies()) {
            applying(policy, null, CHAT);
        }
    }

    @Test
    void countersArePerUser() {
        for (ObjectNode policy : limitPolicies()) {
            limits(policy).forEach((name, limit) -> {
                if (deniesAll(limit)) {
                    return; // a deny-everything catch-all (limit 0) has no budget to share
                }
                JsonNode counters = limit.path("counters");
                assertTrue(counters.size() >= 1, ManifestFiles.id(policy) + " limit " + name
                        + " has no counter: all users of the tier would share one budget");
                List<Object> values = new ArrayList<>();
                counters.forEach(c -> {
                    try {
                        values.add(PolicyCel.eval(c.path("expression").asText(), false, variables("free", CHAT)));
                    } catch (Exception e) {
                        fail(ManifestFiles.id(policy) + " limit " + name + " counter errors: " + e.getMessage());
                    }
                });
                assertTrue(values.contains("alice"), ManifestFiles.id(policy) + " limit " + name
                        + " counts per auth.identity.userid: " + values);
            });
        }
    }

    private static boolean deniesAll(JsonNode limit) {
        JsonNode rates = limit.path("rates");
        boolean all = rates.size() > 0;
        for (JsonNode rate : rates) {
            all &= rate.path("limit").asLong(-1) == 0;
        }
        return all;
    }

    @Test
    void modelDiscoveryIsNeverTokenLimited() {
        List<String> tiers = new ArrayList<>(Tiers.defaultNames());
        tiers.add("not-a-configured-tier");
        for (String tier : tiers) {
            assertEquals(List.of(), applying(tokenPolicy(), tier, MODELS), "token limits on " + MODELS + " for " + tier);
            assertEquals(List.of(), applying(tokenPolicy(), tier, "/v1/models"), "token limits on /v1/models for " + tier);
        }
    }
}
