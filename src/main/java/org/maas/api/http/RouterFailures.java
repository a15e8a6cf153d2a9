package org.maas.api.http;

import org.maas.api.error.Disconnects;
import org.maas.api.error.ErrorCode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;

/**
 * Failures that reach the Vert.x router rather than a REST resource (a request without a Host header,
 * a body over the limit while it streams in, a client that disconnects) answer in the JSON error shape
 * instead of Quarkus' default error page. What the REST layer answers is {@code ErrorMapper}'s.
 */
@ApplicationScoped
class RouterFailures {

    private static final Logger LOG = Logger.getLogger(RouterFailures.class);

    private String tooLarge = "the request body is too large";

    void install(@Observes Router router, MaasConfig config) {
        tooLarge = "the request body is over " + config.http().maxBodySize().asLongValue() + " bytes";
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        // closed(): the stream was reset or the connection dropped, whatever the exception says (a failed
        // write of the answer surfaces as a bare "Failed to write" IOException).
        if (Disconnects.isDisconnect(failure) || ctx.response().closed()) {
            LOG.debugf("client disconnected during %s %s: %s", ctx.request().method(), ctx.request().path(), failure);
            ctx.response().reset();
            return;
        }
        if (ctx.response().ended()) { // answered already (e.g. Quarkus' own 413 for a body past its limit)
            LOG.debugf("failure after the answer to %s %s: %s", ctx.request().method(), ctx.request().path(), failure);
            return;
        }
        int status = ctx.statusCode();
        if (status >= 400 && status < 500) {
            String message = status == 400 && ctx.request().authority() == null
                    ? "the request has no Host header" : message(status);
            JsonErrors.send(ctx, status, code(status), message, status == 413);
        } else {
            LOG.error("unexpected error answering " + ctx.request().method() + " " + ctx.request().path(), failure);
            JsonErrors.send(ctx, ErrorCode.INTERNAL_ERROR, ErrorCode.LOGGED);
        }
    }

    private static ErrorCode code(int status) {
        return ErrorCode.forStatus(status).orElse(ErrorCode.BAD_REQUEST);
    }

    private String message(int status) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed on this path";
            case 413 -> tooLarge;
            default -> "malformed request (HTTP " + status + ")";
        };
    }
}
