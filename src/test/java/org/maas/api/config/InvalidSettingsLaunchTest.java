package org.maas.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application itself refuses to start with invalid settings: exit code 1, one line per problem. */
@QuarkusMainTest
@TestProfile(InvalidSettingsLaunchTest.InvalidSettings.class)
class InvalidSettingsLaunchTest {

    public static class InvalidSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.tokens.default-expiration", "5m", "maas.tiers.max-groups", "0",
                    "maas.policies.lease-renew-deadline", "20s");
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
                "maas.policies lease-renew-deadline (20s) must be shorter than lease-duration (15s)")) {
            assertTrue(lines.contains(problem), "no line '" + problem + "' in:\n" + output);
        }
        assertFalse(output.contains("\tat "), "a stack trace in:\n" + output);
        assertEquals(1, result.exitCode());
    }
}
