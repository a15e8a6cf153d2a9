package org.maas.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.maas.client.ApiClient;
import org.maas.client.ApiException;
import org.maas.client.api.AccessApi;
import org.maas.client.api.AdminApi;
import org.maas.client.api.ApiKeysApi;
import org.maas.client.api.ModelsApi;
import org.maas.client.api.TiersApi;
import org.maas.client.api.TokensApi;
import org.maas.client.api.UsageApi;
import org.maas.client.model.MaasError;

/**
 * The Java client openapi-generator makes from the served document (library {@code native}: java.net.http,
 * HTTP/2 by default), made as its users make it (only the base URI is the test app's), for one test: every
 * answer is recorded ({@link ObservedResponses}) and {@link #verify} checks them against the test's
 * {@link Answers}.
 */
final class GeneratedClients {

    /**
     * The generated client's default is HTTP/2; {@code -Dgenerated-client.http-version=HTTP_1_1} tells a
     * failure of the contract from one of HTTP/2 when diagnosing.
     */
    static final HttpClient.Version VERSION =
            HttpClient.Version.valueOf(System.getProperty("generated-client.http-version", "HTTP_2"));
    private static final Duration DOES_NOT_HANG = Duration.ofSeconds(60);
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.stored();

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private final String baseUri;
    private final ObservedResponses observed = new ObservedResponses(DOCUMENT);
    private final ObjectMapper json = new ApiClient().getObjectMapper();

    GeneratedClients(URI root) {
        this.baseUri = root.toString().replaceAll("/$", "");
    }

    String baseUri() {
        return baseUri;
    }

    /** Every answer of this test was declared, came over {@link #VERSION}, and the test got all it claims. */
    void verify(Method test) {
        assertEquals(List.of(), observed.problems(claims(test)));
        assertEquals(Set.of(VERSION), observed.versions(), "the native client's default, HTTP/2, for every answer");
    }

    /** The claims of one test method (none when it has no annotation), by operationId. */
    static Map<String, Set<String>> claims(Method test) {
        Map<String, Set<String>> claims = new TreeMap<>();
        Answers answers = test.getAnnotation(Answers.class);
        if (answers != null) {
            for (String claim : answers.value()) {
                String[] words = claim.trim().split("\\s+");
                Set<String> statuses = claims.computeIfAbsent(words[0], id -> new TreeSet<>());
                for (int i = 1; i < words.length; i++) {
                    statuses.add(words[i]);
                }
            }
        }
        return claims;
    }

    private ApiClient client(Consumer<HttpRequest.Builder> requestChange) {
        return configured(new ApiClient(), requestChange);
    }

    private ApiClient configured(ApiClient client, Consumer<HttpRequest.Builder> requestChange) {
        if (VERSION != HttpClient.Version.HTTP_2) {
            client.setHttpClientBuilder(HttpClient.newBuilder().version(VERSION));
        }
        client.updateBaseUri(baseUri);
        client.setResponseInterceptor(observed::record);
        client.setReadTimeout(DOES_NOT_HANG);
        client.setRequestInterceptor(requestChange);
        return client;
    }

    TiersApi tiers() {
        return tiers(request -> { });
    }

    TiersApi tiers(Consumer<HttpRequest.Builder> requestChange) {
        return new TiersApi(client(requestChange));
    }

    /**
     * The generated client's TiersApi as a client that names no Accept sends its requests (typescript-fetch
     * does not set one): the same generated code, on an HTTP client that drops the Accept header the Java
     * generator always adds. The requests are checked to leave without it.
     */
    TiersApi tiersWithoutAccept() {
        ApiClient client = new ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return new WithoutAccept(super.getHttpClient());
            }
        };
        configured(client, request -> { }).setResponseInterceptor(response -> {
            assertEquals(Optional.empty(), response.request().headers().firstValue("Accept"));
            observed.record(response);
        });
        return new TiersApi(client);
    }

    TokensApi tokens() {
        return tokens(request -> { });
    }

    TokensApi tokens(Consumer<HttpRequest.Builder> requestChange) {
        return new TokensApi(client(requestChange));
    }

    ApiKeysApi apiKeys() {
        return apiKeys(request -> { });
    }

    ApiKeysApi apiKeys(Consumer<HttpRequest.Builder> requestChange) {
        return new ApiKeysApi(client(requestChange));
    }

    ModelsApi models() {
        return models(request -> { });
    }

    ModelsApi models(Consumer<HttpRequest.Builder> requestChange) {
        return new ModelsApi(client(requestChange));
    }

    UsageApi usage() {
        return usage(request -> { });
    }

    UsageApi usage(Consumer<HttpRequest.Builder> requestChange) {
        return new UsageApi(client(requestChange));
    }

    AdminApi admin() {
        return admin(request -> { });
    }

    AdminApi admin(Consumer<HttpRequest.Builder> requestChange) {
        return new AdminApi(client(requestChange));
    }

    AccessApi access() {
        return access(request -> { });
    }

    AccessApi access(Consumer<HttpRequest.Builder> requestChange) {
        return new AccessApi(client(requestChange));
    }

    /** A request the generated client cannot make (it always asks for JSON first), on its HTTP client. */
    HttpResponse<String> rawGet(String path, String accept) throws Exception {
        return rawGet(path, accept, Map.of());
    }

    /** {@link #rawGet(String, String)} with more headers (a {@link #bearer}). */
    HttpResponse<String> rawGet(String path, String accept, Map<String, String> headers) throws Exception {
        ApiClient client = client(request -> { });
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.getBaseUri() + path))
                .header("Accept", accept).GET();
        headers.forEach(request::header);
        HttpResponse<String> response = client.getHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        observed.record(response);
        return response;
    }

    static Consumer<HttpRequest.Builder> accept(String type) {
        return request -> request.setHeader("Accept", type);
    }

    static Consumer<HttpRequest.Builder> contentType(String type) {
        return request -> request.setHeader("Content-Type", type);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** The typed error body of a failed call. */
    ApiException assertError(int status, String code, Call call) throws Exception {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(status, e.getCode(), e.getResponseBody());
        MaasError error = json.readValue(e.getResponseBody(), MaasError.class);
        assertEquals(code, error.getError());
        assertFalse(error.getMessage().isBlank());
        return e;
    }

    void assertUnavailable(Call call) throws Exception {
        ApiException e = assertError(503, "unavailable", call);
        assertTrue(Integer.parseInt(e.getResponseHeaders().firstValue("Retry-After").orElseThrow()) > 0);
    }

    /** 429 with Retry-After: the caller's own share of the Kubernetes work is full. */
    void assertTooManyRequests(Call call) throws Exception {
        ApiException e = assertError(429, "too_many_requests", call);
        assertTrue(Integer.parseInt(e.getResponseHeaders().firstValue("Retry-After").orElseThrow()) > 0);
    }

    /** The status of a call: 2xx as 204, an error as its code. */
    static int status(Call call) throws Exception {
        try {
            call.run();
            return 204;
        } catch (ApiException e) {
            return e.getCode();
        }
    }

    /** An HttpClient that sends every request without its Accept header. */
    private static final class WithoutAccept extends HttpClient {
        private final HttpClient client;

        WithoutAccept(HttpClient client) {
            this.client = client;
        }

        private static HttpRequest withoutAccept(HttpRequest request) {
            return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Accept")).build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return client.send(withoutAccept(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return client.sendAsync(withoutAccept(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> pushes) {
            return client.sendAsync(withoutAccept(request), handler, pushes);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return client.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return client.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return client.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return client.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return client.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return client.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return client.authenticator();
        }

        @Override
        public Version version() {
            return client.version();
        }

        @Override
        public Optional<Executor> executor() {
            return client.executor();
        }
    }

}
