package org.maas.api.http;

import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers from below the REST layer, in the same {@code {"error", "message"}} shape as {@link org.maas.api.error.ApiError}. */
public final class JsonErrors {

    private JsonErrors() {
    }

    static void send(RoutingContext ctx, ErrorCode code, String message) {
        send(ctx, code, message, false);
    }

    /** @param close end an HTTP/1.x connection after the answer (its request body will not be read) */
    static void send(RoutingContext ctx, ErrorCode code, String message, boolean close) {
        send(ctx, code.status(), code, message, close);
    }

    /** @param status the HTTP status, for the 4xx that have no code of their own (answered as {@code bad_request}) */
    static void send(RoutingContext ctx, int status, ErrorCode code, String message, boolean close) {
        if (tooLate(ctx)) {
            return;
        }
        // Connection is an HTTP/1.x header; HTTP/2 ends the stream with the answer instead.
        if (close && ctx.request().version() != HttpVersion.HTTP_2) {
            ctx.response().putHeader("Connection", "close");
        }
        end(ctx, status, code.code(), message);
    }

    /**
     * An {@link ApiException} as a route's answer, as ErrorMapper renders it for the REST layer: its status, its
     * headers (but {@code Connection} on HTTP/2, which ends the stream instead) and the JSON body.
     */
    public static void send(RoutingContext ctx, ApiException e) {
        if (tooLate(ctx)) {
            return;
        }
        boolean http2 = ctx.request().version() == HttpVersion.HTTP_2;
        e.headers().forEach((name, value) -> {
            if (!http2 || !name.equalsIgnoreCase("Connection")) {
                ctx.response().putHeader(name, value);
            }
        });
        end(ctx, e.status(), e.code(), e.getMessage());
    }

    private static boolean tooLate(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset(); // too late for an answer: end the stream rather than leave it hanging
            return true;
        }
        return false;
    }

    private static void end(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (ctx.request().method() == HttpMethod.HEAD) { // no body, or HTTP/2 ends the stream with a protocol error
            ctx.response().end();
        } else {
            ctx.response().end(new JsonObject().put("error", code).put("message", message).encode());
        }
    }
}
