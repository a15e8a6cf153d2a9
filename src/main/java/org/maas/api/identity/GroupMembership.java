package org.maas.api.identity;

import java.util.List;

/**
 * A person's groups as maas-api uses them between two TokenReviews of the same token: the reviewed groups,
 * less those that maas-api watches as Group objects and that no longer hold the person (group revocation,
 * token/GroupRevocationStarter). Without it, a review cached before a user left a Group would keep them in the
 * old tier for the cache's TTL, and a mint would make them a new account there.
 */
public interface GroupMembership {

    /** @return {@code reviewedGroups}, or a sublist of it, in the same order */
    List<String> current(String username, List<String> reviewedGroups);
}
