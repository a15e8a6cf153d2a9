package org.maas.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.model.ModelsBoot;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.usage.LimitadorFake;
import org.maas.api.testing.LogCapture;

/**
 * Every endpoint answers over HTTP/2 as it does over HTTP/1.1: Java's HttpClient with its defaults
 * (HTTP/2, h2c upgrade on plain http) and a Vert.x client with prior knowledge (no upgrade). On the real
 * control plane, in the application of the model classes ({@link ModelsBoot}).
 */
@QuarkusTest
@TestProfile(ModelsBoot.Profile.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ModelsBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = ModelsBoot.GATEWAY),
        @ResourceArg(name = "overlays", value = "model-access")})
@WithTestResource(LimitadorFake.class)
class Http2Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ControlPlane PLANE = ControlPlane.shared();

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URI root;

    private final java.net.http.HttpClient defaultClient = java.net.http.HttpClient.newHttpClient();
    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
    }

    @AfterEach
    void noErrorsLogged() {
        log.close();
        assertEquals(List.of(), log.lines().stream()
                .filter(line -> line.contains("unexpected error") || line.contains("QuarkusErrorHandler")).toList());
    }

    @Test
    void everyEndpointAnswersJavasDefaultHttp2Client() throws Exception {
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, defaultClient.version(), "the client's default");
        String bearer = PLANE.user(Pool.PREMIUM).token();

        HttpResponse<String> lookup = send(post("/v1/tiers/lookup", "{\"groups\": [\"premium-users\"]}"));
        assertEquals(200, lookup.statusCode(), lookup.body());
        assertEquals("premium", JSON.readTree(lookup.body()).path("tier").asText());

        HttpResponse<String> tiers = send(get("/v1/tiers"));
        assertEquals(200, tiers.statusCode(), tiers.body());
        assertEquals(3, JSON.readTree(tiers.body()).size());

        HttpResponse<String> me = send(get("/v1/tiers/me").header("Authorization", "Bearer " + bearer));
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("premium", JSON.readTree(me.body()).path("tier").asText());

        HttpResponse<String> policies = send(get("/v1/tiers/policies"));
        assertEquals(200, policies.statusCode(), policies.body());

        HttpResponse<String> mint = send(post("/v1/tokens", "{\"expiration\": \"1h\"}")
                .header("Authorization", "Bearer " + bearer));
        assertEquals(201, mint.statusCode(), mint.body());
        String token = JSON.readTree(mint.body()).path("token").asText();
        assertTrue(PLANE.admin().authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
                .withToken(token).withAudiences(ModelsBoot.GATEWAY + "-sa").endSpec().build()).getStatus()
                .getAuthenticated(), "the real TokenReview accepts the minted token for the gateway's audience");

        HttpResponse<String> bodiless = send(request("/v1/tokens").POST(BodyPublishers.noBody())
                .header("Authorization", "Bearer " + bearer));
        assertEquals(201, bodiless.statusCode(), bodiless.body());

        HttpResponse<String> revoke = send(request("/v1/tokens").DELETE().header("Authorization", "Bearer " + bearer));
        assertEquals(204, revoke.statusCode(), revoke.body());

        HttpResponse<String> ready = send(get("/q/health/ready"));
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());

        HttpResponse<String> metrics = send(get("/q/metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("maas_tier_lookup"), "the application's metrics are there");

        HttpResponse<String> openapi = send(get("/q/openapi").header("Accept", "application/json"));
        assertEquals(200, openapi.statusCode());
        assertTrue(JSON.readTree(openapi.body()).path("paths").has("/v1/tiers/lookup"));

        HttpResponse<String> unauthenticated = send(request("/v1/tokens").DELETE());
        assertJsonError(unauthenticated, 401, "unauthorized");
    }

    @Test
    void theServerRunsOnLinuxEpollWhereTheJarShipsIt() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64")),
                "pom.xml ships epoll for Linux on x86-64 and arm64 only");
        assertTrue(vertx.isNativeTransportEnabled(),
                () -> "Vert.x runs on Java NIO; epoll unavailable because: " + vertx.unavailableNativeTransportCause());
    }

    @Test
    void aBodyOverTheLimitIsTheJson413OverHttp2() throws Exception {
        String body = "{\"groups\": [\"" + "x".repeat(70_000) + "\"]}";
        assertJsonError(send(post("/v1/tiers/lookup", body)), 413, "payload_too_large");
        // without a length: the body is counted as it is read
        HttpResponse<String> streamed = send(request("/v1/tiers/lookup").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes()))));
        assertJsonError(streamed, 413, "payload_too_large");
        assertTrue(streamed.body().contains("over 65536 bytes"), streamed.body());
        // the connection still serves the next request
        assertEquals(200, send(get("/v1/tiers")).statusCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 20_000, 64_000})
    void priorKnowledgeHttp2ReadsBodiesOfAnySizeWithinTheLimit(int size) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost(root.getHost()).setDefaultPort(root.getPort()));
        try {
            String body = "{\"groups\": [" + ("\"" + "g".repeat(1024) + "\",").repeat(size / 1027 + 1) + "\"premium-users\"]}";
            assertTrue(body.length() >= size && body.length() <= 65_536, "size " + body.length());
            Answer lookup = vertxSend(client, HttpMethod.POST, "/v1/tiers/lookup", body);
            assertEquals(HttpVersion.HTTP_2, lookup.version);
            assertEquals(200, lookup.status, lookup.body);
            assertEquals("premium", JSON.readTree(lookup.body).path("tier").asText());

            Answer tiers = vertxSend(client, HttpMethod.GET, "/v1/tiers", null);
            assertEquals(200, tiers.status, tiers.body);
            Answer mint = vertxSend(client, HttpMethod.POST, "/v1/tokens", null);
            assertEquals(401, mint.status, mint.body);
            Answer ready = vertxSend(client, HttpMethod.GET, "/q/health/ready", null);
            assertEquals(200, ready.status, ready.body);
            Answer head = vertxSend(client, HttpMethod.HEAD, "/q/health/live", null);
            assertEquals(405, head.status, "an answer, not a protocol error");
            Answer dots = vertxSend(client, HttpMethod.GET, "/v1/%2e%2e/q/metrics", null);
            assertEquals(400, dots.status, dots.body);
            Answer tooLarge = vertxSend(client, HttpMethod.POST, "/v1/tiers/lookup", "[" + " ".repeat(70_000) + "]");
            assertEquals(413, tooLarge.status, tooLarge.body);
            assertEquals("payload_too_large", JSON.readTree(tooLarge.body).path("error").asText());
        } finally {
            client.close();
        }
    }

    @Test
    void aStreamResetMidBodyIsNoError() throws Exception {
        java.util.logging.Logger mapper = java.util.logging.Logger.getLogger("org.maas.api.error.ErrorMapper");
        java.util.logging.Level level = mapper.getLevel();
        mapper.setLevel(java.util.logging.Level.FINE); // to see when the server has noticed
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost(root.getHost()).setDefaultPort(root.getPort()));
        try {
            java.util.concurrent.CompletableFuture<Void> reading = new java.util.concurrent.CompletableFuture<>();
            client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/tokens")
                            .putHeader("Content-Type", "application/json").putHeader("Expect", "100-continue"))
                    .onSuccess(req -> {
                        req.setChunked(true);
                        req.continueHandler(v -> req.write("{\"expiration\": ").onComplete(w -> {
                            req.reset(); // the body is never finished
                            reading.complete(null);
                        }));
                        req.sendHead();
                    })
                    .onFailure(reading::completeExceptionally);
            reading.get(30, TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).until(() -> log.lines().stream()
                    .anyMatch(line -> line.contains("client disconnected")));
        } finally {
            mapper.setLevel(level);
            client.close();
        }
    }

    private record Answer(HttpVersion version, int status, String body) {
    }

    private Answer vertxSend(HttpClient client, HttpMethod method, String path, String body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body)))
                        .compose(resp -> resp.body().map(b -> new Answer(resp.version(), resp.statusCode(), b.toString()))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(root.resolve(path));
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder post(String path, String body) {
        return request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = defaultClient.send(request.build(), BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, response.version(), "answered over HTTP/2");
        return response;
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertEquals(code, error.path("error").asText());
        assertFalse(error.path("message").asText().isEmpty());
    }
}
