package org.maas.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.testing.LogCapture;

/**
 * What is answered before a request reaches a resource, seen from a raw socket: the JSON error shape
 * wherever Vert.x hands the request to the application, paths kept as sent, the management endpoints
 * read-only, and a client that goes away logged quietly.
 */
@QuarkusTest
class BelowRestLayerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Test
    void aRequestWithoutHostIsAJson400AndNoErrorLine() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            Answer answer = raw("GET /v1/tiers HTTP/1.1\r\nConnection: close\r\n\r\n");
            answer.assertJsonError(400, "bad_request", "Host");
            assertEquals(List.of(), errorLines(log));
        }
    }

    /**
     * The HTTP codec refuses these before the router sees them, with Vert.x's own empty answer: Quarkus
     * gives no hook for its invalid-request handler (quarkusio/quarkus#55082). They stay short and close.
     */
    @Test
    void codecErrorsAreAnsweredAndTheConnectionClosed() throws Exception {
        assertEquals(431, raw("GET /v1/tiers HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n").status);
        assertEquals(414, raw("GET /v1/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").status);
        assertEquals(400, raw("GARBAGE\r\n\r\n").status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/%2e%2e/q/metrics", "/v1/%2E%2E/q/health/live", "/v1/tiers/%2e%2e/%2e%2e/q/openapi",
            "/v1/./tiers", "/v1/.%2e/q/metrics", "/v1/tiers/%2e", "/v1/../q/metrics"})
    void dotSegmentsAreRefusedNotResolved(String path) throws Exception {
        raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .assertJsonError(400, "bad_request", "'..'");
    }

    @Test
    void dotsInsideASegmentAreJustCharacters() throws Exception {
        Answer answer = raw("GET /v1/tiers/..me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        // not the traversal refusal (400 naming '..'): the router looked for a resource of that name
        answer.assertJsonError(404, "not_found", "no such resource");
    }

    @ParameterizedTest
    @CsvSource({"POST, /q/health/live", "DELETE, /q/health/live", "POST, /q/metrics", "DELETE, /q/metrics",
            "PUT, /q/health", "POST, /q/health/ready", "PATCH, /q/openapi", "DELETE, /q/swagger-ui"})
    void managementEndpointsOnlyRead(String method, String path) throws Exception {
        Answer answer = raw(method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        answer.assertJsonError(405, "method_not_allowed", "not allowed");
        assertTrue(answer.head.contains(path.startsWith("/q/swagger-ui") ? "Allow: GET, HEAD" : "Allow: GET\r"), answer.head);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi"})
    void managementEndpointsAnswerGetOnly(String path) throws Exception {
        assertEquals(200, raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status);
        Answer head = raw("HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(405, head.status, head.head);
        assertEquals("", head.body, "no body to a HEAD request");
    }

    @Test
    void aClientThatDisconnectsMidBodyIsNoError() throws Exception {
        java.util.logging.Logger mapper = java.util.logging.Logger.getLogger("org.maas.api.error.ErrorMapper");
        java.util.logging.Level level = mapper.getLevel();
        mapper.setLevel(java.util.logging.Level.FINE); // to see when the server has noticed
        try (LogCapture log = LogCapture.start()) {
            for (String path : List.of("/v1/tiers/lookup", "/v1/tokens")) {
                cutOff(path, "Content-Length: 20000", "{\"groups\": [\"a");
                cutOff(path, "Transfer-Encoding: chunked", "4000\r\n" + "x".repeat(12_000));
            }
            // the mint reads its body on a worker thread, which notices the closed connection
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> log.lines().stream()
                    .filter(line -> line.contains("client disconnected")).count() >= 2);
            assertEquals(200, raw("GET /v1/tiers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status);
            assertEquals(List.of(), errorLines(log));
        } finally {
            mapper.setLevel(level);
        }
    }

    /** Sends the headers, waits until the server starts reading the body (100 Continue), sends part of it, leaves. */
    private void cutOff(String path, String framing, String partialBody) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer abc.def.ghi\r\nExpect: 100-continue\r\n" + framing + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String interim = new String(socket.getInputStream().readNBytes(25), StandardCharsets.US_ASCII);
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
            socket.getOutputStream().write(partialBody.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
    }

    private static List<String> errorLines(LogCapture log) {
        return log.lines().stream().filter(line -> !line.contains("client disconnected")) // the DEBUG line
                .filter(line -> line.contains("QuarkusErrorHandler") || line.contains("unexpected error")
                        || line.contains("Exception")).toList();
    }

    /** One request on a fresh connection; the answer is read until the server closes it. */
    private Answer raw(String request) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                in.transferTo(bytes);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open: " + bytes, e);
            }
            return Answer.of(bytes.toString(StandardCharsets.ISO_8859_1));
        }
    }

    record Answer(int status, String head, String body) {

        static Answer of(String text) {
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
        }

        void assertJsonError(int expected, String code, String message) throws IOException {
            assertEquals(expected, status, head + "\n" + body);
            assertTrue(head.toLowerCase().contains("content-type: application/json"), head);
            JsonNode error = JSON.readTree(body);
            assertEquals(code, error.path("error").asText(), body);
            assertTrue(error.path("message").asText().contains(message), body);
        }
    }
}
