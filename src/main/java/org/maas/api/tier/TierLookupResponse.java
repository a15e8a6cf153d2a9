package org.maas.api.tier;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "TierLookupResponse", requiredProperties = {"tier", "displayName"})
public record TierLookupResponse(
        @Schema(description = "Tier name; policies key their limits on it", example = "premium") String tier,
        @Schema(description = "Display name, or the name when none is configured", example = "Premium Tier")
        String displayName) {

    static TierLookupResponse of(Tier tier) {
        return new TierLookupResponse(tier.name(), tier.label());
    }
}
