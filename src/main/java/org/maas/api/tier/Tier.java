package org.maas.api.tier;

import java.util.List;
import java.util.Objects;

/** One subscription tier as the admin configured it. {@code limits} is never null. */
public record Tier(String name, String displayName, String description, int level, List<String> groups,
                   TierLimits limits) {

    public Tier {
        groups = List.copyOf(groups);
        limits = Objects.requireNonNullElse(limits, TierLimits.NONE);
    }

    /** A tier without limits of its own. */
    public Tier(String name, String displayName, String description, int level, List<String> groups) {
        this(name, displayName, description, level, groups, TierLimits.NONE);
    }

    /** What users see: the display name, or the name when none is configured. */
    public String label() {
        return displayName != null ? displayName : name;
    }
}
