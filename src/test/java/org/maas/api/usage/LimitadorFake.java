package org.maas.api.usage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Limitador's HTTP API on loopback, as Kuadrant 1.5 runs it: {@code GET /limits/{namespace}} and
 * {@code GET /counters/{namespace}}, the namespace percent-encoded ({@code <route namespace>%2F<route name>}),
 * an unknown namespace answering an empty list. A counter exists only once its limit was hit in the window;
 * {@code remaining} is written as Limitador writes an unsigned 64-bit number, so it can be a wrapped one.
 * A namespace can also be made to answer 500 or to answer late. Points maas.usage.limitador-url at itself.
 */
public class LimitadorFake implements QuarkusTestResourceLifecycleManager {

    /** One live counter of a user on a limit. {@code remaining} as raw JSON, e.g. a wrapped "18446744073709551366". */
    public record Counter(String limit, long max, long seconds, String userid, String remaining, long expiresIn) {
    }

    private record Namespace(List<Counter> counters, int status, long delayMillis) {
    }

    private static final Map<String, Namespace> NAMESPACES = new ConcurrentHashMap<>();
    /** Raw request paths, to check the namespace's '/' arrives percent-encoded. */
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    private HttpServer server;
    private ExecutorService threads;

    public static void counters(String namespace, Counter... counters) {
        NAMESPACES.put(namespace, new Namespace(List.of(counters), 200, 0));
    }

    public static void failing(String namespace) {
        NAMESPACES.put(namespace, new Namespace(List.of(), 500, 0));
    }

    public static void slow(String namespace, long delayMillis) {
        NAMESPACES.put(namespace, new Namespace(List.of(), 200, delayMillis));
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        threads = Executors.newCachedThreadPool(); // a slow answer must not hold up the others
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        return Map.of("maas.usage.limitador-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath();
        REQUESTS.add(raw);
        String[] parts = raw.split("/", 3);
        if (!"GET".equals(exchange.getRequestMethod()) || parts.length != 3
                || !(parts[1].equals("counters") || parts[1].equals("limits"))) {
            answer(exchange, 404, "{\"error\":\"not found\"}");
            return;
        }
        String namespace = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
        Namespace facts = NAMESPACES.getOrDefault(namespace, new Namespace(List.of(), 200, 0));
        if (facts.delayMillis() > 0) {
            try { // the fake's slow answer (a Limitador that does not answer in time), on its own thread
                Thread.sleep(facts.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (facts.status() != 200) {
            answer(exchange, facts.status(), "Internal Server Error");
            return;
        }
        String body = parts[1].equals("counters")
                ? facts.counters().stream().map(c -> counterJson(namespace, c)).collect(Collectors.joining(",", "[", "]"))
                : facts.counters().stream().map(c -> limitJson(namespace, c)).distinct().collect(Collectors.joining(",", "[", "]"));
        answer(exchange, 200, body);
    }

    private static String limitJson(String namespace, Counter c) {
        return """
                {"namespace":"%s","max_value":%d,"seconds":%d,"name":"%s",\
                "conditions":["descriptors[0][\\"auth.identity.tier\\"] == \\"premium\\""],\
                "variables":["descriptors[0][\\"auth.identity.userid\\"]"]}""".formatted(namespace, c.max(), c.seconds(), c.limit());
    }

    private static String counterJson(String namespace, Counter c) {
        return """
                {"limit":%s,"set_variables":{"descriptors[0][\\"auth.identity.userid\\"]":"%s"},\
                "remaining":%s,"expires_in_seconds":%d}""".formatted(limitJson(namespace, c), c.userid(), c.remaining(),
                c.expiresIn());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
