package org.maas.api.revocation;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The boot of the leader-only work on tokens and keys (GroupRevocationTest, ExpiredKeyCleanupTest share it):
 * group revocation on (with overlays/group-revocation's RBAC) without periodic resync, reviews cached for an
 * hour, the expired-key cleanup every second, and a short Lease so that a replica leads soon after start.
 */
public class LeaderWork implements QuarkusTestProfile {

    public static final String NAMESPACE = "maas-api-leader-work";
    public static final String GATEWAY = "leader-work-gw";
    public static final String OVERLAYS = "group-revocation";

    @Override
    public Map<String, String> getConfigOverrides() {
        // No periodic resync and reviews cached for the whole run: a revocation GroupRevocationTest sees is the
        // work of an event (a Group change, an account added) or of a tier config change it made, and a mint
        // after a Group change reuses the review made before it, as within the shipped 30 s TTL.
        return Map.of("maas.revocation.on-group-change", "on",
                "maas.revocation.resync-interval", "1h",
                "maas.identity.review-cache-ttl", "1h",
                "maas.api-keys.cleanup-interval", "1s",
                "maas.policies.lease-duration", "3s",
                "maas.policies.lease-renew-deadline", "2s",
                "maas.policies.lease-retry-period", "200ms");
    }
}
