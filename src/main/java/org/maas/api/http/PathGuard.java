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
        String undecodable = raw == null ? null : undecodable(raw);
        if (undecodable != null) {
            JsonErrors.send(ctx, ErrorCode.BAD_REQUEST, undecodable);
        } else if (raw != null && mayHaveDots(raw) && DOT_SEGMENT.matcher(raw).find()) {
            JsonErrors.send(ctx, ErrorCode.BAD_REQUEST, "the path must not contain '.' or '..' segments");
        } else if (isManagement(ctx.normalizedPath()) && !allowed(ctx.request().method(), ctx.normalizedPath())) {
            ctx.response().putHeader("Allow", ctx.normalizedPath().startsWith(SWAGGER_UI) ? "GET, HEAD" : "GET");
            JsonErrors.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed on this path", true);
        } else {
            ctx.next();
        }
    }

    /**
     * Why the raw path does not decode to printable UTF-8, or null: a {@code %} not followed by two hex digits,
     * bytes that are not UTF-8 (overlong {@code %C0%AF} for {@code /}), or a control character ({@code %0D%0A}
     * in a user name would split an audit line). Answered here in the JSON shape; left to Vert.x, a path that
     * does not decode gets its empty 400.
     */
    static String undecodable(String raw) {
        if (raw.indexOf('%') < 0) {
            return hasControl(raw) ? CONTROL : null;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return "the path has a malformed percent-encoding at character " + (i + 1)
                            + ": '%' must be followed by two hex digits (send '%' itself as %25)";
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        String decoded;
        try {
            decoded = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return "the path's percent-encoding does not decode to UTF-8 (a malformed or overlong sequence)";
        }
        return hasControl(decoded) ? CONTROL : null;
    }

    /** Every request passes here, the lookup's included: plain loops, and the regex only when it could match. */
    private static boolean hasControl(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayHaveDots(String raw) {
        return raw.indexOf('.') >= 0 || raw.indexOf('%') >= 0;
    }

    private static final String CONTROL = "the path must not contain control characters (such as an encoded CR or LF)";

    private static boolean isManagement(String path) {
        return path.equals("/q") || path.startsWith("/q/");
    }

    private static boolean allowed(HttpMethod method, String path) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD && path.startsWith(SWAGGER_UI);
    }
}
