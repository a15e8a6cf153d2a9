package org.maas.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "TokenResponse", description = "A token for the gateway; shown once, maas-api does not keep it",
        requiredProperties = {"token", "expiration", "expiresAt", "issuedAt"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @Schema(description = "Bearer token for the gateway (a ServiceAccount token bound to the gateway audience)",
                example = "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJhdWQiOlsibWFhcy1kZWZhdWx0LWdhdGV3YXktc2EiXX0.c2ln")
        String token,
        @Schema(description = "The lifetime the API server granted (it may shorten what was asked for)", example = "4h")
        String expiration,
        @Schema(description = "When the token expires, as granted by the API server (Unix seconds)", example = "1764189000")
        long expiresAt,
        @Schema(description = "When the token was issued (Unix seconds)", example = "1764174600")
        long issuedAt,
        @Schema(description = "The token's unique id (jti claim), when the API server sets one",
                example = "0e6a3f6c-2b5d-4c8e-9a51-3f1f7f0c2d11")
        String jti) {
}
