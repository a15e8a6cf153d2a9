package org.maas.api.tier;

import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TierLimitsParsingTest {

    private final TierConfigParser parser = new TierConfigParser(Identities.forGateway("maas-default-gateway"));

    @Test
    void readsSeveralWindowsPerKindInOrder() throws Exception {
        List<Tier> tiers = parser.parse("""
                - name: premium
                  level: 10
                  groups: [premium-users]
                  limits:
                    requests: [{limit: 20, window: 2m}]
                    tokens:   [{limit: 50000, window: 1m}, {limit: 2000000, window: 24h}]
                """);
        TierLimits limits = tiers.get(0).limits();
        assertEquals(List.of(new TierLimits.Rate(20, "2m")), limits.requests());
        assertEquals(List.of(new TierLimits.Rate(50000, "1m"), new TierLimits.Rate(2000000, "24h")), limits.tokens());
    }

    @Test
    void limitsAreOptionalAndNeverNull() throws Exception {
        List<Tier> tiers = parser.parse("""
                - {name: a, level: 0, groups: [x]}
                - {name: b, level: 1, groups: [y], limits: {requests: [{limit: 1, window: 1s}]}}
                """);
        assertEquals(TierLimits.NONE, tiers.get(0).limits());
        assertEquals(List.of(), tiers.get(1).limits().tokens());
    }

    @Test
    void limitsAboveIntRangeAreKept() throws Exception {
        List<Tier> tiers = parser.parse("""
                - {name: a, level: 0, groups: [x], limits: {tokens: [{limit: 10000000000, window: 24h}]}}
                """);
        assertEquals(10_000_000_000L, tiers.get(0).limits().tokens().get(0).limit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "30s", "2m", "24h", "1h30m", "1h1m1s1ms", "99999s"})
    void acceptsKuadrantWindows(String window) throws Exception {
        List<Tier> tiers = parser.parse("- {name: a, level: 0, groups: [x], limits: {requests: [{limit: 1, window: "
                + window + "}]}}");
        assertEquals(window, tiers.get(0).limits().requests().get(0).window());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "1d", "2 m", "100000s", "1h1m1s1ms1h", "m", "-1m", "\"\""})
    void rejectsWindowsKuadrantRejects(String window) {
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class, () -> parser.parse(
                "- {name: a, level: 0, groups: [x], limits: {requests: [{limit: 1, window: " + window + "}]}}"));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("tier[0] (a): limits.requests[0]: window must be a duration"),
                e.problems().get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "'20'", "[20]"})
    void rejectsLimitsThatAreNotPositiveIntegers(String limit) {
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class, () -> parser.parse(
                "- {name: a, level: 0, groups: [x], limits: {tokens: [{limit: " + limit + ", window: 1m}]}}"));
        assertEquals(List.of("tier[0] (a): limits.tokens[0]: limit must be a positive integer, found "
                + (limit.equals("[20]") ? "array" : "'" + limit.replace("'", "") + "'")), e.problems());
    }

    @Test
    void reportsEveryProblemWithTierIndexAndName() {
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class, () -> parser.parse("""
                - name: free
                  level: 0
                  groups: [a]
                  limits:
                    requests: [{limit: 5, window: 2m, burst: 3}]
                    tokenz: []
                - name: premium
                  level: 1
                  groups: [b]
                  limits:
                    tokens: [{window: 1m}, {limit: 5}, {limit: 1, window: 1m}, {limit: 2, window: 1m}]
                - name: enterprise
                  level: 2
                  groups: [c]
                  limits: [{limit: 1, window: 1m}]
                - name: other
                  level: 3
                  groups: [d]
                  limits: {requests: {limit: 1, window: 1m}}
                """));
        assertEquals(List.of(
                "tier[0] (free): limits: unknown key 'tokenz' (allowed: requests, tokens)",
                "tier[0] (free): limits.requests[0]: unknown key 'burst' (allowed: limit, window)",
                "tier[1] (premium): limits.tokens[0]: limit is required (a positive integer)",
                "tier[1] (premium): limits.tokens[1]: window is required (a duration like 30s, 2m, 1h or 1h30m)",
                "tier[1] (premium): limits.tokens[3]: window '1m' is already used by an earlier entry of limits.tokens",
                "tier[2] (enterprise): limits must be a mapping with requests and/or tokens, found array",
                "tier[3] (other): limits.requests must be a list of {limit, window}, found object"),
                e.problems());
    }

    @Test
    void theDefaultTierFileGivesEveryTierBothKindsOfLimits() throws Exception {
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("default-tiers.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<Tier> tiers = parser.parse(text);
        assertEquals(List.of("free", "premium", "enterprise"), tiers.stream().map(Tier::name).toList());
        assertEquals(List.of(new TierLimits.Rate(5, "2m")), tiers.get(0).limits().requests());
        assertEquals(List.of(new TierLimits.Rate(100, "1m")), tiers.get(0).limits().tokens());
        assertEquals(List.of(new TierLimits.Rate(20, "2m")), tiers.get(1).limits().requests());
        assertEquals(List.of(new TierLimits.Rate(50000, "1m")), tiers.get(1).limits().tokens());
        assertEquals(List.of(new TierLimits.Rate(50, "2m")), tiers.get(2).limits().requests());
        assertEquals(List.of(new TierLimits.Rate(100000, "1m")), tiers.get(2).limits().tokens());
    }
}
