package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tests build the kustomizations with {@link Kustomize} so that they need no kubectl; where a kubectl
 * is installed, its build must give the same objects. Skipped without kubectl, or with one whose built-in
 * kustomize cannot build the directory (Debian 12's kubectl 1.20 cannot build overlays/istio).
 */
class KustomizeMatchesKubectlTest {

    @ParameterizedTest
    @ValueSource(strings = {"policies", "overlays/istio", "overlays/policy-reconcile", "overlays/model-access",
            "overlays/group-revocation"})
    void sameObjectsAsKubectlKustomize(String dir) throws Exception {
        List<ObjectNode> ours = sorted(ManifestFiles.kustomize(dir));
        assertEquals(sorted(kubectlKustomize(dir)), ours, "the tests' kustomize and `kubectl kustomize " + dir
                + "` differ");
    }

    private static List<ObjectNode> kubectlKustomize(String dir) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir).directory(ManifestFiles.ROOT.toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("no kubectl on the PATH: nothing to compare with");
            return List.of();
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " does not end");
            Assumptions.assumeTrue(process.exitValue() == 0, "this kubectl cannot build " + dir + " (too old?): " + err);
            return ManifestFiles.documents(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            process.destroy();
        }
    }

    private static List<ObjectNode> sorted(List<ObjectNode> objects) {
        return objects.stream().sorted(Comparator.comparing(o -> o.path("apiVersion").asText() + " " + ManifestFiles.id(o)))
                .toList();
    }
}
