package org.maas.api.tier;

import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierConfigParserTest {

    private final TierConfigParser parser = new TierConfigParser(Identities.forGateway("maas-default-gateway"));

    @Test
    void readsTheBundledDefaultTiers() throws Exception {
        List<Tier> tiers = parser.parse(bundled());
        assertEquals(List.of("free", "premium", "enterprise"), tiers.stream().map(Tier::name).toList());
        assertEquals("Premium Tier", tiers.get(1).displayName());
        assertEquals(List.of("premium-users"), tiers.get(1).groups());
    }

    @Test
    void optionalFieldsMayBeLeftOut() throws Exception {
        Tier tier = parser.parse("- name: basic\n  level: 3\n").get(0);
        assertEquals(new Tier("basic", null, null, 3, List.of()), tier);
        assertEquals("basic", tier.label());
        assertNull(tier.description());
    }

    @Test
    void readsTheUpstreamConfigMapFormat() throws Exception {
        String upstream = """
                - name: free
                  description: Free tier for basic users
                  level: 1
                  groups:
                  - system:authenticated
                - name: premium
                  description: Premium tier
                  level: 10
                  groups:
                  - premium-users
                """;
        assertEquals(10, parser.parse(upstream).get(1).level());
    }

    @Test
    void reportsEveryProblemWithTheTierIndexAndName() {
        String yaml = """
                - name: Free_Tier
                  level: one
                - name: premium
                  displayName: "  "
                  level: 1
                  groups: [premium-users, 7, ""]
                  colour: gold
                - name: premium
                  level: 2
                - level: 4
                - just a string
                """;
        List<String> problems = assertThrows(InvalidTierConfigException.class, () -> parser.parse(yaml)).problems();
        assertEquals(List.of(
                "tier[0] (Free_Tier): name must be a DNS-1123 label (lower case letters, digits and '-', "
                        + "starting and ending with a letter or digit, at most 63 characters)",
                "tier[0] (Free_Tier): level must be an integer, found 'one'",
                "tier[1] (premium): unknown key 'colour' (allowed: name, displayName, description, level, groups, limits)",
                "tier[1] (premium): displayName must not be blank when given",
                "tier[1] (premium): groups[1] must be a non-empty string, found '7'",
                "tier[1] (premium): groups[2] must be a non-empty string, found ''",
                "tier[3]: name is required",
                "tier[4]: must be a mapping with name, level and groups"), problems);
    }

    @Test
    void rejectsDuplicateNames() {
        String yaml = "- {name: gold, level: 1}\n- {name: silver, level: 2}\n- {name: gold, level: 3}\n";
        List<String> problems = assertThrows(InvalidTierConfigException.class, () -> parser.parse(yaml)).problems();
        assertEquals(List.of("tier[2] (gold): name 'gold' is used by an earlier tier"), problems);
    }

    @Test
    void rejectsNamesWhoseNamespaceWouldBeTooLong() {
        String name = "a".repeat(38); // 26-character prefix + 38 = 64 > 63
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class,
                () -> parser.parse("- {name: " + name + ", level: 1}"));
        assertTrue(e.problems().get(0).contains("at most 37 characters"), e.getMessage());
        assertEquals(37, assertDoesNotThrow("- {name: " + "a".repeat(37) + ", level: 1}").get(0).name().length());
    }

    @Test
    void rejectsNonIntegerLevels() {
        for (String level : List.of("1.5", "'1'", "99999999999", "null", "[1]", "true")) {
            InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class,
                    () -> parser.parse("- {name: gold, level: " + level + "}"), level);
            assertTrue(e.getMessage().contains("level"), e.getMessage());
        }
    }

    @Test
    void rejectsDocumentsThatAreNotAListOfTiers() {
        assertProblem("", "the config is empty");
        assertProblem("   \n", "the config is empty");
        assertProblem("[]", "the list of tiers is empty");
        assertProblem("name: free\nlevel: 1\n", "must be a YAML list of tiers, found object");
        assertProblem("- name: free\n  level: [1\n", "not valid YAML");
        assertProblem("- name: free\n  name: gold\n  level: 1\n", "not valid YAML: Duplicate field 'name'");
        assertProblem(null, "the config is empty");
    }

    private void assertProblem(String yaml, String expected) {
        InvalidTierConfigException e = assertThrows(InvalidTierConfigException.class, () -> parser.parse(yaml));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
    }

    private List<Tier> assertDoesNotThrow(String yaml) {
        try {
            return parser.parse(yaml);
        } catch (InvalidTierConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static String bundled() throws IOException {
        try (InputStream in = TierConfigParserTest.class.getResourceAsStream("/default-tiers.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
