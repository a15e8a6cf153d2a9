package org.maas.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;

/** The admin review cache on a clock the test turns: answers kept for the TTL, no longer; failures never kept. */
class CachedAdminReviewTest {

    private static final Duration TTL = AdminAuthorizer.REVIEW_TTL;
    private static final Caller.Person ADMIN = new Caller.Person("ann", List.of("maas-admins", "system:authenticated"));

    private final AtomicLong nanos = new AtomicLong();
    /** What RBAC answers now, per namespace; absent: the API server fails. */
    private final Map<String, Boolean> rbac = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final CachedAdminReview reviews = new CachedAdminReview((caller, namespace) -> {
        asked.add(caller.username() + "@" + namespace);
        Boolean allowed = rbac.get(namespace);
        if (allowed == null) {
            throw ApiException.unavailable("the API server did not answer", 1);
        }
        return allowed;
    }, TTL, nanos::get);

    @Test
    void aRevokedAdminLosesAccessWithinTheTtlAndNotBefore() {
        rbac.put("tier-free", true);
        assertTrue(reviews.allowed(ADMIN, "tier-free"));
        rbac.put("tier-free", false); // the admin's RoleBinding is deleted

        nanos.addAndGet(TTL.minusMillis(1).toNanos());
        assertTrue(reviews.allowed(ADMIN, "tier-free"), "the answer of the burst is reused");
        assertEquals(1, asked.size());

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertFalse(reviews.allowed(ADMIN, "tier-free"), "asked again once the TTL is over");
        assertEquals(2, asked.size());
    }

    @Test
    void answersAreKeptPerNamespaceAndGroupsAndFailuresAreNot() {
        rbac.put("tier-free", true);
        rbac.put("tier-premium", false);
        assertTrue(reviews.allowed(ADMIN, "tier-free"));
        assertFalse(reviews.allowed(ADMIN, "tier-premium"));
        assertTrue(reviews.allowed(new Caller.Person("ann", List.of("system:authenticated")), "tier-free"));
        assertEquals(3, asked.size(), "another namespace or other groups: another review");

        assertThrows(ApiException.class, () -> reviews.allowed(ADMIN, "tier-enterprise"));
        rbac.put("tier-enterprise", true);
        assertTrue(reviews.allowed(ADMIN, "tier-enterprise"), "a failure is asked again at once");
    }
}
