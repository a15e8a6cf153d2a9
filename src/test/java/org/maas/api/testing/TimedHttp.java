package org.maas.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP/1.1 calls with their answer time, for tests that send many requests at once. */
public final class TimedHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer and how long it took from sending the request. */
    public record Answer(int status, String retryAfter, String contentType, String body, Duration took) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String seconds() {
            return String.format("%.2f s", took.toNanos() / 1e9);
        }
    }

    private TimedHttp() {
    }

    /** @param bearer null for no Authorization header; a body of null sends none */
    public static CompletableFuture<Answer> send(URI uri, String method, String bearer, String body, Duration bound) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(bound)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        long start = System.nanoTime();
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> new Answer(
                response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                response.headers().firstValue("Content-Type").orElse(null), response.body(),
                Duration.ofNanos(System.nanoTime() - start)));
    }
}
