package org.maas.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One model in the OpenAI list format, plus where to call it and whether it is ready. */
@Schema(name = "Model", description = "A model you may call through the gateway (OpenAI model object)",
        requiredProperties = {"id", "object", "created", "owned_by", "url", "ready"})
public record ModelInfo(
        @Schema(description = "What to send as \"model\": the LLMInferenceService's spec.model.name,"
                + " else its name", example = "meta-llama/Llama-3.1-8B-Instruct")
        String id,
        @Schema(description = "Always \"model\"", example = "model")
        String object,
        @Schema(description = "Creation time of the LLMInferenceService, Unix epoch seconds",
                example = "1764174600")
        long created,
        @JsonProperty("owned_by")
        @Schema(description = "The namespace of the LLMInferenceService", example = "llm")
        String ownedBy,
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(nullable = true, description = "Where to call it: the external address KServe"
                + " publishes (status.addresses, else status.address, else status.url); null until it has one",
                example = "https://maas.apps.example.com/llm/llama")
        String url,
        @Schema(description = "True only when it is not being deleted, its status is current"
                + " and its Ready condition is True", example = "true")
        boolean ready) {

    static ModelInfo of(Model model) {
        return new ModelInfo(model.id(), "model", model.created(), model.namespace(), model.url(), model.ready());
    }
}
