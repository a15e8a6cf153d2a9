package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CRDs of a schema directory, and validation of objects against them: the openAPIV3Schema (as JSON
 * Schema) and then its x-kubernetes-validations rules ({@link ValidationRules}). Kinds without a CRD
 * there are built-in: they get apiVersion/kind/metadata sanity checks only.
 */
final class CrdSchemas {

    /** Built-in API groups/versions the manifests may use, with their cluster-scoped kinds. */
    private static final Set<String> CORE_VERSIONS = Set.of("v1", "apps/v1", "rbac.authorization.k8s.io/v1",
            "networking.k8s.io/v1", "policy/v1", "autoscaling/v2", "coordination.k8s.io/v1");
    private static final Set<String> CLUSTER_SCOPED_CORE = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PersistentVolume", "StorageClass", "PriorityClass");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private record Version(JsonSchema jsonSchema, JsonNode openApiSchema) {
    }

    private record Crd(String kind, String group, boolean namespaced, Map<String, Version> servedVersions) {
    }

    private final Map<String, Crd> byGroupKind = new HashMap<>();
    private final Path dir;

    CrdSchemas(Path dir) {
        this.dir = dir;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (ObjectNode doc : ManifestFiles.read(file)) {
                    if (!"CustomResourceDefinition".equals(doc.path("kind").asText())) {
                        continue;
                    }
                    JsonNode spec = doc.path("spec");
                    Map<String, Version> versions = new HashMap<>();
                    for (JsonNode version : spec.path("versions")) {
                        if (version.path("served").asBoolean(false)) {
                            JsonNode schema = version.path("schema").path("openAPIV3Schema");
                            versions.put(version.path("name").asText(), new Version(
                                    factory.getSchema(OpenApiToJsonSchema.convert(schema), config), schema));
                        }
                    }
                    Crd crd = new Crd(spec.path("names").path("kind").asText(), spec.path("group").asText(),
                            "Namespaced".equals(spec.path("scope").asText()), versions);
                    byGroupKind.put(crd.group() + "/" + crd.kind(), crd);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir, e);
        }
        if (byGroupKind.isEmpty()) {
            throw new IllegalStateException("no CustomResourceDefinition in " + dir);
        }
    }

    boolean hasCrd(JsonNode object) {
        return crd(object) != null;
    }

    /** Every problem the API server would report for this object (empty when it would accept it). */
    List<String> validate(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add("apiVersion and kind are required");
            return problems;
        }
        Crd crd = crd(object);
        boolean namespaced;
        if (crd != null) {
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            Version schema = crd.servedVersions().get(version);
            if (schema == null) {
                problems.add(apiVersion + " is not a served version of " + kind + " (served: "
                        + crd.servedVersions().keySet() + ")");
                return problems;
            }
            for (ValidationMessage message : schema.jsonSchema().validate(object)) {
                problems.add(message.getInstanceLocation() + ": " + message.getMessage());
            }
            if (problems.isEmpty()) { // the rules assume a structurally valid object
                problems.addAll(ValidationRules.check(schema.openApiSchema(), object));
            }
            namespaced = crd.namespaced();
        } else if (CORE_VERSIONS.contains(apiVersion)) {
            namespaced = !CLUSTER_SCOPED_CORE.contains(kind);
        } else {
            problems.add("no CRD for " + apiVersion + " " + kind + " in " + dir + " and not a known built-in API");
            return problems;
        }
        metadata(object.path("metadata"), namespaced, kind, problems);
        return problems;
    }

    private static void metadata(JsonNode metadata, boolean namespaced, String kind, List<String> problems) {
        String name = metadata.path("name").asText("");
        Pattern namePattern = "Namespace".equals(kind) || "Service".equals(kind) ? DNS_1123_LABEL : DNS_1123_SUBDOMAIN;
        if (name.isEmpty() || name.length() > 253 || !namePattern.matcher(name).matches()) {
            problems.add("metadata.name '" + name + "' is not a valid " + kind + " name");
        }
        String namespace = metadata.path("namespace").asText("");
        if (namespaced && namespace.isEmpty()) {
            problems.add("metadata.namespace is missing on a namespaced " + kind);
        } else if (!namespaced && !namespace.isEmpty()) {
            problems.add("metadata.namespace is set on a cluster-scoped " + kind);
        } else if (!namespace.isEmpty() && !DNS_1123_LABEL.matcher(namespace).matches()) {
            problems.add("metadata.namespace '" + namespace + "' is not a valid namespace name");
        }
        for (String labelMap : List.of("labels", "annotations")) {
            metadata.path(labelMap).fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    problems.add("metadata." + labelMap + "." + e.getKey() + " must be a string");
                }
            });
        }
    }

    private Crd crd(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return byGroupKind.get(group + "/" + object.path("kind").asText(""));
    }
}
