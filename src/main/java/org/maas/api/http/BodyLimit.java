package org.maas.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.maas.api.config.MaasConfig;

/**
 * Caps request bodies at {@code maas.http.max-body-size} and answers 413 in the JSON error shape.
 * Vert.x's body handler rejects a declared Content-Length at once and counts chunked bodies as they
 * arrive, so neither kind is buffered past the limit. (Quarkus' own limit is set far higher, as an
 * outer guard, because it answers with an empty body.)
 */
@ApplicationScoped
class BodyLimit {


    void install(@Observes Router router, MaasConfig config) {
        long limit = config.http().maxBodySize().asLongValue();
        String body = new JsonObject().put("error", "payload_too_large")
                .put("message", "the request body is over " + limit + " bytes").encode();
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(Integer.MIN_VALUE)
                .handler(ctx -> {
                    // An empty body has nothing to cap; buffering it anyway leaves Quarkus REST waiting
                    // for a body that has already ended.
                    if ("0".equals(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH))) {
                        ctx.next();
                    } else {
                        bodies.handle(ctx);
                    }
                })
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413) {
                        ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "close").end(body);
                    } else {
                        ctx.next();
                    }
                });
    }
}
