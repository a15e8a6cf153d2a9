package org.maas.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.UncheckedIOException;
import java.util.List;

/** The two gateway policies rendered from one tier config. */
public record RenderedPolicies(GenericKubernetesResource rateLimitPolicy,
                               GenericKubernetesResource tokenRateLimitPolicy) {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** One policy as YAML, the same bytes for the same tiers. */
    public static String yaml(GenericKubernetesResource policy) {
        try {
            return YAML.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both policies, as {@code GET /v1/tiers/policies} answers them in JSON. */
    public List<GenericKubernetesResource> all() {
        return List.of(rateLimitPolicy, tokenRateLimitPolicy);
    }

    /** Both policies as one multi-document YAML stream, for {@code kubectl apply -f -}. */
    public String yaml() {
        return "---\n" + yaml(rateLimitPolicy) + "---\n" + yaml(tokenRateLimitPolicy);
    }
}
