package org.maas.api.apikey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreatedApiKey", description = "A new key; the key text is shown only in this answer")
public record CreatedApiKey(
        @Schema(description = "The key's id, for GET and DELETE /v1/api-keys/{id}", required = true,
                example = "6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b")
        String id,
        @Schema(required = true, example = "ci-pipeline")
        String name,
        @Schema(required = true, description = "Empty when none was given", example = "GitHub Actions of team-a/app")
        String description,
        @Schema(required = true, description = "Bearer token for the gateway; maas-api does not keep it",
                example = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJhdWQiOlsibWFhcy1kZWZhdWx0LWdhdGV3YXktc2EiXX0.c2ln")
        String key,
        @Schema(required = true, description = "Unix seconds", example = "1764174600")
        long createdAt,
        @Schema(required = true, description = "Unix seconds, as the API server granted it", example = "1766766600")
        long expiresAt,
        @Schema(required = true, example = "free")
        String tier) {
}
