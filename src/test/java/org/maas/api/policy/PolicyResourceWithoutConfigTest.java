package org.maas.api.policy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(PolicyResourceWithoutConfigTest.InvalidTierFile.class)
class PolicyResourceWithoutConfigTest {

    /** A tier file that is there (a missing one stops the start) but not valid, so no config ever loads. */
    public static class InvalidTierFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("invalid-tiers", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, "- name: Premium\n  level: high\n");
                return Map.of("maas.tiers.source", "file", "maas.tiers.file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
