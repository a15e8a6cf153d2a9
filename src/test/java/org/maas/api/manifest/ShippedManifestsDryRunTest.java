package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.Kubectl;

/**
 * Every manifest that ships, and every Kubernetes object shown in docs/ and README.md, is accepted by the
 * real kube-apiserver with the real CRDs installed: server-side apply with {@code dryRun=All}, so the CRDs'
 * OpenAPI and CEL validation, defaulting and admission all run and nothing is stored. The namespaces they
 * name are created first (for real and empty), as an admin does before applying.
 */
class ShippedManifestsDryRunTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("(?s)```ya?ml\\n(.*?)```");
    private static ControlPlane plane;

    @BeforeAll
    static void controlPlane() {
        plane = ControlPlane.shared();
        plane.installCrds();
    }

    static Stream<String> sources() throws IOException {
        List<String> sources = new ArrayList<>(List.of("target/kubernetes/kubernetes.yml", "policies"));
        try (Stream<Path> overlays = Files.list(Path.of("overlays"))) {
            overlays.filter(Files::isDirectory).map(Path::toString).sorted().forEach(sources::add);
        }
        sources.add("README.md");
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).map(Path::toString).sorted().forEach(sources::add);
        }
        return sources.stream();
    }

    @ParameterizedTest
    @MethodSource("sources")
    void isAcceptedByTheRealApiServer(String source) throws Exception {
        KubernetesClient admin = plane.admin();
        List<HasMetadata> objects = objects(source, admin);
        for (String namespace : namespaces(objects)) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
        }
        List<String> rejected = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Namespace) {
                continue;
            }
            try {
                admin.resource(object).dryRun().fieldManager("maas-api-dry-run").forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                rejected.add(object.getKind() + " " + object.getMetadata().getName() + ": " + e.getStatus().getMessage());
            }
        }
        System.out.printf("dry run: %s: %d objects, %d rejected%n", source, objects.size(), rejected.size());
        assertEquals(List.of(), rejected, source);
        if (!source.endsWith(".md")) {
            assertTrue(objects.size() > 0, source + " has objects");
        }
    }

    /** Without this, a passing dry run would prove little: the same path refuses what the CRDs forbid. */
    @org.junit.jupiter.api.Test
    void theDryRunRefusesWhatTheCrdsForbid() throws Exception {
        List<HasMetadata> policies = objects("policies", plane.admin());
        GenericKubernetesResource object = (GenericKubernetesResource) policies.stream()
                .filter(o -> o.getKind().equals("RateLimitPolicy")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> targetRef = (Map<String, Object>) ((Map<String, Object>) object.getAdditionalProperties()
                .get("spec")).get("targetRef");
        targetRef.put("kind", "Service"); // the CRD's CEL rule: Gateway or a route kind only
        plane.admin().resource(new NamespaceBuilder().withNewMetadata().withName(object.getMetadata().getNamespace())
                .endMetadata().build()).serverSideApply();
        KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> plane.admin().resource(object).dryRun().fieldManager("maas-api-dry-run").forceConflicts().serverSideApply());
        assertEquals(422, refused.getCode(), refused.getMessage());
        assertTrue(refused.getMessage().contains("targetRef"), refused.getMessage());
    }

    /** A kustomization through the built kubectl's kustomize, a file as it is, a doc's ```yaml blocks. */
    private static List<HasMetadata> objects(String source, KubernetesClient admin) throws Exception {
        Path path = Path.of(source);
        String yaml;
        if (Files.isDirectory(path)) {
            yaml = Kubectl.kustomize(path);
        } else if (source.endsWith(".md")) {
            StringBuilder blocks = new StringBuilder();
            Matcher block = YAML_BLOCK.matcher(Files.readString(path));
            while (block.find()) {
                if (block.group(1).contains("apiVersion:") && block.group(1).contains("kind:")) {
                    blocks.append("---\n").append(block.group(1));
                }
            }
            yaml = blocks.toString();
        } else {
            yaml = Files.readString(path);
        }
        if (yaml.isBlank()) {
            return List.of();
        }
        return admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o != null).toList();
    }

    private static TreeSet<String> namespaces(List<HasMetadata> objects) {
        TreeSet<String> names = new TreeSet<>();
        for (HasMetadata object : objects) {
            if (object.getMetadata().getNamespace() != null) {
                names.add(object.getMetadata().getNamespace());
            }
            if (object instanceof Namespace) {
                names.add(object.getMetadata().getName());
            }
        }
        return names;
    }
}
