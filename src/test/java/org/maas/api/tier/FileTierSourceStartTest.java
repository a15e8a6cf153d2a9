package org.maas.api.tier;

import static org.hamcrest.Matchers.equalTo;
import static org.maas.api.tier.FileTierSourceTest.lookup;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The file source serves its file from the start; a service (profile) of its own, whose file nothing edits. */
@QuarkusTest
@TestProfile(FileTierSourceStartTest.UneditedFile.class)
class FileTierSourceStartTest {

    static final Path FILE = FileTierSourceTest.tempFile();

    public static class UneditedFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            FileTierSourceTest.write(FILE, FileTierSourceTest.TIERS);
            return Map.of("maas.tiers.file", FILE.toString(), "maas.tiers.file-poll-interval", "100ms");
        }
    }

    @Test
    void servesTheFileAtStart() {
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
    }
}
