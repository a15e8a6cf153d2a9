package org.maas.api.tier;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Tier", description = "A configured tier, without its group list",
        requiredProperties = {"name", "displayName", "description", "level"})
public record TierInfo(
        @Schema(example = "premium") String name,
        @Schema(example = "Premium Tier") String displayName,
        @Schema(description = "null when none is configured", nullable = true, example = "Higher limits for paying teams")
        String description,
        @Schema(description = "Higher wins when a user is in several tiers", example = "10") int level) {

    static TierInfo of(Tier tier) {
        return new TierInfo(tier.name(), tier.label(), tier.description(), tier.level());
    }
}
