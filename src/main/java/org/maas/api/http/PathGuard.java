package org.maas.api.http;

import org.maas.api.error.ErrorCode;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * Keeps each request on the path it names. Vert.x resolves {@code .} and {@code ..} segments, also
 * percent-encoded ones, so {@code /v1/%2e%2e/q/metrics} would be served as {@code /q/metrics}: such
 * paths are refused instead of resolved. And the management endpoints under {@code /q} (health,
 * metrics, openapi, swagger-ui) only read, so they answer GET and nothing else; HEAD too on swagger-ui's
 * static files. (Health, metrics and openapi write a body to a HEAD request, which HTTP/2 answers with
 * a protocol error: refusing HEAD there is the honest answer.)
 */
@ApplicationScoped
class PathGuard {

    /** A segment that is {@code .} or {@code ..}, each dot literal or {@code %2e}. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(?i)(?:^|/)(?:\\.|%2e){1,2}(?:/|$)");

    private static final String SWAGGER_UI = "/q/swagger-ui";

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw != null && DOT_SEGMENT.matcher(raw).find()) {
            JsonErrors.send(ctx, ErrorCode.BAD_REQUEST, "the path must not contain '.' or '..' segments");
        } else if (isManagement(ctx.normalizedPath()) && !allowed(ctx.request().method(), ctx.normalizedPath())) {
            ctx.response().putHeader("Allow", ctx.normalizedPath().startsWith(SWAGGER_UI) ? "GET, HEAD" : "GET");
            JsonErrors.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed on this path", true);
        } else {
            ctx.next();
        }
    }

    private static boolean isManagement(String path) {
        return path.equals("/q") || path.startsWith("/q/");
    }

    private static boolean allowed(HttpMethod method, String path) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD && path.startsWith(SWAGGER_UI);
    }
}
