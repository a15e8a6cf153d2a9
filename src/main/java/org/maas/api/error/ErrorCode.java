package org.maas.api.error;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every {@code error} code maas-api answers, each with its HTTP status: the one list of them. */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    TOO_MANY_REQUESTS(429),
    INTERNAL_ERROR(500),
    UNAVAILABLE(503);

    /** What a client is told of any failure of ours; the details go to the log, never to the client. */
    public static final String LOGGED = "maas-api could not complete the request; the cause has been logged";

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The code as it appears in the JSON body, e.g. {@code bad_request}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorCode> forStatus(int status) {
        return Arrays.stream(values()).filter(c -> c.status == status).findFirst();
    }
}
