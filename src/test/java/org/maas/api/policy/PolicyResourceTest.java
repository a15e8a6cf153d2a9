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
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class PolicyResourceTest {

    private static final YAMLMapper YAML = new YAMLMapper();

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

    @Test
    void answersWithoutAnAcceptHeader() {
        given().when().get("/v1/tiers/policies")
                .then().statusCode(200).contentType(startsWith("application/yaml"))
                .body(containsString("kind: TokenRateLimitPolicy"));
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

    /** The first type named decides when both are accepted equally; a wildcard stays YAML for kubectl. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json, application/yaml | application/json",
            "application/yaml, application/json | application/yaml",
            "application/json;q=0.5, application/yaml | application/yaml",
            "text/plain, application/json | application/json",
            "*/* | application/yaml",
            "application/* | application/yaml",
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
