package org.maas.api.tier;

import java.util.List;
import org.maas.api.error.ApiException;

/**
 * What resolving a user's groups gave: the tier that holds one of them, the configured default tier,
 * no tier at all, or nothing to resolve against yet. The one answer every endpoint starts from.
 * {@code groups} are the caller's, as given (not copied: this is on the lookup's hot path), for messages.
 */
public record TierMatch(Outcome outcome, Tier tier, List<String> groups) {

    /** The outcomes, named as the {@code outcome} tag of the lookup metrics. */
    public enum Outcome {
        MATCHED("matched"), DEFAULT_TIER("default_tier"), NONE("not_found"), NO_CONFIG("unavailable");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    static final int NO_CONFIG_RETRY_AFTER_SECONDS = 5;

    public boolean found() {
        return tier != null;
    }

    /**
     * The tier of a person calling maas-api with their own identity: 503 until a config has loaded,
     * 403 naming their groups when no tier holds any of them (the same on every endpoint).
     */
    public Tier requireTier() {
        return switch (outcome) {
            case MATCHED, DEFAULT_TIER -> tier;
            case NO_CONFIG -> throw noConfig();
            case NONE -> throw ApiException.forbidden("no tier includes any of your groups "
                    + Groups.abbreviate(groups) + "; ask an administrator to add one of them to a tier");
        };
    }

    static ApiException noConfig() {
        return ApiException.unavailable("no valid tier config has been loaded yet", NO_CONFIG_RETRY_AFTER_SECONDS);
    }
}
