package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class PolicyResourceTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @TestHTTPResource("/v1/tiers/policies")
    URI policies;

    @Test
    void servesWhatTheCommittedFilesHoldForTheDefaultTiersAndSettings() throws Exception {
        String body = given().accept("application/yaml")
                .when().get("/v1/tiers/policies")
                .then().statusCode(200)
                .contentType(startsWith("application/yaml"))
                .body(containsString("# Rendered by maas-api from bundled default-tiers.yaml"))
                .extract().asString();
        List<JsonNode> served = documents(body);
        List<JsonNode> committed = List.of(
                YAML.readTree(Files.readString(Path.of("policies/gateway-rate-limits.yaml"))),
                YAML.readTree(Files.readString(Path.of("policies/gateway-token-rate-limits.yaml"))));
        assertEquals(committed, served);
    }

    /**
     * What a generated client that names no Accept gets (typescript-fetch; RestAssured would add a wildcard,
     * so java.net.http, which sends none): JSON, like a wildcard (the table below).
     */
    @Test
    void answersJsonWithoutAnAcceptHeader() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(policies).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.empty(), response.request().headers().firstValue("Accept"));
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow().split(";")[0]);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertEquals(List.of("RateLimitPolicy", "TokenRateLimitPolicy"),
                List.of(body.path(0).path("kind").asText(), body.path(1).path("kind").asText()));
    }

    @Test
    void servesTheSameObjectsAsAJsonArrayToJsonClients() throws Exception {
        String body = given().accept("application/json")
                .when().get("/v1/tiers/policies")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .extract().asString();
        List<JsonNode> committed = List.of(
                YAML.readTree(Files.readString(Path.of("policies/gateway-rate-limits.yaml"))),
                YAML.readTree(Files.readString(Path.of("policies/gateway-token-rate-limits.yaml"))));
        assertEquals(committed, List.copyOf(new ObjectMapper().readValue(body, new TypeReference<List<JsonNode>>() { })));
    }

    /** YAML only when asked for by name, before JSON; the first type named decides when both are accepted equally. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json, application/yaml | application/json",
            "application/yaml, application/json | application/yaml",
            "application/json;q=0.5, application/yaml | application/yaml",
            "text/plain, application/json | application/json",
            "text/plain, application/yaml | application/yaml",
            "*/* | application/json",
            "application/* | application/json",
            "*/*, application/yaml | application/yaml",
            "application/yaml;q=0.5, */* | application/json",
            "application/yaml;q=0, application/json | application/json"})
    void picksTheMediaTypeByAccept(String accept, String answered) {
        given().accept(accept).when().get("/v1/tiers/policies")
                .then().statusCode(200).contentType(startsWith(answered));
    }

    @Test
    void refusesOtherMediaTypesInTheJsonErrorShape() {
        given().accept("text/plain")
                .when().get("/v1/tiers/policies")
                .then().statusCode(406)
                .contentType("application/json")
                .body("error", equalTo("not_acceptable"));
    }

    static List<JsonNode> documents(String yaml) throws Exception {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return docs.readAll().stream().filter(d -> !d.isNull() && !d.isMissingNode()).toList();
        }
    }
}
