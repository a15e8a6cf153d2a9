package org.maas.api.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The one error shape every endpoint answers with. Its schema is named MaasError: "Error" clashes with
 * java.lang.Error in generated Java clients and is renamed ModelError by TypeScript generators.
 */
@Schema(name = "MaasError", description = "Every error answer has this shape, with Content-Type application/json",
        requiredProperties = {"error", "message"})
public record ApiError(
        // Not an enum: a client generated today must still read a code added tomorrow. ErrorCodeTest keeps
        // the list equal to ErrorCode.
        @Schema(description = "Machine-readable code, one of bad_request, unauthorized, forbidden, not_found,"
                + " method_not_allowed, not_acceptable, conflict, payload_too_large, unsupported_media_type,"
                + " too_many_requests, internal_error, unavailable; new codes may be added", example = "bad_request")
        String error,
        @Schema(description = "What went wrong and what to fix", example = "groups must be a non-empty list of strings")
        String message) {

    public static ApiError of(ErrorCode code, String message) {
        return new ApiError(code.code(), message);
    }
}
