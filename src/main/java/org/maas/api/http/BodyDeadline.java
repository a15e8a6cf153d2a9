package org.maas.api.http;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;

/**
 * A request whose body has not fully arrived {@code maas.http.body-timeout} after its headers is ended: the
 * HTTP/1.x connection closed, the HTTP/2 stream reset. Without it a client that declares a body (chunked, or
 * a Content-Length) and then sends nothing holds the connection, and a worker thread reading it, for as long
 * as it likes. The answer is a disconnect rather than a 4xx: a client that does not send will not read either,
 * and a half-read body leaves nothing else safe to do with the connection.
 */
@ApplicationScoped
class BodyDeadline {

    private static final Logger LOG = Logger.getLogger(BodyDeadline.class);

    void install(@Observes Router router, Vertx vertx, MaasConfig config) {
        long millis = config.http().bodyTimeout().toMillis();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3).handler(ctx -> {
            if (!ctx.request().isEnded() && mayHaveBody(ctx.request())) {
                long timer = vertx.setTimer(millis, id -> expire(ctx, millis));
                ctx.addEndHandler(ignored -> vertx.cancelTimer(timer));
            }
            ctx.next();
        });
    }

    /**
     * An HTTP/1.x request has a body only with a Content-Length or a Transfer-Encoding; without either it ends
     * with its headers (most GETs), so no timer is set for it. HTTP/2 says so only when the stream ends.
     */
    private static boolean mayHaveBody(HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_2 || request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private static void expire(RoutingContext ctx, long millis) {
        if (ctx.request().isEnded() || ctx.response().closed()) {
            return;
        }
        LOG.debugf("%s %s: the body did not arrive within %d ms (maas.http.body-timeout): disconnected",
                ctx.request().method(), ctx.request().path(), millis);
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            ctx.response().reset();
        } else {
            ctx.request().connection().close();
        }
    }
}
