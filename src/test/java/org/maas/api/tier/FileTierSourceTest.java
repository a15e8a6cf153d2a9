package org.maas.api.tier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The file source, as a local run uses it: edits are served without a restart, bad edits are not. Each
 * test first serves a file of its own, so the tests run in any order; the file at start:
 * {@link TierLookupResourceTest#theFileSourceServesItsTiersFromTheStart()}.
 */
@QuarkusTest
@TestProfile(FileTierSourceTest.WatchedFile.class)
class FileTierSourceTest {

    static final Path FILE = tempFile();
    /** Generous: only a bound against hanging, the file is polled every 100 ms. */
    static final Duration WITHIN = Duration.ofSeconds(30);
    static final String TIERS = "- {name: free, level: 0, groups: [system:authenticated]}\n"
            + "- {name: premium, level: 1, groups: [premium-users]}\n";

    public static class WatchedFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(FILE, TIERS);
            return Map.of("maas.tiers.file", FILE.toString(), "maas.tiers.file-poll-interval", "1s");
        }
    }

    @Test
    void anEditIsServedWithoutRestart() {
        serve("premium-users");
        lookup("gold-users").statusCode(404);
        write(FILE, TIERS.replace("[premium-users]", "[premium-users, gold-users]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup("gold-users").statusCode(200).body("tier", equalTo("premium")));
    }

    @Test
    void aBadEditKeepsTheLastGoodConfig() {
        serve("premium-users, gold-users");
        write(FILE, "- {name: premium, level: 1, groups: [premium-users]}\n- {name: premium, level: 2}\n");
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChangeProblems",
                        equalTo("tier[1] (premium): name 'premium' is used by an earlier tier")));
        given().get("/q/health/ready").then().statusCode(200);
        lookup("gold-users").statusCode(200).body("tier", equalTo("premium"));
    }

    @Test
    void aRemovedFileKeepsTheLastGoodConfigAndARestoredOneIsServed() throws IOException {
        serve("premium-users, gold-users");
        Files.delete(FILE);
        await().atMost(WITHIN).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'tier-config' }.data.lastChange", equalTo("removed")));
        lookup("gold-users").statusCode(200);
        write(FILE, TIERS.replace("[premium-users]", "[silver-users]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup("silver-users").statusCode(200).body("tier", equalTo("premium")));
        lookup("gold-users").statusCode(404);
    }

    /** Serves premium to these groups and one unique to this call, which shows this file is the one applied. */
    private static void serve(String premiumGroups) {
        String marker = "setup-" + UUID.randomUUID();
        write(FILE, TIERS.replace("[premium-users]", "[" + premiumGroups + ", " + marker + "]"));
        await().atMost(WITHIN).untilAsserted(() -> lookup(marker).statusCode(200).body("tier", equalTo("premium")));
    }

    /** Replaces the file by rename, as editors and ConfigMap volume updates do. */
    static void write(Path file, String content) {
        try {
            Path next = Files.createTempFile(file.getParent(), "tiers", ".tmp");
            Files.writeString(next, content);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempFile() {
        try {
            return Files.createTempDirectory("maas-tiers").resolve("tiers.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ValidatableResponse lookup(String group) {
        return given().contentType(ContentType.JSON).body("{\"groups\": [\"" + group + "\"]}")
                .post("/v1/tiers/lookup").then();
    }
}
