package org.maas.api.policy;

import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Policies.Unmatched;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierConfigParser;

class PolicyRendererTest {

    private static final String TIERS = """
            - name: free
              level: 0
              groups: [system:authenticated]
              limits:
                requests: [{limit: 5, window: 2m}]
                tokens: [{limit: 100, window: 1m}]
            - name: premium
              level: 10
              groups: [premium-users]
              limits:
                requests: [{limit: 20, window: 2m}]
                tokens: [{limit: 50000, window: 1m}, {limit: 2000000, window: 24h}]
            - name: trial
              level: 1
              groups: [trial-users]
              limits:
                requests: [{limit: 3, window: 2m}, {limit: 10, window: 1h}]
            - name: partners
              level: 5
              groups: [partners]
            """;

    private final PolicyRenderer deny = new PolicyRenderer("gw-ns", "gw", Unmatched.DENY);

    @Test
    void oneNamedLimitPerTierAndWindowKeyedOnTheTierAndCountedPerUser() throws Exception {
        RenderedPolicies policies = deny.render(tiers(TIERS));

        Map<String, Object> tokens = limits(policies.tokenRateLimitPolicy());
        assertEquals(List.of("free-tokens-1m", "premium-tokens-1m", "premium-tokens-24h", "unmatched-tokens"),
                List.copyOf(tokens.keySet()));
        assertEquals(Map.of(
                "rates", List.of(Map.of("limit", 2000000L, "window", "24h")),
                "counters", List.of(Map.of("expression", "auth.identity.userid")),
                "when", List.of(Map.of("predicate", "has(auth.identity.tier) && auth.identity.tier == \"premium\""))),
                tokens.get("premium-tokens-24h"));

        Map<String, Object> requests = limits(policies.rateLimitPolicy());
        assertEquals(List.of("free-requests-2m", "premium-requests-2m", "trial-requests-1h", "trial-requests-2m",
                "unmatched-requests"), List.copyOf(requests.keySet()));
        assertEquals(List.of(Map.of("limit", 10L, "window", "1h")), field(requests, "trial-requests-1h", "rates"));
    }

    @Test
    void targetsTheGatewayInItsNamespace() throws Exception {
        RenderedPolicies policies = deny.render(tiers(TIERS));
        assertEquals("RateLimitPolicy", policies.rateLimitPolicy().getKind());
        assertEquals("kuadrant.io/v1", policies.rateLimitPolicy().getApiVersion());
        assertEquals("TokenRateLimitPolicy", policies.tokenRateLimitPolicy().getKind());
        assertEquals("kuadrant.io/v1alpha1", policies.tokenRateLimitPolicy().getApiVersion());
        for (GenericKubernetesResource policy : List.of(policies.rateLimitPolicy(), policies.tokenRateLimitPolicy())) {
            assertEquals("gw-ns", policy.getMetadata().getNamespace());
            assertEquals(Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", "gw"),
                    spec(policy).get("targetRef"));
        }
        assertEquals("gateway-rate-limits", policies.rateLimitPolicy().getMetadata().getName());
        assertEquals("gateway-token-rate-limits", policies.tokenRateLimitPolicy().getMetadata().getName());
    }

    @Test
    void modelListingIsNeverTokenLimitedButStillRequestLimited() throws Exception {
        RenderedPolicies policies = deny.render(tiers(TIERS));
        assertEquals(List.of(Map.of("predicate", "!request.path.endsWith(\"/v1/models\")")),
                spec(policies.tokenRateLimitPolicy()).get("when"));
        assertFalse(spec(policies.rateLimitPolicy()).containsKey("when"));
    }

    @Test
    void denyCatchAllCoversMissingTiersAndTiersWithoutLimitsOfThatKind() throws Exception {
        RenderedPolicies policies = deny.render(tiers(TIERS));
        // trial has request limits only, partners none: both fall to the token catch-all.
        assertEquals(Map.of(
                "rates", List.of(Map.of("limit", 0L, "window", "1m")),
                "when", List.of(Map.of("predicate",
                        "!(has(auth.identity.tier) && auth.identity.tier in [\"free\", \"premium\"])"))),
                limits(policies.tokenRateLimitPolicy()).get("unmatched-tokens"));
        assertEquals(List.of(Map.of("predicate",
                        "!(has(auth.identity.tier) && auth.identity.tier in [\"free\", \"premium\", \"trial\"])")),
                field(limits(policies.rateLimitPolicy()), "unmatched-requests", "when"));
    }

    @Test
    void mostRestrictiveCatchAllTakesTheSmallestLimitOfEveryWindowOnASharedCounter() throws Exception {
        RenderedPolicies policies = new PolicyRenderer("gw-ns", "gw", Unmatched.MOST_RESTRICTIVE).render(tiers(TIERS));
        Map<String, Object> requests = limits(policies.rateLimitPolicy());
        assertEquals(List.of(Map.of("limit", 3L, "window", "2m")), field(requests, "unmatched-requests-2m", "rates"));
        assertEquals(List.of(Map.of("limit", 10L, "window", "1h")), field(requests, "unmatched-requests-1h", "rates"));
        Map<String, Object> tokens = limits(policies.tokenRateLimitPolicy());
        assertEquals(List.of(Map.of("limit", 100L, "window", "1m")), field(tokens, "unmatched-tokens-1m", "rates"));
        assertEquals(List.of(Map.of("limit", 2000000L, "window", "24h")), field(tokens, "unmatched-tokens-24h", "rates"));
        // A counter on a field that may be missing would fail open: the catch-all has none.
        for (String name : List.of("unmatched-requests-2m", "unmatched-requests-1h")) {
            assertFalse(((Map<?, ?>) requests.get(name)).containsKey("counters"), name);
        }
        assertFalse(requests.containsKey("unmatched-requests"));
    }

    @Test
    void mostRestrictiveWithNothingToCopyDenies() throws Exception {
        List<Tier> tiers = tiers("""
                - {name: a, level: 0, groups: [x], limits: {requests: [{limit: 1, window: 1m}]}}
                """);
        RenderedPolicies policies = new PolicyRenderer("gw-ns", "gw", Unmatched.MOST_RESTRICTIVE).render(tiers);
        assertEquals(List.of("unmatched-tokens"), List.copyOf(limits(policies.tokenRateLimitPolicy()).keySet()));
        assertEquals(List.of(Map.of("limit", 0L, "window", "1m")),
                field(limits(policies.tokenRateLimitPolicy()), "unmatched-tokens", "rates"));
    }

    @Test
    void everyPredicateChecksPresenceBeforeReadingTheTier() throws Exception {
        RenderedPolicies policies = deny.render(tiers(TIERS));
        for (GenericKubernetesResource policy : List.of(policies.rateLimitPolicy(), policies.tokenRateLimitPolicy())) {
            limits(policy).forEach((name, limit) -> {
                for (Object when : (List<?>) ((Map<?, ?>) limit).get("when")) {
                    String predicate = (String) ((Map<?, ?>) when).get("predicate");
                    assertTrue(predicate.startsWith("has(auth.identity.tier) && ")
                            || predicate.startsWith("!(has(auth.identity.tier) && "), name + ": " + predicate);
                }
            });
        }
    }

    @Test
    void theSameTiersInAnyOrderRenderTheSameBytes() throws Exception {
        List<Tier> tiers = tiers(TIERS);
        String expected = deny.render(tiers).yaml();
        List<Tier> shuffled = new ArrayList<>(tiers);
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            Collections.shuffle(shuffled, random);
            assertEquals(expected, deny.render(shuffled).yaml());
        }
    }

    private static List<Tier> tiers(String yaml) throws Exception {
        return new TierConfigParser(Identities.forGateway("gw")).parse(yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource policy) {
        return (Map<String, Object>) policy.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> limits(GenericKubernetesResource policy) {
        return (Map<String, Object>) spec(policy).get("limits");
    }

    private static Object field(Map<String, Object> limits, String limit, String field) {
        return ((Map<?, ?>) limits.get(limit)).get(field);
    }
}
