package org.maas.api.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.maas.api.cache.RefreshAheadCache;
import org.maas.api.config.MaasConfig;

/**
 * Reads Limitador's HTTP API ({@code GET /counters/{namespace}}), one model route at a time.
 *
 * <p>The JDK HttpClient, no REST client: one GET and a JSON array, with a per-request timeout. Answers are
 * cached per route for {@code maas.usage.cache-ttl} (all users' counters of the route: one read serves every
 * caller polling it) in a {@link RefreshAheadCache}: concurrent requests for a route share one read, a route
 * read in the second half of its TTL is read again in the background, and a background read that fails leaves
 * the old counters to expire on schedule (an answer never holds counters older than the TTL). Reads run on a pool of
 * {@code maas.usage.max-concurrent-requests} threads for the whole replica, so a caller who sees a hundred
 * models never sends a hundred requests to Limitador at once. A failed read is not cached.
 */
@ApplicationScoped
public class LimitadorClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration timeout;
    private final ExecutorService reads;
    private final HttpClient http;
    private final RefreshAheadCache<String, RouteCounters> cache;
    private final MeterRegistry registry;

    LimitadorClient(MaasConfig config, MeterRegistry registry) {
        this.baseUrl = config.usage().limitadorUrl().replaceAll("/+$", "");
        this.timeout = config.usage().limitadorTimeout();
        this.registry = registry;
        AtomicInteger threads = new AtomicInteger();
        this.reads = Executors.newFixedThreadPool(config.usage().maxConcurrentRequests(), task -> {
            Thread thread = new Thread(task, "maas-limitador-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // its own executor: the reads pool blocks in send(), which needs other threads to complete
        this.http = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Duration ttl = config.usage().cacheTtl();
        this.cache = new RefreshAheadCache<>(ttl, config.usage().cacheMaxEntries(), reads, counters -> true,
                route -> CompletableFuture.supplyAsync(() -> read(route), reads));
    }

    /** Where Limitador's HTTP API is (maas.usage.limitador-url). */
    public String url() {
        return baseUrl;
    }

    /** How long one read may take; a request waits no longer for all of its reads. */
    Duration timeout() {
        return timeout;
    }

    /** The live counters of a route ({@code <namespace>/<name>}), from the cache or one read. */
    CompletableFuture<RouteCounters> counters(String route) {
        return cache.get(route);
    }

    private RouteCounters read(String route) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            JsonNode body = get("counters", route);
            List<LimitadorCounter> counters = new ArrayList<>(body.size());
            body.forEach(counter -> counters.add(LimitadorCounter.of(counter)));
            outcome = "ok";
            return new RouteCounters(Instant.now(), counters);
        } catch (LimitadorException e) {
            outcome = e.outcome;
            throw e;
        } finally {
            Timer.builder("maas_limitador_request_duration")
                    .description("Limitador HTTP reads (GET /counters/{namespace}) made for GET /v1/usage, by outcome")
                    .tag("outcome", outcome).register(registry).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The names of the limits Limitador holds for a route ({@code GET /limits/{namespace}}): what the Kuadrant
     * operator wrote from the policies in effect. Read now, on the caller's thread, not cached (the doctor's).
     *
     * @throws LimitadorException or {@link UncheckedIOException} when Limitador gives no such list
     */
    public Set<String> limitNames(String route) {
        Set<String> names = new TreeSet<>();
        get("limits", route).forEach(limit -> names.add(limit.path("name").asText()));
        return names;
    }

    /** {@code GET /<what>/<route>}: a JSON array, or an exception that says why not. */
    private JsonNode get(String what, String route) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + what + "/"
                        + URLEncoder.encode(route, StandardCharsets.UTF_8)))
                .timeout(timeout).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new LimitadorException("Limitador answered HTTP " + response.statusCode() + " for " + route,
                        "http_" + response.statusCode() / 100 + "xx");
            }
            JsonNode body = JSON.readTree(response.body());
            if (!body.isArray()) {
                throw new LimitadorException("Limitador's " + what + " of " + route + " are not a JSON array", "bad_answer");
            }
            return body;
        } catch (java.net.http.HttpTimeoutException e) {
            throw new LimitadorException("Limitador did not answer within " + timeout + " (maas.usage.limitador-timeout)"
                    + " for " + route, "timeout");
        } catch (IOException e) {
            throw new UncheckedIOException("Limitador could not be read for " + route + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LimitadorException("interrupted reading " + route, "error");
        }
    }

    @PreDestroy
    void close() {
        reads.shutdownNow();
    }

    /** A read that gave no counters; the route is reported as missing (partial), never as unused. */
    public static final class LimitadorException extends RuntimeException {
        /** The read's outcome tag in maas_limitador_request_duration. */
        private final String outcome;

        LimitadorException(String message, String outcome) {
            super(message, null, false, false);
            this.outcome = outcome;
        }
    }
}
