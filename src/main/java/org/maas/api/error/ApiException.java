package org.maas.api.error;

import java.util.Map;

/**
 * An answer that is not a success, thrown from anywhere below a resource and rendered as
 * {@link ApiError}. It carries no stack trace: it is an expected outcome, not a bug.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    /** No usable credentials: the client should send a bearer token. */
    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    /** The request collides with what exists (a name taken, a limit reached): the message says how to resolve it. */
    public static ApiException conflict(String message) {
        return new ApiException(ErrorCode.CONFLICT, message);
    }

    /** Our fault, not the client's: the caller has logged the details; the client gets {@link ErrorCode#LOGGED}. */
    public static ApiException internal() {
        return new ApiException(ErrorCode.INTERNAL_ERROR, ErrorCode.LOGGED);
    }

    /** The caller has too much in progress or sent too much: their own limit, not the service's. */
    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(ErrorCode.TOO_MANY_REQUESTS, message,
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(ErrorCode.UNAVAILABLE, message,
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** Unavailable until maas-api runs with other settings: no Retry-After, since retrying cannot help. */
    public static ApiException unavailableUntilReconfigured(String message) {
        return new ApiException(ErrorCode.UNAVAILABLE, message);
    }

    public int status() {
        return code.status();
    }

    public String code() {
        return code.code();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ApiError toError() {
        return ApiError.of(code, getMessage());
    }
}
