package org.maas.api.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;

/** The status conditions of a Gateway or a Kuadrant policy ({@code status.conditions[]}, metav1.Condition). */
record Conditions(JsonNode object) {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Condition(String type, String status, String reason, String message) {

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

    Optional<Condition> find(String type) {
        for (JsonNode condition : object.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return Optional.of(new Condition(type, condition.path("status").asText(),
                        condition.path("reason").asText(""), condition.path("message").asText("")));
            }
        }
        return Optional.empty();
    }
}
