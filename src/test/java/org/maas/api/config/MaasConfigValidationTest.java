package org.maas.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaasConfigValidationTest {

    @Test
    void theDefaultsAreValid() {
        assertEquals(List.of(), Settings.problems(Map.of()));
        assertEquals(Duration.ofHours(4), Settings.of(Map.of()).tokens().defaultExpiration());
    }

    @Test
    void valuesOnTheLimitsAreValid() {
        assertEquals(List.of(), Settings.problems(Map.of(
                "maas.tokens.min-expiration", "10m", "maas.tokens.default-expiration", "10m",
                "maas.tokens.max-expiration", "10m",
                "maas.policies.lease-duration", "3s", "maas.policies.lease-renew-deadline", "2s",
                "maas.policies.lease-retry-period", "1s",
                "maas.tiers.max-groups", "1", "maas.http.max-body-size", "1",
                "maas.gateway.tier-namespace-prefix", "t", "maas.tiers.default-tier", "free")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "maas.tokens.default-expiration | 5m    | maas.tokens default-expiration (5m) must be within min-expiration (10m) and max-expiration (720h), or every mint without an expiration fails",
            "maas.tokens.default-expiration | 721h  | maas.tokens default-expiration (721h) must be within min-expiration (10m) and max-expiration (720h), or every mint without an expiration fails",
            "maas.tokens.min-expiration     | 9m59s | maas.tokens.min-expiration must be at least 10m: the API server refuses shorter tokens",
            "maas.tokens.max-expiration     | 1h    | maas.tokens default-expiration (4h) must be within min-expiration (10m) and max-expiration (1h), or every mint without an expiration fails",
            "maas.api-keys.default-expiration | 2161h | maas.api-keys default-expiration (2161h) must be within min-expiration (10m) and max-expiration (2160h), or every key created without an expiration fails",
            "maas.api-keys.min-expiration   | 5m    | maas.api-keys.min-expiration must be at least 10m: the API server refuses shorter tokens",
            "maas.api-keys.max-per-user     | 0     | maas.api-keys.max-per-user must be greater than 0",
            "maas.api-keys.cleanup-grace    | 0s    | maas.api-keys.cleanup-grace must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.tiers.file-poll-interval  | 0s    | maas.tiers.file-poll-interval must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.identity.review-cache-ttl | -1s   | maas.identity.review-cache-ttl must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.policies.resync-interval  | 0s    | maas.policies.resync-interval must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.identity.review-cache-max-entries | 0 | maas.identity.review-cache-max-entries must be greater than 0",
            "maas.models.access-cache-ttl   | 0s    | maas.models.access-cache-ttl must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.models.sync-wait          | -1s   | maas.models.sync-wait must be a positive duration (like 500ms, 30s, 5m, 4h)",
            "maas.models.access-cache-max-entries | 0 | maas.models.access-cache-max-entries must be greater than 0",
            "maas.models.max-concurrent-reviews | 0  | maas.models.max-concurrent-reviews must be greater than 0",
            "maas.tiers.max-groups          | -1    | maas.tiers.max-groups must be greater than 0",
            "maas.tiers.max-group-length    | 0     | maas.tiers.max-group-length must be greater than 0",
            "maas.http.max-body-size        | 0     | maas.http.max-body-size must be a positive size (like 64K, 1M)",
            "maas.policies.lease-renew-deadline | 15s | maas.policies lease-renew-deadline (15s) must be shorter than lease-duration (15s)",
            "maas.policies.lease-retry-period   | 10s | maas.policies lease-retry-period (10s) must be shorter than lease-renew-deadline (10s)",
            "maas.tiers.default-tier        | Gold  | maas.tiers.default-tier must be a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
            "maas.tiers.config-map-namespace | my_ns | maas.tiers.config-map-namespace must be a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
            "maas.tiers.config-map-name     | Tiers! | maas.tiers.config-map-name must be a DNS-1123 subdomain (lower case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
            "maas.tiers.config-map-key      | a/b   | maas.tiers.config-map-key must be a ConfigMap key (letters, digits, '-', '_', '.')",
            "maas.tiers.file                | ' '   | maas.tiers.file must not be blank",
            "maas.tokens.audience           | ' '   | maas.tokens.audience must not be blank",
            "maas.gateway.namespace         | -x    | maas.gateway.namespace must be a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
            "maas.gateway.tier-namespace-prefix | Tier_ | maas.gateway tier-namespace-prefix 'Tier_' (by default <name>-tier-) must be lower case letters, digits and '-', start with a letter or digit and be shorter than 63 characters: tier namespaces are <prefix><tier>",
            "maas.policies.lease-name       | Lease | maas.policies.lease-name must be a DNS-1123 subdomain (lower case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
            "maas.policies.lease-namespace  | a.b   | maas.policies.lease-namespace must be a DNS-1123 label (lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)",
            "maas.policies.field-manager    | ' '   | maas.policies.field-manager must not be blank"})
    void anInvalidValueIsOneLineNamingItsKey(String key, String value, String problem) {
        assertEquals(List.of(problem), Settings.problems(Map.of(key, value)));
    }

    /** A value SmallRye cannot convert is a problem line like any other, with the format the key takes. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "maas.tokens.default-expiration   | 1y    | maas.tokens default-expiration must be a duration (like 500ms, 30s, 5m, 4h), not '1y'",
            "maas.kubernetes.request-deadline | soon  | maas.kubernetes request-deadline must be a duration (like 500ms, 30s, 5m, 4h), not 'soon'",
            "maas.tiers.source                | bogus | maas.tiers source must be one of configmap, file, not 'bogus'",
            "maas.policies.unmatched          | x     | maas.policies unmatched must be one of deny, most-restrictive, not 'x'",
            "maas.revocation.on-group-change  | yes   | maas.revocation on-group-change must be one of off, dry-run, on, not 'yes'",
            "maas.http.max-body-size          | lots  | maas.http max-body-size must be a size (like 64K, 1M), not 'lots'",
            "maas.tiers.max-groups            | zero  | maas.tiers max-groups must be a whole number, not 'zero'",
            "maas.models.manage-access        | maybe | maas.models manage-access must be true or false, not 'maybe'"})
    void aValueThatCannotBeConvertedIsOneLineWithTheFormatExpected(String key, String value, String problem) {
        assertEquals(List.of(problem), Settings.problems(Map.of(key, value)));
    }

    @Test
    void everyGroupReportsItsValuesThatCannotBeConverted() {
        for (Class<?> group : MaasConfig.class.getDeclaredClasses()) {
            assertTrue(!group.isInterface() || group.isAnnotationPresent(Convertible.class), group.getSimpleName());
        }
    }

    @Test
    void aValueThatCannotBeConvertedHidesNoOtherProblem() {
        assertEquals(Set.of(
                "maas.tokens default-expiration must be a duration (like 500ms, 30s, 5m, 4h), not '1y'",
                "maas.tiers source must be one of configmap, file, not 'bogus'",
                "maas.tiers.max-groups must be greater than 0",
                "maas.policies lease-renew-deadline (20s) must be shorter than lease-duration (15s)"),
                Set.copyOf(Settings.problems(Map.of("maas.tokens.default-expiration", "1y", "maas.tiers.source", "bogus",
                        "maas.tiers.max-groups", "0", "maas.policies.lease-renew-deadline", "20s"))));
    }

    @Test
    void theConvertedValuesAreTheOnesGiven() {
        MaasConfig config = Settings.of(Map.of("maas.tiers.source", "FILE", "maas.policies.unmatched", "most-restrictive",
                "maas.revocation.on-group-change", "dry-run", "maas.models.manage-access", "on"));
        assertEquals(MaasConfig.SourceKind.file, config.tiers().source());
        assertEquals(MaasConfig.Policies.Unmatched.MOST_RESTRICTIVE, config.policies().unmatched());
        assertEquals(MaasConfig.Revocation.GroupChange.DRY_RUN, config.revocation().onGroupChange());
        assertTrue(config.models().manageAccess());
    }

    @Test
    void aTierFileThatIsNotThereIsNamedWithWhereItWasLookedFor() throws IOException {
        assertEquals(List.of("maas.tiers file 'nope.yaml' (" + Path.of("nope.yaml").toAbsolutePath() + ") is not a"
                        + " readable file: set maas.tiers.file to your tier config file, or leave it unset for the"
                        + " bundled default tiers"),
                Settings.problems(Map.of("maas.tiers.source", "file", "maas.tiers.file", "nope.yaml")));
        assertEquals(List.of(), Settings.problems(Map.of("maas.tiers.source", "configmap", "maas.tiers.file", "nope.yaml")),
                "the ConfigMap source reads no file");
        Path file = Files.createTempFile("tiers", ".yaml");
        try {
            assertEquals(List.of(), Settings.problems(Map.of("maas.tiers.source", "file", "maas.tiers.file", file.toString())));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aGatewayNameThatMakesNoNamespacePrefixIsReported() {
        assertEquals(List.of(
                "maas.gateway tier-namespace-prefix 'gw.example-tier-' (by default <name>-tier-) must be lower case letters,"
                        + " digits and '-', start with a letter or digit and be shorter than 63 characters: tier"
                        + " namespaces are <prefix><tier>"),
                Settings.problems(Map.of("maas.gateway.name", "gw.example")));
    }

    @Test
    void everyProblemIsReportedAtOnceOneLineEach() {
        var problems = Settings.problems(Map.of(
                "maas.tokens.default-expiration", "5m",
                "maas.tiers.max-groups", "0",
                "maas.http.max-body-size", "0",
                "maas.policies.lease-renew-deadline", "20s",
                "maas.policies.lease-retry-period", "30s",
                "maas.tiers.default-tier", "Bad_Tier"));
        assertEquals(6, problems.size(), problems.toString());
        for (String start : List.of("maas.tokens default-expiration (5m)", "maas.tiers.max-groups ",
                "maas.http.max-body-size ", "maas.policies lease-renew-deadline (20s)",
                "maas.policies lease-retry-period (30s)", "maas.tiers.default-tier ")) {
            assertEquals(1, problems.stream().filter(line -> line.startsWith(start)).count(), start + " in " + problems);
        }
        assertTrue(problems.stream().noneMatch(line -> line.contains("\n")), problems.toString());
    }
}
