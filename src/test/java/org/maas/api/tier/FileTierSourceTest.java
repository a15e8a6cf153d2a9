package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.maas.api.testing.Eventually;

/** The file source, as a local run uses it: edits are served without a restart, bad edits are not. */
@QuarkusTest
@TestProfile(FileTierSourceTest.WatchedFile.class)
@TestMethodOrder(OrderAnnotation.class)
class FileTierSourceTest {

    static final Path FILE = tempFile();
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final String TIERS = "- {name: free, level: 0, groups: [system:authenticated]}\n"
            + "- {name: premium, level: 1, groups: [premium-users]}\n";

    public static class WatchedFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(TIERS);
            return Map.of("maas.tiers.file", FILE.toString(), "maas.tiers.file-poll-interval", "100ms");
        }
    }

    @Test
    @Order(1)
    void servesTheFileAtStart() {
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    @Order(2)
    void anEditIsServedWithoutRestart() {
        write(TIERS.replace("[premium-users]", "[premium-users, gold-users]"));
        Eventually.assertThat(WITHIN, () -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
    }

    @Test
    @Order(3)
    void aBadEditKeepsTheLastGoodConfig() {
        write("- {name: premium, level: 1, groups: [premium-users]}\n- {name: premium, level: 2}\n");
        Eventually.assertThat(WITHIN, () -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems",
                        equalTo("tier[1] (premium): name 'premium' is used by an earlier tier")));
        given().get("/q/health/ready").then().statusCode(200);
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    @Order(4)
    void aRemovedFileKeepsTheLastGoodConfigAndARestoredOneIsServed() throws IOException {
        Files.delete(FILE);
        Eventually.assertThat(WITHIN, () -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed")));
        lookup("gold-users").statusCode(200);
        write(TIERS.replace("[premium-users]", "[silver-users]"));
        Eventually.assertThat(WITHIN, () -> lookup("silver-users").statusCode(200).body("tier", equalTo("premium")));
        lookup("gold-users").statusCode(404);
    }

    /** Replaces the file by rename, as editors and ConfigMap volume updates do. */
    private static void write(String content) {
        try {
            Path next = Files.createTempFile(FILE.getParent(), "tiers", ".tmp");
            Files.writeString(next, content);
            Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempDirectory("maas-tiers").resolve("tiers.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ValidatableResponse lookup(String group) {
        return given().contentType(ContentType.JSON).body("{\"groups\": [\"" + group + "\"]}")
                .post("/v1/tiers/lookup").then();
    }
}
