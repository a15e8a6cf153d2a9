package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PolicyResourceWithoutConfigTest.NoTierFile.class)
class PolicyResourceWithoutConfigTest {

    public static class NoTierFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tiers.source", "file", "maas.tiers.file", "target/no-such-tier-file.yaml");
        }
    }

    @Test
    void withoutAValidConfigAnswers503InTheJsonErrorShape() {
        given().accept("application/yaml")
                .when().get("/v1/tiers/policies")
                .then().statusCode(503)
                .contentType("application/json")
                .header("Retry-After", notNullValue())
                .body("error", equalTo("unavailable"))
                .body("message", equalTo("no valid tier config has been loaded yet"));
    }
}
