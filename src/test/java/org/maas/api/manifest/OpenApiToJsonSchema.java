package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns a CRD's structural {@code openAPIV3Schema} into a draft-4 JSON Schema that rejects what the API
 * server rejects: {@code nullable} becomes a {@code null} type, {@code x-kubernetes-int-or-string} an
 * integer-or-string, and objects that list their properties accept no others (kubectl's strict field
 * validation), unless {@code x-kubernetes-preserve-unknown-fields} or an embedded resource says otherwise.
 * Other {@code x-kubernetes-*} extensions and descriptions are dropped.
 */
final class OpenApiToJsonSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> JUNCTORS = Set.of("allOf", "anyOf", "oneOf");

    private OpenApiToJsonSchema() {
    }

    static ObjectNode convert(JsonNode schema) {
        return convert(schema, false);
    }

    /** @param valueValidation inside allOf/anyOf/oneOf/not: constraints only, which never close an object */
    private static ObjectNode convert(JsonNode schema, boolean valueValidation) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("x-kubernetes-") || key.equals("nullable") || key.equals("description")
                    || key.equals("default") || key.equals("example")) {
                continue;
            }
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), convert(p.getValue(), valueValidation)));
                }
                case "items" -> out.set(key, value.isObject() ? convert(value, valueValidation) : value);
                case "not" -> out.set(key, convert(value, true));
                case "additionalProperties" -> out.set(key, value.isObject() ? convert(value, valueValidation) : value);
                default -> {
                    if (JUNCTORS.contains(key)) {
                        ArrayNode branches = out.putArray(key);
                        value.forEach(branch -> branches.add(convert(branch, true)));
                    } else {
                        out.set(key, value);
                    }
                }
            }
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false) && !out.has("anyOf")) {
            out.remove("type");
            ArrayNode anyOf = out.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (schema.path("nullable").asBoolean(false)) {
            if (out.has("type")) {
                ArrayNode types = NODES.arrayNode().add(out.get("type").asText()).add("null");
                out.set("type", types);
            }
            if (out.has("enum")) {
                ((ArrayNode) out.get("enum")).addNull();
            }
        }
        boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (!valueValidation && !open && schema.has("properties") && !schema.has("additionalProperties")) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
