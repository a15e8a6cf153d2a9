package org.maas.api.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig;
import org.maas.api.openapi.OpenApiDocument.Operation;

/**
 * The document the generated client was made from is the one the running app serves, and every
 * operation follows the conventions of docs/api-conventions.md (so a new endpoint that skips one fails here).
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final OpenApiDocument DOCUMENT = OpenApiDocument.stored();

    @Inject
    MaasConfig config;

    @Test
    void theServedDocumentIsTheOneTheBuildStoredAndTheClientWasGeneratedFrom() throws Exception {
        JsonNode servedYaml = new YAMLMapper().readTree(given().get("/q/openapi").then().statusCode(200)
                .extract().asString());
        JsonNode servedJson = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        assertEquals(DOCUMENT.root(), servedYaml);
        assertEquals(DOCUMENT.root(), servedJson);
    }

    @Test
    void everyOperationHasAStableLowerCamelCaseOperationIdASummaryAndATag() {
        Set<String> ids = new HashSet<>();
        for (Operation op : DOCUMENT.operations()) {
            assertTrue(op.id() != null && op.id().matches("[a-z][a-zA-Z0-9]*"), op + ": operationId");
            assertTrue(ids.add(op.id()), op + ": operationId used twice");
            assertTrue(op.node().hasNonNull("summary"), op + ": summary");
            assertEquals(1, op.node().path("tags").size(), op + ": one tag (the generated API class)");
        }
    }

    @Test
    void everyOperationSaysWhetherItNeedsTheBearerToken() {
        for (Operation op : DOCUMENT.operations()) {
            JsonNode security = op.node().get("security");
            assertTrue(security != null && security.isArray(), op + ": declare security, [] when public");
            boolean bearer = security.toString().contains("\"clusterToken\"");
            assertTrue(bearer || isPublic(security), op + ": security is clusterToken or []");
            if (bearer) {
                assertEquals("WWW-Authenticate", header(op, "401"), op + ": 401 with WWW-Authenticate");
            }
        }
        JsonNode scheme = DOCUMENT.root().at("/components/securitySchemes/clusterToken");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
    }

    @Test
    void everyErrorIsAMaasErrorAndTheStatusesEveryOperationCanGetAreDeclared() {
        for (Operation op : DOCUMENT.operations()) {
            List<String> statuses = op.statuses();
            assertTrue(statuses.contains("406"), op + ": every operation negotiates Accept, so 406");
            if (op.node().has("requestBody")) {
                assertTrue(statuses.containsAll(List.of("400", "413", "415")), op + ": a body means 400, 413, 415");
            }
            for (String status : statuses) {
                JsonNode response = op.response(status);
                assertTrue(response.hasNonNull("description"), op + " " + status + ": description");
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertEquals("#/components/schemas/MaasError",
                            response.at("/content/application~1json/schema/$ref").asText(), op + " " + status);
                    assertEquals(1, response.path("content").size(), op + " " + status + ": JSON only");
                }
                if (status.equals("503")) {
                    assertEquals("Retry-After", header(op, "503"), op + ": 503 with Retry-After");
                }
            }
        }
    }

    @Test
    void requestBodiesRejectUnknownFieldsAndEveryResponseFieldThatIsAlwaysThereIsRequired() {
        List<String> problems = new ArrayList<>();
        for (Operation op : DOCUMENT.operations()) {
            JsonNode body = OpenApiDocument.resolve(DOCUMENT.root(),
                    op.node().at("/requestBody/content/application~1json/schema"));
            if (!body.isMissingNode() && !body.path("additionalProperties").isBoolean()) {
                problems.add(op + ": request body without additionalProperties: false");
            }
            for (String status : op.statuses()) {
                JsonNode schema = OpenApiDocument.resolve(DOCUMENT.root(),
                        op.response(status).at("/content/application~1json/schema"));
                if (schema.path("type").asText().equals("array")) {
                    schema = OpenApiDocument.resolve(DOCUMENT.root(), schema.path("items"));
                }
                if (schema.path("type").asText().equals("object") && schema.path("required").isEmpty()) {
                    problems.add(op + " " + status + ": response schema marks no field required");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theDocumentedInputBoundsAreTheConfiguredOnes() {
        JsonNode groups = DOCUMENT.schema("GroupNames");
        assertEquals(1, groups.path("minItems").asInt());
        assertEquals(config.tiers().maxGroups(), groups.path("maxItems").asInt());
        assertEquals(1, groups.at("/items/minLength").asInt());
        assertEquals(config.tiers().maxGroupLength(), groups.at("/items/maxLength").asInt());

        // A plain string (docs/api-conventions.md): its description states the configured bounds.
        JsonNode expiration = DOCUMENT.schema("Expiration");
        assertEquals("string", expiration.path("type").asText());
        assertTrue(expiration.path("description").asText().contains("default " + text(config.tokens().minExpiration())
                + " and " + text(config.tokens().maxExpiration())), expiration.toString());

        JsonNode keyExpiration = DOCUMENT.schema("ApiKeyExpiration");
        assertEquals("string", keyExpiration.path("type").asText());
        assertTrue(keyExpiration.path("description").asText().contains("default "
                + text(config.apiKeys().minExpiration()) + " and " + text(config.apiKeys().maxExpiration())),
                keyExpiration.toString());
    }

    /** 10m, 720h: how the bounds are written, here whole hours or whole minutes. */
    private static String text(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + "h" : duration.toMinutes() + "m";
    }

    /**
     * Generators wrap every alternative of a oneOf in a class of its own (Python needs
     * {@code Expiration("1h")}, not {@code "1h"}): a value a client sends is one plain type.
     */
    @Test
    void noSchemaIsAOneOfOfPlainValues() {
        Set<String> plain = Set.of("string", "integer", "number", "boolean", "null");
        List<String> problems = new ArrayList<>();
        DOCUMENT.root().path("components").path("schemas").fields().forEachRemaining(schema -> {
            JsonNode oneOf = schema.getValue().path("oneOf");
            boolean allPlain = oneOf.size() > 1;
            for (JsonNode alternative : oneOf) {
                allPlain &= plain.contains(alternative.path("type").asText());
            }
            if (allPlain) {
                problems.add(schema.getKey() + " is a oneOf of " + oneOf.findValuesAsText("type"));
            }
        });
        assertEquals(List.of(), problems);
    }

    private static boolean isPublic(JsonNode security) {
        return security.isEmpty();
    }

    private static String header(Operation op, String status) {
        List<String> names = new ArrayList<>();
        op.response(status).path("headers").fieldNames().forEachRemaining(names::add);
        return String.join(",", names);
    }
}
