package org.maas.api.tier;

import java.util.List;

/** One subscription tier as the admin configured it. */
public record Tier(String name, String displayName, String description, int level, List<String> groups) {

    public Tier {
        groups = List.copyOf(groups);
    }

    /** What users see: the display name, or the name when none is configured. */
    public String label() {
        return displayName != null ? displayName : name;
    }
}
