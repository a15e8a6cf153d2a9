package org.maas.api.hostile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 24 below and at the edge of the REST layer, from raw sockets: bytes that are not UTF-8, paths that
 * do not decode, clients that stop sending, junk paths and the metrics they would fill. No Kubernetes: every
 * answer here comes before a request needs one.
 */
@QuarkusTest
@TestProfile(HostileHttpTest.ShortReadTimeouts.class)
class HostileHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Read bounds short enough for a test to wait them out (each stalled-client test waits one). The body's stays
     * under the idle one; a client that sends nothing meets whichever comes first, a trickling one only the body's.
     */
    public static class ShortReadTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.http.body-timeout", "1s", "quarkus.http.idle-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URI root;

    // --- finding 7: strict UTF-8 ----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "/v1/tiers/lookup, {\"groups\":[\"premium, usersX\"]}, C0AD", // overlong soft hyphen
            "/v1/tiers/lookup, {\"groups\":[\"premium, usersX\"]}, C0AF", // overlong '/'
            "/v1/tiers/lookup, {\"groups\":[\"premium, usersX\"]}, EDA080", // an encoded surrogate
            "/v1/tiers/lookup, {\"groups\":[\"premium, usersX\"]}, E282", // truncated
            "/v1/api-keys, {\"name\":\"a, bX\"}, C0AF",
            "/v1/tokens, {\"expiration\":\"1, hX\"}, E080AF"})
    void aBodyThatIsNotUtf8Is400(String path, String before, String after, String hex) throws IOException {
        byte[] body = concat(before.getBytes(StandardCharsets.US_ASCII), hex(hex),
                after.substring(0, after.length() - 1).getBytes(StandardCharsets.US_ASCII));
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Authorization: Bearer not.a.token\r\nContent-Length: " + body.length + "\r\n\r\n";
        Answer answer = raw(concat(head.getBytes(StandardCharsets.US_ASCII), body));
        answer.assertJsonError(400, "bad_request", "not valid UTF-8");
    }

    @Test
    void validUtf8StillReads() throws IOException {
        byte[] body = "{\"groups\":[\"caf\u00e9\"]}".getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/tiers/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        Answer answer = raw(concat(head.getBytes(StandardCharsets.US_ASCII), body));
        assertTrue(answer.status == 200 || answer.status == 404, answer.head);
    }

    // --- finding 10: bad percent-encoding in the JSON shape -------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/v1/api-keys/%C0%AF", "/v1/admin/users/%E2%82/tokens", "/v1/api-keys/%ED%A0%80"})
    void aPathWhosePercentEncodingIsNotUtf8IsAJson400(String path) throws IOException {
        raw(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
                .assertJsonError(400, "bad_request", "does not decode to UTF-8");
    }

    /**
     * The HTTP codec (Netty's request-line validation) refuses these before Vert.x routes them: an empty 400 and
     * the connection closed, like its other refusals (README "Every error ... one shape"). No hook reaches them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/api-keys/%zz", "/v1/api-keys/%", "/v1/api-keys/{id}"})
    void aPathTheCodecCannotReadIsRefusedAndClosed(String path) throws IOException {
        Answer answer = raw(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, answer.status, answer.head);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/admin/users/a%0d%0ab/tokens", "/v1/api-keys/a%00b", "/v1/api-keys/%7f"})
    void anEncodedControlCharacterInAPathIsAJson400(String path) throws IOException {
        raw(("DELETE " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
                .assertJsonError(400, "bad_request", "control characters");
    }

    // --- finding 8: read timeouts ---------------------------------------------------------------------------

    @Test
    void unfinishedHeadersAreClosed() throws IOException {
        assertClosedBySilence("POST /v1/tiers/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: app");
    }

    @Test
    void aChunkedBodyThatNeverComesIsClosed() throws IOException {
        assertClosedBySilence("POST /v1/tiers/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"gro");
    }

    @Test
    void aBodyShorterThanDeclaredIsClosed() throws IOException {
        assertClosedBySilence("POST /v1/tiers/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"groups\":");
    }

    /**
     * A body that keeps coming, a byte whenever the server has said nothing for 300 ms, never goes idle for the idle
     * timeout (2 s): only the body deadline (1 s from the headers) can end it. 100 bytes of 1,000 declared take at
     * least 30 s, far beyond that deadline.
     */
    @Test
    void aBodyTrickledByteByByteIsEndedByTheBodyDeadline() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/tiers/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            for (int sent = 0; sent < 100; sent++) {
                if (closedWithin300ms(in)) {
                    return;
                }
                try {
                    out.write(' '); // JSON's leading whitespace: the body stays valid so far
                    out.flush();
                } catch (SocketException closed) {
                    return; // a write after the server's close
                }
            }
            throw new AssertionError("the server kept reading a trickled body for 100 bytes");
        }
    }

    /** Reads what the server says until it closes (true) or says nothing for 300 ms (false). */
    private static boolean closedWithin300ms(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // whatever the server says before it closes
            }
            return true;
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (SocketException reset) {
            return true; // closed by the server with a reset
        }
    }

    /** Sends {@code partial}, then nothing: the server must close the connection (read sees its end). */
    private void assertClosedBySilence(String partial) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(60_000); // the guard of the test, far beyond the profile's bounds
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the server says before it closes
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server held a stalled client for 60 s", e);
            } catch (SocketException reset) {
                // closed by the server with a reset: closed all the same
            }
        }
    }

    // --- finding 9: bounded metrics -------------------------------------------------------------------------

    /**
     * Junk paths refused before routing (dot segments, undecodable bytes: the raw path was the uri value) and
     * unknown ones (404) share fixed uri values, so they cannot fill the uri tag cap and push real routes out.
     */
    @Test
    void junkPathsShareOneUriAndRealRoutesAreStillMeasured() throws IOException {
        String before = metrics();
        for (int i = 0; i < 100; i++) {
            for (String junk : List.of("/v1/junk-" + i + "/%2e%2e/x", "/v1/junk-" + i + "/%C0%AF", "/v1/junk-" + i)) {
                raw(("GET " + junk + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        given().get("/v1/tiers").then().statusCode(200);
        String after = metrics();
        assertFalse(after.contains("junk-"), "a junk path became a uri value");
        assertEquals(200, count(after, "UNKNOWN") - count(before, "UNKNOWN"), 0.0, "refused before routing");
        assertEquals(100, count(after, "NOT_FOUND") - count(before, "NOT_FOUND"), 0.0, "no route");
        assertTrue(count(after, "/v1/tiers") > count(before, "/v1/tiers"), "the real route is measured");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** http_server_requests_seconds_count summed over the lines with this uri. */
    private static double count(String metrics, String uri) {
        Matcher matcher = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"" + Pattern.quote(uri)
                + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return total;
    }

    // --- raw HTTP -------------------------------------------------------------------------------------------

    private Answer raw(byte[] request) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bytes);
            return Answer.of(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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
            assertTrue(head.toLowerCase().contains("content-type: application/json"), head + "\n" + body);
            JsonNode error = JSON.readTree(body);
            assertEquals(code, error.path("error").asText(), body);
            assertTrue(error.path("message").asText().contains(message), body);
        }
    }
}
