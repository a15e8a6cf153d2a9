package org.maas.api.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The one error shape every endpoint answers with. */
@Schema(name = "Error", description = "Every error answer has this shape, with Content-Type application/json")
public record ApiError(
        @Schema(description = "Machine-readable code", example = "bad_request",
                enumeration = {"bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed",
                        "not_acceptable", "conflict", "payload_too_large", "unsupported_media_type",
                        "internal_error", "unavailable"}) // ErrorCode's values; ErrorCodeTest keeps them equal
        String error,
        @Schema(description = "What went wrong and what to fix", example = "groups must be a non-empty list of strings")
        String message) {

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code.code(), message);
    }
}
