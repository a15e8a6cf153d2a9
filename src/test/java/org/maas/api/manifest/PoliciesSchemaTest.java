package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** policies/ (as kustomize builds it), its overlays, and the YAML samples in docs/ validate against the real CRDs. */
class PoliciesSchemaTest {

    @Test
    void policiesAreValid() {
        List<ObjectNode> objects = ManifestFiles.kustomize("policies");
        assertEquals(List.of("AuthPolicy", "Gateway", "GatewayClass", "RateLimitPolicy", "TokenRateLimitPolicy"),
                objects.stream().map(o -> o.path("kind").asText()).sorted().toList());
        int before = ValidationRules.EVALUATED.get();
        int uncheckedBefore = ValidationRules.UNCHECKED.get();
        SchemaAssertions.assertValid("kubectl kustomize policies", objects);
        int evaluated = ValidationRules.EVALUATED.get() - before;
        System.out.println("policies/: " + evaluated + " CRD validation rules evaluated, "
                + (ValidationRules.UNCHECKED.get() - uncheckedBefore) + " not evaluable with cel-java");
        assertTrue(evaluated >= 5, "the CRDs' x-kubernetes-validations rules ran: " + evaluated);
        objects.forEach(o -> assertTrue(SchemaAssertions.schemas().hasCrd(o), ManifestFiles.id(o) + " has its CRD"));
    }

    @Test
    void overlaysAreValid() throws IOException {
        try (Stream<Path> dirs = Files.list(ManifestFiles.path("overlays"))) {
            List<Path> overlays = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
            assertFalse(overlays.isEmpty(), "overlays/ has kustomizations");
            for (Path overlay : overlays) {
                String dir = ManifestFiles.ROOT.relativize(overlay).toString();
                SchemaAssertions.assertValid("kubectl kustomize " + dir, ManifestFiles.kustomize(dir));
            }
        }
    }

    @Test
    void docSamplesAreValid() throws IOException {
        List<ObjectNode> samples = new ArrayList<>();
        try (Stream<Path> docs = Files.list(ManifestFiles.path("docs"))) {
            for (Path doc : docs.filter(d -> d.toString().endsWith(".md")).sorted().toList()) {
                samples.addAll(ManifestFiles.yamlBlocks(doc));
            }
        }
        assertTrue(samples.stream().anyMatch(o -> o.path("kind").asText().equals("LLMInferenceService")),
                "docs/ shows a model opting into the gateway (LLMInferenceService)");
        SchemaAssertions.assertValid("docs/*.md", samples);
    }
}
