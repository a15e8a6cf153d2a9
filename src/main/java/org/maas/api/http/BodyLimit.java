package org.maas.api.http;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ErrorCode;

/**
 * Refuses a declared Content-Length over {@code maas.http.max-body-size} with the JSON 413, before anything
 * is read. Bodies without a length (chunked) are counted as they are read, by {@link ChunkedBodyLimit}.
 * The body is not buffered here: Quarkus REST reads it itself (a Vert.x BodyHandler in front of it
 * breaks HTTP/2, where a request that has been read cannot be paused again).
 */
@ApplicationScoped
class BodyLimit {

    void install(@Observes Router router, MaasConfig config) {
        long limit = config.http().maxBodySize().asLongValue();
        String tooLarge = "the request body is over " + limit + " bytes";
        // Just ahead of Quarkus' own upload limit, which answers 413 with an empty body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length == null) {
                ctx.next();
            } else if (!isLength(length)) {
                JsonErrors.send(ctx, ErrorCode.BAD_REQUEST, "Content-Length must be a number of bytes", true);
            } else if (Long.parseLong(length) > limit) {
                JsonErrors.send(ctx, ErrorCode.PAYLOAD_TOO_LARGE, tooLarge, true);
            } else {
                ctx.next();
            }
        });
    }

    /**
     * 1 to 18 ASCII digits (so Long.parseLong cannot overflow). A loop, not a regex: every request with a body
     * passes here, the lookup's included, and the matcher was 1.5% of a lookup's CPU.
     */
    private static boolean isLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
