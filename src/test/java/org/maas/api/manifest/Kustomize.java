package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kubectl kustomize <dir>} for what policies/ and overlays/ use, so that {@code make test} needs no
 * kubectl (Debian 12's kubectl 1.20 cannot build overlays/istio: its kustomize predates inline patches):
 * {@code resources} (files and directories) and {@code patches} with a {@code target} and an inline or
 * file patch that is a JSON 6902 list (add, replace, remove) or a {@code $patch: delete}. Anything else
 * fails loudly, so a new kustomize feature in those directories cannot be silently ignored here;
 * {@link KustomizeMatchesKubectlTest} compares the result with a real kubectl where there is one.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "patches");
    private static final Set<String> TARGET_FIELDS = Set.of("group", "version", "kind", "name", "namespace");

    private Kustomize() {
    }

    static List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        List<ObjectNode> docs = ManifestFiles.read(file);
        if (docs.size() != 1) {
            fail(file + " must hold one document");
        }
        ObjectNode kustomization = docs.get(0);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                fail(file + ": '" + field + "' is not supported by the tests' kustomize (" + Kustomize.class.getName()
                        + "); add it there");
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            objects.addAll(Files.isDirectory(path) ? build(path) : ManifestFiles.read(path));
        }
        requireUniqueIds(objects, file);
        for (JsonNode patch : kustomization.path("patches")) {
            objects = apply(objects, patch, dir, file);
        }
        return objects;
    }

    private static List<ObjectNode> apply(List<ObjectNode> objects, JsonNode patch, Path dir, Path file) {
        JsonNode target = patch.path("target");
        target.fieldNames().forEachRemaining(field -> {
            if (!TARGET_FIELDS.contains(field)) {
                fail(file + ": patch target field '" + field + "' is not supported by the tests' kustomize");
            }
        });
        JsonNode body = patchBody(patch, dir, file);
        List<ObjectNode> result = new ArrayList<>();
        boolean matched = false;
        for (ObjectNode object : objects) {
            if (!matches(object, target)) {
                result.add(object);
                continue;
            }
            matched = true;
            if (body.isArray()) {
                result.add(jsonPatch(object, (ArrayNode) body, file));
            } else if ("delete".equals(body.path("$patch").asText())) {
                continue; // the object is dropped
            } else {
                fail(file + ": only JSON 6902 patches and '$patch: delete' are supported by the tests' kustomize");
            }
        }
        if (!matched) {
            fail(file + ": patch target " + target + " matches no object"); // kustomize fails the build too
        }
        return result;
    }

    private static JsonNode patchBody(JsonNode patch, Path dir, Path file) {
        String text;
        if (patch.has("patch")) {
            text = patch.get("patch").asText();
        } else if (patch.has("path")) {
            try {
                text = Files.readString(dir.resolve(patch.get("path").asText()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the patch of " + file, e);
            }
        } else {
            return fail(file + ": a patch needs 'patch' or 'path'");
        }
        try {
            return ManifestFiles.YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": patch is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static boolean matches(ObjectNode object, JsonNode target) {
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        Map<String, String> actual = Map.of("group", group, "version", version,
                "kind", object.path("kind").asText(), "name", object.path("metadata").path("name").asText(),
                "namespace", object.path("metadata").path("namespace").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().asText().equals(actual.get(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode jsonPatch(ObjectNode object, ArrayNode operations, Path file) {
        ObjectNode patched = object.deepCopy();
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            JsonPointer path = JsonPointer.compile(operation.path("path").asText());
            JsonNode parent = patched.at(path.head());
            String last = path.last().getMatchingProperty();
            if (!(parent instanceof ObjectNode container)) {
                return fail(file + ": JSON patch path " + path + " is not under an object (arrays are not supported"
                        + " by the tests' kustomize)");
            }
            switch (op) {
                case "add" -> container.set(last, operation.get("value"));
                case "replace", "remove" -> {
                    if (!container.has(last)) {
                        return fail(file + ": JSON patch " + op + " of missing " + path);
                    }
                    if (op.equals("replace")) {
                        container.set(last, operation.get("value"));
                    } else {
                        container.remove(last);
                    }
                }
                default -> fail(file + ": JSON patch op '" + op + "' is not supported by the tests' kustomize");
            }
        }
        return patched;
    }

    private static void requireUniqueIds(List<ObjectNode> objects, Path file) {
        Set<String> seen = new HashSet<>();
        for (ObjectNode object : objects) {
            String id = object.path("apiVersion").asText() + " " + ManifestFiles.id(object);
            if (!seen.add(id)) {
                fail(file + ": " + id + " appears twice"); // kustomize refuses the build
            }
        }
    }
}
