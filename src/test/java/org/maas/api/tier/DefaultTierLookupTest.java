package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With maas.tiers.default-tier set, users in no tier get that tier instead of a 404. */
@QuarkusTest
@TestProfile(DefaultTierLookupTest.FreeByDefault.class)
class DefaultTierLookupTest {

    public static class FreeByDefault implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.default-tier", "free");
        }
    }

    @Test
    void unknownGroupsGetTheDefaultTier() {
        given().contentType(ContentType.JSON).body("{\"groups\": [\"stranger\"]}").post("/v1/tiers/lookup").then()
                .statusCode(200).body("tier", equalTo("free")).body("displayName", equalTo("Free Tier"));
        given().get("/q/metrics").then()
                .body(containsString("maas_tier_lookups_total{outcome=\"default_tier\",tier=\"free\"}"));
    }

    @Test
    void matchingGroupsStillWin() {
        given().contentType(ContentType.JSON).body("{\"groups\": [\"stranger\", \"premium-users\"]}")
                .post("/v1/tiers/lookup").then().statusCode(200).body("tier", equalTo("premium"));
    }
}
