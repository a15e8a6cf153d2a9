package org.maas.api.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/** The conservative rule: revoke only what is provably no longer the user's. */
class GroupRevocationRuleTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway("gw");
    private static final Set<String> GROUP_OBJECTS = Set.of("premium-users", "enterprise-users", "gold-users");

    private static TierIndex tiers(Optional<String> defaultTier) throws Exception {
        return new TierIndex(1, "test", new TierConfigParser(IDENTITY).parse("""
                - {name: free, level: 0, groups: [system:authenticated]}
                - {name: basic, level: 0, groups: [gold-users]}
                - {name: premium, level: 1, groups: [premium-users]}
                - {name: partner, level: 1, groups: [premium-users, oidc-partners]}
                - {name: enterprise, level: 2, groups: [enterprise-users]}
                """), IDENTITY, defaultTier);
    }

    private static GroupRevocationRule.Verdict judge(TierIndex index, String tier, String... groups) {
        return GroupRevocationRule.judge(index, tier, Set.of(groups), GROUP_OBJECTS::contains);
    }

    @Test
    void aUserInNoGroupObjectOfTheTierLosesItAndTheNewTierIsNamed() throws Exception {
        TierIndex index = tiers(Optional.empty());
        GroupRevocationRule.Verdict lower = judge(index, "enterprise", "premium-users");
        assertTrue(lower.revoke());
        assertEquals("premium", lower.newTier());
        assertEquals("free", judge(index, "premium").newTier(), "system:authenticated is every person's");
    }

    @Test
    void aTierStillHeldOrGainedHigherIsKept() throws Exception {
        TierIndex index = tiers(Optional.empty());
        assertFalse(judge(index, "premium", "premium-users", "enterprise-users").revoke(), "membership, not precedence");
    }

    @Test
    void aGroupWithoutAGroupObjectKeepsTheTierForEveryone() throws Exception {
        TierIndex index = tiers(Optional.empty());
        assertFalse(judge(index, "free").revoke(), "system:authenticated is virtual");
        assertFalse(judge(index, "partner").revoke(), "oidc-partners may still hold the user");
    }

    @Test
    void theDefaultTierAndATierNotInTheConfigAreKept() throws Exception {
        assertFalse(judge(tiers(Optional.of("basic")), "basic").revoke());
        assertTrue(judge(tiers(Optional.empty()), "basic").revoke());
        assertFalse(judge(tiers(Optional.empty()), "gone").revoke());
    }
}
