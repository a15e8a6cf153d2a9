package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every CEL expression of the Kuadrant policies parses and type-checks against auth and request. */
class PolicyCelTest {

    private static List<ObjectNode> kuadrantPolicies() {
        List<ObjectNode> all = new ArrayList<>(ManifestFiles.kustomize("policies"));
        all.addAll(ManifestFiles.read(ManifestFiles.path("src/main/kubernetes/kubernetes.yml")));
        return all.stream().filter(o -> o.path("apiVersion").asText().startsWith("kuadrant.io/")).toList();
    }

    @Test
    void everyExpressionParsesAndTypeChecks() {
        List<ObjectNode> policies = kuadrantPolicies();
        assertEquals(List.of("AuthPolicy", "AuthPolicy", "RateLimitPolicy", "RateLimitPolicy", "TokenRateLimitPolicy",
                        "TokenRateLimitPolicy"),
                policies.stream().map(p -> p.path("kind").asText()).sorted().toList(),
                "the Kuadrant policies this test covers");
        List<Executable> checks = new ArrayList<>();
        int count = 0;
        for (ObjectNode policy : policies) {
            for (PolicyExpressions.Expression e : PolicyExpressions.of(policy)) {
                count++;
                checks.add(() -> assertEquals("", PolicyCel.check(e.cel(), e.predicate()),
                        e.where() + " = " + e.cel()));
            }
        }
        assertTrue(count >= 20, "expected the policies' expressions, found only " + count);
        assertAll(checks);
    }

    @Test
    void valuesAreCelNotJsonPathSelectors() {
        for (ObjectNode policy : kuadrantPolicies()) {
            assertEquals(List.of(), PolicyExpressions.selectors(policy),
                    ManifestFiles.id(policy) + ": use `expression` (CEL, type-checked here), not `selector`");
        }
    }

    @Test
    void theCheckerRejectsWhatKuadrantWould() {
        assertFalse(PolicyCel.check("auth.identity.tier == ", true).isEmpty(), "syntax error");
        assertFalse(PolicyCel.check("identity.tier == \"free\"", true).isEmpty(), "undeclared variable");
        assertFalse(PolicyCel.check("size(request.path)", true).isEmpty(), "a predicate must be boolean");
        assertFalse(PolicyCel.check("request.path.nosuch(\"/\")", false).isEmpty(), "unknown function");
        assertEquals("", PolicyCel.check("request.path.split(\"/\")[1]", false), "strings extension");
    }
}
