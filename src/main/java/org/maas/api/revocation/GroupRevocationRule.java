package org.maas.api.revocation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierIndex;
import org.maas.api.tier.TierMatch;

/**
 * Whether a user's ServiceAccount in a tier's namespace goes after a group change. maas-api sees only
 * OpenShift Group objects, never a user's other groups (virtual ones like {@code system:authenticated},
 * groups from an identity provider's claims), so it revokes only when it can prove the user left the
 * tier: every group of the tier is a Group object (or was one this replica saw deleted), none of them
 * holds the user, and the tier is not the default tier. Anything else keeps the account: in doubt, keep.
 *
 * <p>Membership, not precedence: a user who is now also in a higher tier keeps the lower tier's account
 * (a tier gained never revokes); the next mint moves them, as it always did.
 */
final class GroupRevocationRule {

    /** Every person has it: counted for the new tier that the audit line names. */
    static final String AUTHENTICATED = "system:authenticated";

    /** {@code newTier}: what the user's Group objects resolve to now, or "none"; {@code why}: for logs. */
    record Verdict(boolean revoke, String newTier, String why) {
    }

    private GroupRevocationRule() {
    }

    /**
     * @param groupsOfUser  the Group objects that hold the user now (their names)
     * @param isGroupObject whether a group name is (or was seen deleted as) a Group object
     */
    static Verdict judge(TierIndex index, String namespaceTier, Collection<String> groupsOfUser,
                         Predicate<String> isGroupObject) {
        Tier tier = index.tier(namespaceTier).orElse(null);
        if (tier == null) {
            return keep("tier " + namespaceTier + " is not in the config (its tokens resolve to no tier)");
        }
        if (index.defaultTier() != null && index.defaultTier().name().equals(tier.name())) {
            return keep("tier " + tier.name() + " is the default tier: everyone may hold it");
        }
        for (String group : tier.groups()) {
            if (groupsOfUser.contains(group)) {
                return keep("still in group " + group);
            }
        }
        for (String group : tier.groups()) {
            if (!isGroupObject.test(group)) {
                return keep("group " + group + " of tier " + tier.name()
                        + " is no Group object (virtual or from the identity provider): membership cannot be seen");
            }
        }
        return new Verdict(true, newTier(index, groupsOfUser), "in none of the Groups of tier " + tier.name());
    }

    static String newTier(TierIndex index, Collection<String> groupsOfUser) {
        List<String> groups = new ArrayList<>(groupsOfUser);
        groups.add(AUTHENTICATED);
        TierMatch match = index.match(groups);
        return match.found() ? match.tier().name() : "none";
    }

    private static Verdict keep(String why) {
        return new Verdict(false, null, why);
    }
}
