package org.maas.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Whether a model names the MaaS gateway in {@code spec.router.gateway.refs} (a ref without namespace means the model's). */
final class ModelGateways {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelGateways() {
    }

    static boolean on(GenericKubernetesResource model, String gatewayName, String gatewayNamespace) {
        JsonNode refs = JSON.valueToTree(model.getAdditionalProperties()).path("spec").path("router")
                .path("gateway").path("refs");
        for (JsonNode ref : refs) {
            String namespace = ref.path("namespace").asText(model.getMetadata().getNamespace());
            if (gatewayName.equals(ref.path("name").asText()) && gatewayNamespace.equals(namespace)) {
                return true;
            }
        }
        return false;
    }
}
