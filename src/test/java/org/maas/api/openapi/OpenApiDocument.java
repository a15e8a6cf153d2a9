package org.maas.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OpenAPI document the build stored (target/openapi/openapi.yaml), which the generated client in
 * org.maas.client was generated from. Its operations, their declared statuses and response objects.
 */
final class OpenApiDocument {

    static final Path STORED = Path.of("target/openapi/openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** One operation, with its responses resolved through {@code $ref}. */
    record Operation(String method, String path, JsonNode node, JsonNode root) {

        String id() {
            return node.path("operationId").asText(null);
        }

        List<String> statuses() {
            List<String> statuses = new ArrayList<>();
            node.path("responses").fieldNames().forEachRemaining(statuses::add);
            return statuses;
        }

        JsonNode response(String status) {
            return resolve(root, node.path("responses").path(status));
        }

        /** Whether a request to this concrete path is this operation ({@code {id}} matches one segment). */
        boolean matches(String method, String concretePath) {
            String regex = Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            return this.method.equalsIgnoreCase(method) && concretePath.matches(regex);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " (" + id() + ")";
        }
    }

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    static OpenApiDocument stored() {
        try {
            return new OpenApiDocument(new YAMLMapper().readTree(STORED.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("no stored document: the build writes " + STORED, e);
        }
    }

    JsonNode root() {
        return root;
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    operations.add(new Operation(op.getKey(), path.getKey(), op.getValue(), root));
                }
            });
        }
        return operations;
    }

    /** Every operation's declared statuses, by operationId. */
    Map<String, Set<String>> declaredStatuses() {
        Map<String, Set<String>> declared = new java.util.TreeMap<>();
        operations().forEach(op -> declared.put(op.id(), new java.util.TreeSet<>(op.statuses())));
        return declared;
    }

    Operation operation(String method, String concretePath) {
        return operations().stream().filter(op -> op.matches(method, concretePath)).findFirst().orElse(null);
    }

    JsonNode schema(String name) {
        return root.path("components").path("schemas").path(name);
    }

    /** Follows a local {@code $ref} ("#/components/..."), as generators do. */
    static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            current = root.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
