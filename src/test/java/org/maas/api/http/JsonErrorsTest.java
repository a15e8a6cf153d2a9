package org.maas.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;

/** An ApiException answered by a plain Vert.x route (no Quarkus), over HTTP/1.1 and HTTP/2 with prior knowledge. */
class JsonErrorsTest {

    /** What a route answers: unavailable with Retry-After, and Connection: close, which HTTP/2 must not carry. */
    private static final ApiException REFUSAL = new ApiException(ErrorCode.UNAVAILABLE, "try again soon",
            Map.of("Retry-After", "7", "Connection", "close"));
    private static final String BODY = "{\"error\":\"unavailable\",\"message\":\"try again soon\"}";

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/refused").handler(ctx -> JsonErrors.send(ctx, REFUSAL));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void http11CarriesTheStatusTheHeadersAndTheJsonBody() throws Exception {
        Answer answer = get(HttpVersion.HTTP_1_1, HttpMethod.GET);
        assertEquals(503, answer.status);
        assertEquals("7", answer.headers.get("Retry-After"));
        assertEquals("close", answer.headers.get("Connection"));
        assertEquals("application/json", answer.headers.get("Content-Type"));
        assertEquals(BODY, answer.body);
    }

    @Test
    void http2DropsConnectionAndKeepsTheRest() throws Exception {
        Answer answer = get(HttpVersion.HTTP_2, HttpMethod.GET);
        assertEquals(HttpVersion.HTTP_2, answer.version);
        assertEquals(503, answer.status);
        assertEquals("7", answer.headers.get("Retry-After"));
        assertNull(answer.headers.get("Connection"));
        assertEquals(BODY, answer.body);
    }

    @Test
    void headGetsTheStatusAndHeadersWithoutABody() throws Exception {
        Answer answer = get(HttpVersion.HTTP_2, HttpMethod.HEAD);
        assertEquals(503, answer.status);
        assertEquals("7", answer.headers.get("Retry-After"));
        assertEquals("", answer.body);
    }

    private Answer get(HttpVersion version, HttpMethod method) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
        return client.request(new RequestOptions().setMethod(method).setURI("/refused"))
                .compose(req -> req.send().compose(resp -> resp.body()
                        .map(b -> new Answer(resp.version(), resp.statusCode(), resp.headers(), b.toString()))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private record Answer(HttpVersion version, int status, MultiMap headers, String body) {
    }
}
