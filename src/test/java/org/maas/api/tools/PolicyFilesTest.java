package org.maas.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No drift in the repository: the committed policies are exactly what the default tier file renders. */
class PolicyFilesTest {

    @Test
    void committedPoliciesAreWhatTheDefaultTierFileRenders() throws Exception {
        String tiers = Files.readString(Path.of(PolicyFiles.TIER_FILE), StandardCharsets.UTF_8);
        Map<String, String> rendered = PolicyFiles.render(tiers);
        assertEquals(2, rendered.size());
        for (Map.Entry<String, String> file : rendered.entrySet()) {
            Path committed = Path.of("policies", file.getKey());
            assertEquals(file.getValue(), Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : null,
                    "policies/" + file.getKey() + " is stale: run `make policies` and commit the result");
        }
    }
}
