package org.maas.api.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.maas.api.error.ApiException;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.junit.jupiter.api.Test;

class TierIndexTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    private static final String PREFIX = IDENTITY.tierNamespacePrefix();

    private static final List<Tier> TIERS = List.of(
            new Tier("free", "Free Tier", null, 0, List.of("system:authenticated")),
            new Tier("premium", null, null, 1, List.of("premium-users", "shared")),
            new Tier("enterprise", null, null, 2, List.of("enterprise-users", "shared")),
            new Tier("partner", null, null, 2, List.of("partners", "tie")),
            new Tier("gold", null, null, 2, List.of("tie")));

    private final TierIndex index = index(Optional.empty());

    @Test
    void theHighestLevelAmongTheUsersGroupsWins() {
        assertEquals("free", name(List.of("system:authenticated")));
        assertEquals("premium", name(List.of("system:authenticated", "premium-users")));
        assertEquals("enterprise", name(List.of("premium-users", "enterprise-users", "system:authenticated")));
        assertEquals("enterprise", name(List.of("enterprise-users", "premium-users")), "order of groups is irrelevant");
    }

    @Test
    void aGroupInSeveralTiersMapsToTheHighest() {
        assertEquals("enterprise", name(List.of("shared")));
    }

    @Test
    void equalLevelsGoToTheFirstTierInConfigOrder() {
        assertEquals("partner", name(List.of("tie")));
        assertEquals("enterprise", name(List.of("partners", "enterprise-users")));
        assertEquals("enterprise", name(List.of("enterprise-users", "partners")));
    }

    @Test
    void serviceAccountsOfATierNamespaceResolveToThatTier() {
        List<String> minted = List.of("system:serviceaccounts", "system:serviceaccounts:" + PREFIX + "premium",
                "system:authenticated");
        assertEquals("premium", name(minted));
        assertEquals("enterprise", name(List.of("system:serviceaccounts:" + PREFIX + "enterprise")));
        assertNull(index.resolve(List.of("system:serviceaccounts:other-namespace")));
    }

    @Test
    void unknownGroupsResolveToNothingWithoutADefaultTier() {
        assertNull(index.resolve(List.of("nobody", "nothing")));
        assertNull(index.defaultTier());
    }

    @Test
    void theDefaultTierIsOnlyOfferedWhenConfigured() throws Exception {
        TierIndex withDefault = index(Optional.of("free"));
        assertEquals("free", withDefault.defaultTier().name());
        assertNull(withDefault.resolve(List.of("nobody")), "resolve reports matches only");
    }

    @Test
    void aMatchSaysWhetherTheTierCameFromAGroupOrTheDefault() throws Exception {
        TierIndex withDefault = index(Optional.of("free"));
        TierMatch matched = withDefault.match(List.of("nobody", "premium-users"));
        assertEquals(TierMatch.Outcome.MATCHED, matched.outcome());
        assertEquals("premium", matched.tier().name());
        TierMatch fallback = withDefault.match(List.of("nobody"));
        assertEquals(TierMatch.Outcome.DEFAULT_TIER, fallback.outcome());
        assertEquals("free", fallback.tier().name());
        TierMatch none = index.match(List.of("nobody"));
        assertEquals(TierMatch.Outcome.NONE, none.outcome());
        assertNull(none.tier());
        ApiException refused = assertThrows(ApiException.class, none::requireTier);
        assertEquals(403, refused.status());
        assertTrue(refused.getMessage().contains("[nobody]"), refused.getMessage());
    }

    @Test
    void withoutAConfigThereIsNothingToMatchAgainst() {
        ApiException unavailable = assertThrows(ApiException.class,
                () -> new TierMatch(TierMatch.Outcome.NO_CONFIG, null, List.of("a")).requireTier());
        assertEquals(503, unavailable.status());
        assertEquals("5", unavailable.headers().get("Retry-After"));
    }

    @Test
    void aDefaultTierThatIsNotConfiguredIsRejected() {
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class,
                () -> new TierIndex(1, "test", TIERS, IDENTITY, Optional.of("platinum")));
        assertEquals(List.of("the default tier 'platinum' (maas.tiers.default-tier) is not in the config"), e.problems());
    }

    @Test
    void listsTiersFromTheHighestLevelDownKeepingConfigOrderOnTies() {
        assertEquals(List.of("enterprise", "partner", "gold", "premium", "free"),
                index.byLevel().stream().map(Tier::name).toList());
    }

    private String name(List<String> groups) {
        Tier tier = index.resolve(groups);
        return tier == null ? null : tier.name();
    }

    private static TierIndex index(Optional<String> defaultTier) {
        try {
            return new TierIndex(1, "test", TIERS, IDENTITY, defaultTier);
        } catch (InvalidTierConfigException e) {
            throw new AssertionError(e);
        }
    }
}
