package org.maas.api.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every body the limits allow (maas.http.max-body-size 64K, max-groups 256, max-group-length 1024) is
 * read and answered, whether it comes with a Content-Length or chunked, over HTTP/1.1 and HTTP/2.
 */
@QuarkusTest
class TierLookupLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 65_536;

    @TestHTTPResource("/v1/tiers/lookup")
    URI lookup;

    static Stream<Arguments> bodies() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean chunked : new boolean[] {false, true}) {
            for (HttpClient.Version version : HttpClient.Version.values()) {
                cases.add(Arguments.of("250 LDAP DNs", body(ldapGroups(250)), chunked, version));
                cases.add(Arguments.of("256 groups, just under 64K", body(groups(256, 250)), chunked, version));
                cases.add(Arguments.of("63 groups of 1024 characters", body(groups(63, 1024)), chunked, version));
                cases.add(Arguments.of("just over the 10K input buffer", body(groups(10, 1024)), chunked, version));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, chunked {2}, {3}")
    @MethodSource("bodies")
    void answersEveryBodyWithinTheLimits(String name, String body, boolean chunked, HttpClient.Version version)
            throws Exception {
        assertTrue(body.length() <= LIMIT, name + ": " + body.length());
        HttpResponse<String> response = send(body, chunked, version);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("premium", JSON.readTree(response.body()).path("tier").asText());
    }

    static Stream<Arguments> transports() {
        return Stream.of(HttpClient.Version.values()).flatMap(v -> Stream.of(Arguments.of(false, v), Arguments.of(true, v)));
    }

    @ParameterizedTest(name = "chunked {0}, {1}")
    @MethodSource("transports")
    void aBodyOneByteOverTheLimitIsTheJson413(boolean chunked, HttpClient.Version version) throws Exception {
        String body = body(groups(256, 250));
        body = body.substring(0, body.length() - 1) + " ".repeat(LIMIT - body.length() + 1) + "}";
        assertEquals(LIMIT + 1, body.length());
        HttpResponse<String> response = send(body, chunked, version);
        assertEquals(413, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("payload_too_large", error.path("error").asText());
        assertEquals("the request body is over 65536 bytes", error.path("message").asText());
    }

    private HttpResponse<String> send(String body, boolean chunked, HttpClient.Version version) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        BodyPublisher publisher = chunked ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                : BodyPublishers.ofByteArray(bytes);
        HttpClient client = HttpClient.newBuilder().version(version).build();
        return client.send(HttpRequest.newBuilder(lookup).header("Content-Type", "application/json").POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** premium-users last, after the others: the whole body must have been read to find it. */
    private static String body(List<String> groups) {
        List<String> all = new ArrayList<>(groups.subList(0, groups.size() - 1));
        all.add("premium-users");
        try {
            return JSON.writeValueAsString(java.util.Map.of("groups", all));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> groups(int count, int length) {
        return IntStream.range(0, count).mapToObj(i -> String.format("g%0" + (length - 1) + "d", i)).toList();
    }

    private static List<String> ldapGroups(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "cn=team-" + i + ",ou=groups,dc=corp,dc=example,dc=com").toList();
    }
}
