package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lookup against the bundled default tiers (the test profile's file source). */
@QuarkusTest
class TierLookupResourceTest {

    /** The file source serves its tiers from the start, no reload needed (formerly FileTierSourceStartTest's boot). */
    @Test
    void theFileSourceServesItsTiersFromTheStart() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.data.origin", equalTo("bundled default-tiers.yaml"))
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("applied"));
        lookup("{\"groups\": [\"premium-users\"]}").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    void resolvesTheHighestTierOfTheUsersGroups() {
        lookup("{\"groups\": [\"system:authenticated\", \"premium-users\"]}")
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("tier", equalTo("premium"))
                .body("displayName", equalTo("Premium Tier"));
        lookup("{\"groups\": [\"admin-group\", \"premium-users\", \"system:authenticated\"]}")
                .statusCode(200).body("tier", equalTo("enterprise"));
    }

    @Test
    void mintedTokensResolveThroughTheirNamespaceGroup() {
        lookup("{\"groups\": [\"system:serviceaccounts\", "
                + "\"system:serviceaccounts:maas-default-gateway-tier-enterprise\", \"system:authenticated\"]}")
                .statusCode(200).body("tier", equalTo("enterprise"));
    }

    @Test
    void unknownGroupsGetA404ErrorObjectWithoutTier() {
        lookup("{\"groups\": [\"nobody\"]}")
                .statusCode(404)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("not_found"))
                .body("message", equalTo("no tier for groups [nobody]"))
                .body("tier", equalTo(null));
    }

    @Test
    void listsTheTiersHighestFirstWithoutGroups() {
        given().get("/v1/tiers").then()
                .statusCode(200)
                .body("name", contains("enterprise", "premium", "free"))
                .body("displayName", contains("Enterprise Tier", "Premium Tier", "Free Tier"))
                .body("level", contains(2, 1, 0))
                .body("[0].groups", equalTo(null));
    }

    @Test
    void readinessShowsTheServedConfig() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'tier-config' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'tier-config' }.data.tiers", equalTo("free,premium,enterprise"))
                .body("checks.find { it.name == 'tier-config' }.data.origin", equalTo("bundled default-tiers.yaml"));
    }

    @Test
    void countsLookupsByTierAndOutcome() {
        lookup("{\"groups\": [\"enterprise-users\"]}").statusCode(200);
        lookup("{\"groups\": [\"stranger\"]}").statusCode(404);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("maas_tier_lookups_total{outcome=\"matched\",tier=\"enterprise\"}"))
                .body(containsString("maas_tier_lookups_total{outcome=\"not_found\",tier=\"none\"}"))
                .body(containsString("maas_tier_config_version 1.0"))
                .body(containsString("maas_tier_config_reloads_total{result=\"applied\"} 1.0"));
    }

    @Test
    void timesEachLookupByStatusWhicheverLayerAnswers() {
        String before = metrics();
        lookup("{\"groups\": [\"enterprise-users\"]}").statusCode(200);
        // an Accept list: the route leaves it to the REST layer, and the lookup is timed all the same
        given().contentType(ContentType.JSON).accept("application/json, text/plain")
                .body("{\"groups\": [\"premium-users\"]}").post("/v1/tiers/lookup").then().statusCode(200);
        lookup("{\"groups\": [\"stranger\"]}").statusCode(404);
        String after = metrics();
        assertEquals(2.0, count(after, "200") - count(before, "200"), "two answered 200");
        assertEquals(1.0, count(after, "404") - count(before, "404"), "one answered 404");
        assertFalse(after.contains("uri=\"/v1/tiers/lookup\""), "Quarkus' per-path timer leaves the lookup out");
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** maas_tier_lookup_seconds_count for this status, 0 before the first such answer. */
    private static double count(String metrics, String status) {
        Matcher matcher = Pattern.compile("(?m)^maas_tier_lookup_seconds_count\\{status=\"" + status + "\"} ([0-9.E]+)$")
                .matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void theOpenApiDocumentDescribesTheLookupWithExamples() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.'/v1/tiers/lookup'.post.requestBody.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/TierLookupRequest"))
                .body("paths.'/v1/tiers/lookup'.post.responses.'200'.content.'application/json'.examples.premium.value.tier",
                        equalTo("premium"))
                .body("paths.'/v1/tiers/lookup'.post.responses.'404'.content.'application/json'.schema.$ref",
                        equalTo("#/components/schemas/MaasError"))
                .body("paths.'/bench/constant'", equalTo(null));
    }

    @Test
    void theBenchmarkBaselineIsOffByDefault() {
        given().contentType(ContentType.JSON).body("{\"groups\": [\"a\"]}").post("/bench/constant").then()
                .statusCode(404).body("error", equalTo("not_found"));
    }

    private static io.restassured.response.ValidatableResponse lookup(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/tiers/lookup").then();
    }
}
