package org.maas.api.tier;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a tier may use at the gateway: request rates (RateLimitPolicy) and LLM token rates
 * (TokenRateLimitPolicy), each with any number of windows. Empty lists mean "not configured", and
 * the rendered policies then cover the tier with their catch-all, never with "unlimited".
 */
@Schema(name = "TierLimits", description = "Rates a tier gets at the gateway; an empty list means not configured",
        requiredProperties = {"requests", "tokens"})
public record TierLimits(List<Rate> requests, List<Rate> tokens) {

    public static final TierLimits NONE = new TierLimits(List.of(), List.of());

    public TierLimits {
        requests = List.copyOf(requests);
        tokens = List.copyOf(tokens);
    }

    /** At most {@code limit} requests (or tokens) per {@code window}, a Kuadrant duration like {@code 2m}. */
    @Schema(name = "Rate", requiredProperties = {"limit", "window"})
    public record Rate(@Schema(example = "20") long limit, @Schema(example = "2m") String window) {
    }
}
