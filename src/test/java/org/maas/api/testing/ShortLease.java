package org.maas.api.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * A Lease of 3 s (renewed within 2 s, retried every 200 ms) instead of the shipped 15 s, for the test profiles
 * that run leader-only work: a replica leads, and a test sees its work, within seconds of the start.
 */
public final class ShortLease {

    private ShortLease() {
    }

    /** The profile's own settings plus the short Lease. */
    public static Map<String, String> with(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("maas.policies.lease-duration", "3s");
        all.put("maas.policies.lease-renew-deadline", "2s");
        all.put("maas.policies.lease-retry-period", "200ms");
        return Map.copyOf(all);
    }
}
