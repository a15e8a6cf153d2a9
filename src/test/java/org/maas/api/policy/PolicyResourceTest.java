package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void refusesJsonOnlyClientsInTheJsonErrorShape() {
        given().accept("application/json")
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
