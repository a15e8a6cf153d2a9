package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed request gets a 4xx JSON error object: never a 5xx, never a tier. */
@QuarkusTest
class TierLookupBadInputTest {

    private static final String JSON = "application/json";

    static Stream<Arguments> badBodies() {
        String many = "\"g\",".repeat(256) + "\"g\"";
        return Stream.of(
                bad("empty body", JSON, "", 400, "the body must be a JSON object"),
                bad("whitespace", JSON, "  \n ", 400, "the body must be a JSON object"),
                bad("null", JSON, "null", 400, "the body must be a JSON object"),
                bad("empty object", JSON, "{}", 400, "the body must be a JSON object"),
                bad("groups null", JSON, "{\"groups\": null}", 400, "the body must be a JSON object"),
                bad("groups empty", JSON, "{\"groups\": []}", 400, "groups must not be empty"),
                bad("groups string", JSON, "{\"groups\": \"premium-users\"}", 400, "groups has the wrong type: expected a list"),
                bad("groups number", JSON, "{\"groups\": 5}", 400, "groups has the wrong type: expected a list"),
                bad("groups object", JSON, "{\"groups\": {\"a\": 1}}", 400, "groups has the wrong type: expected a list"),
                bad("groups true", JSON, "{\"groups\": true}", 400, "groups has the wrong type: expected a list"),
                bad("number element", JSON, "{\"groups\": [\"a\", 5]}", 400, "groups[1] has the wrong type: expected a string"),
                bad("float element", JSON, "{\"groups\": [1.5]}", 400, "groups[0] has the wrong type: expected a string"),
                bad("boolean element", JSON, "{\"groups\": [false]}", 400, "groups[0] has the wrong type: expected a string"),
                bad("object element", JSON, "{\"groups\": [{}]}", 400, "groups[0] has the wrong type: expected a string"),
                bad("nested list", JSON, "{\"groups\": [[\"a\"]]}", 400, "groups[0] has the wrong type: expected a string"),
                bad("null element", JSON, "{\"groups\": [\"a\", null]}", 400, "groups[1] must be a non-empty string"),
                bad("empty element", JSON, "{\"groups\": [\"\"]}", 400, "groups[0] must be a non-empty string"),
                bad("too long element", JSON, "{\"groups\": [\"" + "x".repeat(1025) + "\"]}", 400, "groups[0] is too long"),
                bad("too many groups", JSON, "{\"groups\": [" + many + "]}", 400, "too many groups: 257, at most 256"),
                bad("unknown field", JSON, "{\"groups\": [\"a\"], \"user\": \"x\"}", 400, "unknown field 'user'"),
                bad("duplicate key", JSON, "{\"groups\": [\"a\"], \"groups\": [\"premium-users\"]}", 400, "Duplicate field 'groups'"),
                bad("top-level array", JSON, "[\"premium-users\"]", 400, "the body has the wrong type"),
                bad("top-level string", JSON, "\"premium-users\"", 400, "the body has the wrong type"),
                bad("top-level number", JSON, "42", 400, "the body has the wrong type"),
                bad("truncated", JSON, "{\"groups\": [\"a\"", 400, "not valid JSON"),
                bad("trailing garbage", JSON, "{\"groups\": [\"a\"]} {}", 400, "not valid JSON"),
                bad("single quotes", JSON, "{'groups': ['a']}", 400, "not valid JSON"),
                bad("comment", JSON, "{\"groups\": [\"a\"] /* x */}", 400, "not valid JSON"),
                bad("bare word", JSON, "groups", 400, "not valid JSON"),
                bad("invalid utf-8", JSON, new String(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}, StandardCharsets.ISO_8859_1), 400, "not valid UTF-8"),
                // refused at the first '[' (not an object), before any nesting limit is reached
                bad("deep nesting", JSON, "[".repeat(2000) + "]".repeat(2000), 400,
                        "the body has the wrong type: expected a JSON object"),
                bad("form encoded", "application/x-www-form-urlencoded", "groups=premium-users", 415, "Content-Type: application/json"),
                bad("plain text", "text/plain", "{\"groups\": [\"a\"]}", 415, "Content-Type: application/json"),
                bad("problem json", "application/problem+json", "{\"groups\": [\"a\"]}", 415, "Content-Type: application/json"),
                bad("xml", "application/xml", "<groups/>", 415, "Content-Type: application/json"),
                bad("over the size limit", JSON, "{\"groups\": [\"" + "x".repeat(70_000) + "\"]}", 413, "over 65536 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void answersA4xxErrorObject(String name, String contentType, String body, int status, String message) {
        RequestSpecification request = given().contentType(contentType + "; charset=ISO-8859-1");
        if (contentType.equals(JSON)) {
            request = given().header("Content-Type", JSON).body(body.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            request = request.body(body);
        }
        request.post("/v1/tiers/lookup").then()
                .statusCode(status)
                .contentType(startsWith("application/json"))
                .body("error", not(emptyOrNullString()))
                .body("message", org.hamcrest.Matchers.containsString(message))
                .body("tier", equalTo(null));
    }

    /**
     * The requests Authorino does not send (here: an Accept list) go to the REST layer instead of the route: the same
     * body gets the same status, error and message from both, and a JSON media type.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonBodies")
    void theRestLayerAnswersLikeTheRoute(String name, String contentType, String body, int status, String message) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        Response route = given().header("Content-Type", JSON).body(bytes).post("/v1/tiers/lookup");
        Response rest = given().header("Content-Type", JSON).accept("application/json, text/plain").body(bytes)
                .post("/v1/tiers/lookup");
        rest.then().statusCode(status).contentType(startsWith("application/json"))
                .body(status == 200 ? "displayName" : "message", org.hamcrest.Matchers.containsString(message));
        assertEquals(route.statusCode(), rest.statusCode(), "status");
        assertEquals(route.jsonPath().getMap(""), rest.jsonPath().getMap(""), "the error object");
        assertEquals(route.contentType(), rest.contentType(), "Content-Type");
    }

    /** The rows sent as application/json: the only type the route takes (the others are the REST layer's already). */
    static Stream<Arguments> jsonBodies() {
        return Stream.concat(badBodies(), answeredBodies()).filter(row -> JSON.equals(row.get()[1]));
    }

    static Stream<Arguments> answeredBodies() {
        return Stream.of(
                bad("a tier", JSON, "{\"groups\": [\"premium-users\"]}", 200, "Premium Tier"),
                bad("no tier", JSON, "{\"groups\": [\"stranger\"]}", 404, "no tier for groups"));
    }

    private static Arguments bad(String name, String contentType, String body, int status, String message) {
        return Arguments.of(name, contentType, body, status, message);
    }
}
