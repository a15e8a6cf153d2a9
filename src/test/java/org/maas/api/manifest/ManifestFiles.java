package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.maas.api.testing.Kubectl;

/** Reads the project's manifests as JSON trees: YAML files, kustomize output, quarkus-kubernetes output. */
final class ManifestFiles {

    static final ObjectMapper YAML = new YAMLMapper();

    /** The project directory (Maven runs tests there). */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();

    private ManifestFiles() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    /** Every non-empty YAML document of a file. */
    static List<ObjectNode> read(Path file) {
        try {
            return documents(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    static List<ObjectNode> documents(String yaml, String origin) {
        List<ObjectNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc instanceof ObjectNode object) {
                    docs.add(object);
                } else if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    fail(origin + " holds a document that is not a mapping: " + doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("not valid YAML: " + origin + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** What {@code kubectl kustomize <dir>} builds, by the control plane's own kubectl. */
    static List<ObjectNode> kustomize(String dir) {
        return documents(Kubectl.kustomize(path(dir)), "kubectl kustomize " + dir);
    }

    /** target/kubernetes/kubernetes.yml, written by quarkus-kubernetes at `package`. */
    static List<ObjectNode> generated() {
        Path file = path("target/kubernetes/kubernetes.yml");
        assertTrue(Files.isRegularFile(file), file + " is missing: it is generated at `package`; run `./mvnw verify`");
        return read(file);
    }

    /** Every generated target (kubernetes.yml, openshift.yml, ...) that exists. */
    static List<Path> generatedFiles() {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("kubernetes.yml", "openshift.yml", "knative.yml")) {
            Path file = path("target/kubernetes/" + name);
            if (Files.isRegularFile(file)) {
                files.add(file);
            }
        }
        return files;
    }

    /** The objects (apiVersion + kind) of a Markdown file's YAML blocks; blocks without apiVersion are skipped. */
    static List<ObjectNode> yamlBlocks(Path markdown) {
        List<ObjectNode> objects = new ArrayList<>();
        try {
            String text = Files.readString(markdown);
            var matcher = java.util.regex.Pattern.compile("```yaml\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                    .matcher(text);
            while (matcher.find()) {
                String block = matcher.group(1);
                if (!block.contains("apiVersion:")) {
                    continue; // other YAML (a tier config, a fragment): not a Kubernetes object
                }
                for (ObjectNode doc : documents(block, markdown.getFileName() + " yaml block")) {
                    if (doc.has("apiVersion") && doc.has("kind")) {
                        objects.add(doc);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + markdown, e);
        }
        return objects;
    }

    static ObjectNode one(List<ObjectNode> objects, String kind, String name) {
        return find(objects, kind, name).orElseGet(() -> fail("no " + kind + " named " + name + " among "
                + objects.stream().map(ManifestFiles::id).toList()));
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst();
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    /** {@code Kind namespace/name} for messages. */
    static String id(JsonNode object) {
        String namespace = object.path("metadata").path("namespace").asText("");
        return object.path("kind").asText("?") + " " + (namespace.isEmpty() ? "" : namespace + "/")
                + object.path("metadata").path("name").asText("?");
    }
}
