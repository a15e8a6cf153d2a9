package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented spelling of the setting works, and reaches the served policies. */
@QuarkusTest
@TestProfile(PolicyResourceMostRestrictiveTest.MostRestrictive.class)
class PolicyResourceMostRestrictiveTest {

    public static class MostRestrictive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.policies.unmatched", "most-restrictive",
                    "maas.gateway.name", "other-gateway", "maas.gateway.namespace", "other-ns");
        }
    }

    @Test
    void unmatchedRequestsGetTheSmallestLimitsAndTheConfiguredGatewayIsTargeted() throws Exception {
        String body = given().accept("application/yaml").when().get("/v1/tiers/policies").then().statusCode(200)
                .extract().asString();
        List<JsonNode> docs = PolicyResourceTest.documents(body);
        JsonNode requests = docs.get(0);
        assertEquals("other-ns", requests.at("/metadata/namespace").asText());
        assertEquals("other-gateway", requests.at("/spec/targetRef/name").asText());
        assertEquals(5, requests.at("/spec/limits/unmatched-requests-2m/rates/0/limit").asInt());
        assertEquals(100, docs.get(1).at("/spec/limits/unmatched-tokens-1m/rates/0/limit").asInt());
    }
}
