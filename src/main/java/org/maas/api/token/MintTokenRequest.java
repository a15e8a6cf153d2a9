package org.maas.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of a mint request. */
@Schema(name = "MintTokenRequest", description = "Optional; without a body the token lives for the default 4h",
        additionalProperties = Schema.False.class)
public record MintTokenRequest(
        // A string or a number: JsonNode keeps both, and Expiration explains anything else with a 400.
        // The schema (string pattern, integer bounds, null) is in META-INF/openapi.yaml.
        @Schema(ref = "Expiration") JsonNode expiration) {
}
