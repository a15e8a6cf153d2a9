package org.maas.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of a mint request. */
@Schema(name = "MintTokenRequest", description = "Optional; without a body the token lives for the default 4h",
        additionalProperties = Schema.False.class)
public record MintTokenRequest(
        // A string (the documented form), or a number or null as earlier clients sent them: JsonNode keeps each,
        // and Expiration explains anything else with a 400.
        // The schema (a string with a pattern, docs/api-conventions.md) is in META-INF/openapi.yaml.
        @Schema(ref = "Expiration") JsonNode expiration) {
}
