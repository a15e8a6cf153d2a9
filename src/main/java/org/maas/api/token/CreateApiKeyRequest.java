package org.maas.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/api-keys}. */
@Schema(name = "CreateApiKeyRequest", description = "A named key; only the name is required")
public record CreateApiKeyRequest(
        @Schema(description = "1 to 128 characters, unique among your live keys", required = true,
                minLength = 1, maxLength = 128, example = "ci-pipeline")
        String name,
        @Schema(description = "At most 256 characters", maxLength = 256, example = "GitHub Actions of team-a/app")
        String description,
        // A string or a number, as for POST /v1/tokens (MintTokenRequest explains the schema).
        @Schema(description = "Lifetime: a duration of hours, minutes and seconds (\"720h\", \"2h30m\") or a whole"
                + " number of seconds. Between 10m and maas.api-keys.max-expiration (default 2160h, 90 days); absent"
                + " or null means maas.api-keys.default-expiration (720h, 30 days). The API server may grant less.",
                implementation = Object.class, oneOf = {String.class, Long.class})
        JsonNode expiration) {
}
