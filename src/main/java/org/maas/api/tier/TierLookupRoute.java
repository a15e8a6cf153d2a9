package org.maas.api.tier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorMapper;
import org.maas.api.http.JsonErrors;

/**
 * Serves {@code POST /v1/tiers/lookup} as a Vert.x route, on the event loop, without the REST layer: Authorino
 * calls it on every uncached gateway request, and the REST layer's per-request machinery (handler chain,
 * interceptors, reader and writer lookup, content negotiation) cost more than the lookup itself
 * (docs/performance.md, "Tier lookup"). It takes the request Authorino sends: a body with a Content-Length
 * (already held to maas.http.max-body-size by BodyLimit), Content-Type application/json, Accept absent or
 * JSON. Anything else (a chunked body, another media type) goes on to {@link TierResource#lookup}, which
 * negotiates it with JAX-RS' answers (406, 415) and counts a chunked body as it reads it. Both read the body
 * with {@link TierLookupRequestReader} and answer through {@link TierLookup}, so the answers are the same.
 */
@ApplicationScoped
class TierLookupRoute {

    private static final Logger LOG = Logger.getLogger(TierLookupRoute.class);
    private static final String JSON = "application/json";
    /** What the REST layer answers a lookup with, so both paths send the same header. */
    private static final String JSON_UTF8 = "application/json;charset=UTF-8";

    private final TierLookup lookup;
    private final TierLookupRequestReader reader;
    private final TierLookupMetrics metrics;
    private final ObjectWriter writer;
    /**
     * The answer for each tier, encoded once. Keyed by identity (a Tier's own hash reads all its groups); a config
     * change brings new Tier objects, and few of them. Copied on write: read on every lookup, written per tier.
     */
    private volatile Map<Tier, Buffer> answers = new IdentityHashMap<>();

    TierLookupRoute(TierLookup lookup, TierLookupMetrics metrics, ObjectMapper mapper) {
        this.lookup = lookup;
        this.metrics = metrics;
        this.reader = new TierLookupRequestReader(mapper);
        this.writer = mapper.writer();
    }

    void install(@Observes Router router) {
        // After PathGuard, BodyDeadline and BodyLimit (and Quarkus' own upload limit), before the REST layer.
        router.post("/v1/tiers/lookup").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> { // whichever path answers (this route or the REST layer); not a reset
            if (ended.succeeded()) {
                metrics.time(ctx.response().getStatusCode(), System.nanoTime() - start);
            }
        });
        HttpServerRequest request = ctx.request();
        if (!plainJson(request)) {
            ctx.next();
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue(); // the client waits for it before it sends the body (curl over 1 KiB)
        }
        request.body().onComplete(body -> {
            if (body.succeeded()) {
                answer(ctx, body.result());
            } else { // the client went away mid-body (BodyDeadline ends one that stalls)
                LOG.debugf("client disconnected during the tier lookup: %s", body.cause());
                ctx.response().reset();
            }
        });
        request.resume(); // Quarkus pauses a request until a handler is set; body() sets none
    }

    /** Content-Length, Content-Type application/json (UTF-8 if a charset is named), Accept absent or JSON. */
    private static boolean plainJson(HttpServerRequest request) {
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            return false;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !(type.equalsIgnoreCase(JSON) || type.replace(" ", "").equalsIgnoreCase(JSON + ";charset=utf-8"))) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept == null || accept.equals("*/*") || accept.equalsIgnoreCase(JSON);
    }

    private void answer(RoutingContext ctx, Buffer body) {
        try {
            Tier tier = lookup.lookup(reader.read(body.getBytes()));
            Buffer answer = answers.get(tier);
            if (answer == null) {
                answer = encode(tier);
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8).end(answer);
        } catch (ApiException e) {
            JsonErrors.send(ctx, e);
        } catch (JsonProcessingException e) {
            JsonErrors.send(ctx, ApiException.badRequest(ErrorMapper.describe(e)));
        } catch (IOException | RuntimeException e) {
            ctx.fail(e); // RouterFailures logs it and answers the JSON 500
        }
    }

    private synchronized Buffer encode(Tier tier) throws JsonProcessingException {
        Map<Tier, Buffer> copy = answers.size() < 64 ? new IdentityHashMap<>(answers) : new IdentityHashMap<>();
        Buffer answer = Buffer.buffer(writer.writeValueAsBytes(TierLookupResponse.of(tier)));
        copy.put(tier, answer);
        answers = copy;
        return answer;
    }
}
