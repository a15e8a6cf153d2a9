package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CEL as Kuadrant evaluates it: Authorino and the wasm-shim (cel-go with the strings extension) see the
 * variables {@code auth} and {@code request}, both maps of dynamic values. Predicates must be boolean.
 */
final class PolicyCel {

    private static final MapType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelCompiler VALUES = compiler(SimpleType.DYN);
    private static final CelCompiler PREDICATES = compiler(SimpleType.BOOL);
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();

    private PolicyCel() {
    }

    private static CelCompiler compiler(dev.cel.common.types.CelType result) {
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings())
                .addVar("auth", DYN_MAP)
                .addVar("request", DYN_MAP)
                .setResultType(result)
                .build();
    }

    /** Parse and type-check; the problems, empty when the expression is fine. */
    static String check(String expression, boolean predicate) {
        CelValidationResult result = (predicate ? PREDICATES : VALUES).compile(expression);
        return result.hasError() ? result.getErrorString() : "";
    }

    /** Evaluates; a CEL error (e.g. reading a missing key) comes out as {@link CelEvaluationException}. */
    static Object eval(String expression, boolean predicate, Map<String, Object> variables)
            throws CelEvaluationException {
        CelAbstractSyntaxTree ast;
        try {
            ast = (predicate ? PREDICATES : VALUES).compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("does not compile: " + expression + ": " + e.getMessage(), e);
        }
        return RUNTIME.createProgram(ast).eval(variables);
    }

    /** JSON as CEL sees it: maps, lists, strings, int64, double, bool, null. */
    static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
