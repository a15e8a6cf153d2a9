package org.maas.api.apikey;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/api-keys}. */
@Schema(name = "CreateApiKeyRequest", description = "A named key; only the name is required",
        additionalProperties = Schema.False.class)
public record CreateApiKeyRequest(
        @Schema(description = "1 to 128 characters that show (no control or format characters), stored"
                + " NFC-normalized without leading or trailing spaces, unique among your live keys", required = true,
                minLength = 1, maxLength = 128, example = "ci-pipeline")
        String name,
        @Schema(description = "At most 256 characters", maxLength = 256, example = "GitHub Actions of team-a/app")
        String description,
        // Read as for POST /v1/tokens (MintTokenRequest); the schema (a string with a pattern) is in META-INF/openapi.yaml.
        @Schema(ref = "ApiKeyExpiration")
        JsonNode expiration) {
}
