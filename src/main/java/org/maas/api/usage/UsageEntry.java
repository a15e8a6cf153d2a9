package org.maas.api.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One of the caller's limits on one model: what was used in the current window and what is left. */
@Schema(name = "UsageEntry", description = "One limit of your tier on one model, in its current window")
public record UsageEntry(
        @Schema(required = true, description = "The model, as GET /v1/models shows its id", example = "ibm/granite")
        String model,
        @Schema(required = true, description = "The limit's name in the gateway's policies", example = "premium-tokens-1m")
        String limit,
        @Schema(required = true, enumeration = {"requests", "tokens"}, example = "tokens")
        String kind,
        @Schema(required = true, description = "The window (Kuadrant duration)", example = "1m")
        String window,
        @Schema(required = true, description = "The limit per window, per model", example = "50000")
        long max,
        @Schema(required = true, description = "Counted in the current window; above max when the request that"
                + " crossed a token limit overshot it (token limits are checked before a response, counted after)",
                example = "1234")
        long used,
        @Schema(required = true, description = "Left in the current window, 0 to max", example = "48766")
        long remaining,
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(required = true, nullable = true, description = "Seconds until the window ends and the counter"
                + " starts again; null when nothing was counted in this window yet", example = "42")
        Long resetsInSeconds) {
}
