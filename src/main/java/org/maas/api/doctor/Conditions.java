package org.maas.api.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/** The status conditions of a Gateway or a Kuadrant policy ({@code status.conditions[]}, metav1.Condition). */
record Conditions(JsonNode object) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** observedGeneration: the metadata.generation the condition was written for, null when not given. */
    record Condition(String type, String status, String reason, String message, Long observedGeneration) {

        boolean isTrue() {
            return "True".equals(status);
        }

        /** {@code Type=Status (Reason): message}, as kubectl describe shows it. */
        String describe() {
            return type + "=" + status + " (" + reason + ")" + (message == null || message.isBlank() ? "" : ": " + message);
        }
    }

    static Conditions of(GenericKubernetesResource resource) {
        return new Conditions(JSON.valueToTree(resource));
    }

    JsonNode spec() {
        return object.path("spec");
    }

    /** status.observedGeneration: the spec generation the controller last reconciled, null when not given. */
    Long observedGeneration() {
        return generation(object.path("status"));
    }

    /** metadata.generation, null when not given. */
    Long generation() {
        return object.path("metadata").path("generation").isIntegralNumber()
                ? object.path("metadata").path("generation").asLong() : null;
    }

    private static Long generation(JsonNode node) {
        return node.path("observedGeneration").isIntegralNumber() ? node.path("observedGeneration").asLong() : null;
    }

    Optional<Condition> find(String type) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return Optional.of(new Condition(type, condition.path("status").asText(),
                        condition.path("reason").asText(""), condition.path("message").asText(""),
                        generation(condition)));
            }
        }
        return Optional.empty();
    }
}
