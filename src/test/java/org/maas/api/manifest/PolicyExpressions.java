package org.maas.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Every CEL expression of a Kuadrant policy, with where it is: {@code predicate} and {@code expression} fields. */
final class PolicyExpressions {

    /** @param predicate a {@code predicate} (must be boolean) rather than a value {@code expression} */
    record Expression(String where, String cel, boolean predicate) {
    }

    private PolicyExpressions() {
    }

    static List<Expression> of(JsonNode policy) {
        List<Expression> found = new ArrayList<>();
        walk(policy.path("spec"), ManifestFiles.id(policy) + " spec", found);
        return found;
    }

    /** Fields named {@code selector}: Authorino JSON paths, which nothing can type-check. */
    static List<String> selectors(JsonNode policy) {
        List<String> found = new ArrayList<>();
        collectSelectors(policy.path("spec"), "spec", found);
        return found;
    }

    private static void walk(JsonNode node, String where, List<Expression> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String path = where + "." + field.getKey();
                JsonNode value = field.getValue();
                if (value.isTextual() && field.getKey().equals("predicate")) {
                    found.add(new Expression(path, value.asText(), true));
                } else if (value.isTextual() && field.getKey().equals("expression")) {
                    found.add(new Expression(path, value.asText(), false));
                } else {
                    walk(value, path, found);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "[" + i + "]", found);
            }
        }
    }

    private static void collectSelectors(JsonNode node, String where, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                // a kubernetesTokenReview/apiKey label selector is an object, not an Authorino JSON path
                if (field.getKey().equals("selector") && field.getValue().isTextual()) {
                    found.add(where + ".selector: " + field.getValue().asText());
                } else {
                    collectSelectors(field.getValue(), where + "." + field.getKey(), found);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSelectors(node.get(i), where + "[" + i + "]", found);
            }
        }
    }
}
