package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRDs' {@code x-kubernetes-validations} rules, evaluated with cel-java on the object after the schema's
 * defaults are applied, as the API server does. Transition rules ({@code oldSelf}) do not apply to a create;
 * a rule that cel-java cannot compile or evaluate (a Kubernetes-only function) is counted, not failed.
 */
final class ValidationRules {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();
    private static final Map<String, Optional<CelRuntime.Program>> PROGRAMS = new ConcurrentHashMap<>();

    /** Rules evaluated and rules that could not be (see the class comment), over the whole test run. */
    static final java.util.concurrent.atomic.AtomicInteger EVALUATED = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger UNCHECKED = new java.util.concurrent.atomic.AtomicInteger();

    private ValidationRules() {
    }

    /** Violations of the rules of {@code schema} (a raw openAPIV3Schema) by {@code object}. */
    static List<String> check(JsonNode schema, JsonNode object) {
        JsonNode defaulted = withDefaults(schema, object.deepCopy());
        List<String> violations = new java.util.ArrayList<>();
        walk(schema, defaulted, "", violations);
        return violations;
    }

    private static void walk(JsonNode schema, JsonNode value, String path, List<String> violations) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String cel = rule.path("rule").asText();
            if (cel.contains("oldSelf")) {
                continue;
            }
            Optional<CelRuntime.Program> program = PROGRAMS.computeIfAbsent(cel, ValidationRules::compile);
            if (program.isEmpty()) {
                UNCHECKED.incrementAndGet();
                continue;
            }
            Object result;
            try {
                result = program.get().eval(Map.of("self", PolicyCel.value(value)));
            } catch (Exception e) {
                UNCHECKED.incrementAndGet();
                continue;
            }
            EVALUATED.incrementAndGet();
            if (!Boolean.TRUE.equals(result)) {
                violations.add((path.isEmpty() ? "/" : path) + ": " + rule.path("message").asText(cel) + " (rule: " + cel + ")");
            }
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                JsonNode property = schema.path("properties").path(field.getKey());
                JsonNode child = property.isMissingNode() ? schema.path("additionalProperties") : property;
                if (child.isObject()) {
                    walk(child, field.getValue(), path + "/" + field.getKey(), violations);
                }
            });
        } else if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.path("items"), value.get(i), path + "/" + i, violations);
            }
        }
    }

    private static Optional<CelRuntime.Program> compile(String rule) {
        try {
            CelValidationResult result = COMPILER.compile(rule);
            if (result.hasError()) {
                return Optional.empty();
            }
            CelAbstractSyntaxTree ast = result.getAst();
            return Optional.of(RUNTIME.createProgram(ast));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Schema defaults filled in where a field is absent, recursively, as the API server does before validation. */
    static JsonNode withDefaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            schema.path("properties").fields().forEachRemaining(p -> {
                if (!object.has(p.getKey()) && p.getValue().has("default")) {
                    object.set(p.getKey(), p.getValue().get("default").deepCopy());
                }
            });
            object.fields().forEachRemaining(field -> {
                JsonNode property = schema.path("properties").path(field.getKey());
                JsonNode child = property.isMissingNode() ? schema.path("additionalProperties") : property;
                if (child.isObject()) {
                    field.setValue(withDefaults(child, field.getValue()));
                }
            });
        } else if (value != null && value.isArray() && schema.path("items").isObject()) {
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) value;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withDefaults(schema.path("items"), array.get(i)));
            }
        }
        return value;
    }
}
