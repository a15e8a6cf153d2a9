package org.maas.api.model;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The OpenAI list format ({@code GET /v1/models}), so OpenAI SDKs read it as they read OpenAI's. */
@Schema(name = "ModelList", description = "The OpenAI list format", requiredProperties = {"object", "data"})
public record ModelList(
        @Schema(description = "Always \"list\"", example = "list")
        String object,
        @Schema(description = "The models you may call; empty, never null, when there is none")
        List<ModelInfo> data) {

    static ModelList of(List<ModelInfo> data) {
        return new ModelList("list", List.copyOf(data));
    }
}
