package org.maas.api.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One of the caller's limits on one model: what was used in the current window and what is left. */
@Schema(name = "UsageEntry", description = "One limit of your tier on one model, in its current window",
        requiredProperties = {"model", "limit", "kind", "window", "max", "used", "remaining", "resetsInSeconds"})
public record UsageEntry(
        @Schema(description = "The model, as GET /v1/models shows its id", example = "ibm/granite")
        String model,
        @Schema(description = "The limit's name in the gateway's policies", example = "premium-tokens-1m")
        String limit,
        // A string, not an enum, so that a client generated today reads a kind added tomorrow.
        @Schema(description = "requests or tokens", example = "tokens")
        String kind,
        @Schema(description = "The window (Kuadrant duration)", example = "1m")
        String window,
        @Schema(description = "The limit per window, per model", example = "50000")
        long max,
        @Schema(description = "Counted in the current window; above max when the request that"
                + " crossed a token limit overshot it (token limits are checked before a response, counted after)",
                example = "1234")
        long used,
        @Schema(description = "Left in the current window, 0 to max", example = "48766")
        long remaining,
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(nullable = true, description = "Seconds until the window ends and the counter"
                + " starts again; null when nothing was counted in this window yet", example = "42")
        Long resetsInSeconds) {
}
