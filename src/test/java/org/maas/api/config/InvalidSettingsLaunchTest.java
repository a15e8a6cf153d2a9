package org.maas.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The application itself refuses to start with invalid settings: exit code 1, one line per problem, values that
 * cannot be converted among them.
 */
@QuarkusMainTest
@TestProfile(InvalidSettingsLaunchTest.InvalidSettings.class)
class InvalidSettingsLaunchTest {

    public static class InvalidSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tokens.default-expiration", "5m", "maas.tiers.max-groups", "0",
                    "maas.policies.lease-renew-deadline", "20s", "maas.api-keys.cleanup-interval", "1y",
                    "maas.policies.unmatched", "bogus", "maas.tiers.source", "file", "maas.tiers.file", "nope.yaml");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void stopsWithEveryProblemOnItsOwnLine(LaunchResult result) {
        String output = result.getErrorOutput() + "\n" + result.getOutput();
        List<String> lines = output.lines().map(String::strip).toList();
        for (String problem : List.of(
                "maas.tokens default-expiration (5m) must be within min-expiration (10m) and max-expiration (720h),"
                        + " or every mint without an expiration fails",
                "maas.tiers.max-groups must be greater than 0",
                "maas.policies lease-renew-deadline (20s) must be shorter than lease-duration (15s)",
                "maas.api-keys cleanup-interval must be a duration (like 500ms, 30s, 5m, 4h), not '1y'",
                "maas.policies unmatched must be one of deny, most-restrictive, not 'bogus'",
                "maas.tiers file 'nope.yaml' (" + Path.of("nope.yaml").toAbsolutePath() + ") is not a readable file:"
                        + " set maas.tiers.file to your tier config file, or leave it unset for the bundled default tiers")) {
            assertTrue(lines.contains(problem), "no line '" + problem + "' in:\n" + output);
        }
        assertFalse(output.contains("\tat "), "a stack trace in:\n" + output);
        assertFalse(output.contains("SRCFG") || output.contains("MaasConfig$"), "Java internals in:\n" + output);
        assertEquals(1, result.exitCode());
    }
}
