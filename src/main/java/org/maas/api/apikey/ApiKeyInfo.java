package org.maas.api.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ApiKeyInfo", description = "A key as listed; never the key text")
public record ApiKeyInfo(
        @Schema(required = true, example = "6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b")
        String id,
        @Schema(required = true, example = "ci-pipeline")
        String name,
        @Schema(required = true, example = "GitHub Actions of team-a/app")
        String description,
        @Schema(required = true, description = "Unix seconds", example = "1764174600")
        long createdAt,
        @Schema(required = true, description = "Unix seconds", example = "1766766600")
        long expiresAt,
        @Schema(required = true, example = "free")
        String tier,
        // A string, not an enum, so that a client generated today reads a status added tomorrow.
        @Schema(required = true, implementation = String.class, description = "active, or expired (computed when"
                + " read; the Secret is deleted maas.api-keys.cleanup-grace after expiry)", example = "active")
        Status status,
        @Schema(description = "The key's owner: only in the admin listing", example = "alice")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String user) {

    public enum Status { active, expired }
}
