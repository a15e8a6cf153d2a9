package org.maas.api.tier;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CallerTier", description = "Your tier and what it gets you at the gateway",
        requiredProperties = {"username", "groups", "tier", "displayName", "description", "level", "limits"})
public record CallerTier(
        @Schema(description = "Your username, as the API server knows it", example = "alice") String username,
        @Schema(description = "Your groups, as the API server knows them; they decide the tier",
                example = "[\"system:authenticated\", \"premium-users\"]") List<String> groups,
        @Schema(example = "premium") String tier,
        @Schema(example = "Premium Tier") String displayName,
        @Schema(description = "null when none is configured", nullable = true, example = "Higher limits for paying teams")
        String description,
        @Schema(example = "1") int level,
        TierLimits limits) {

    static CallerTier of(String username, List<String> groups, Tier tier) {
        return new CallerTier(username, groups, tier.name(), tier.label(), tier.description(), tier.level(),
                tier.limits());
    }
}
