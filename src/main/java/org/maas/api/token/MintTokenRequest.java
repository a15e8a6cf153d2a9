package org.maas.api.token;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The optional body of a mint request. */
@Schema(name = "MintTokenRequest", description = "Optional; without a body the token lives for the default 4h")
public record MintTokenRequest(
        // A string or a number: JsonNode keeps both, and Expiration explains anything else with a 400.
        // implementation = Object.class keeps the JsonNode class itself out of the OpenAPI document. No field
        // example: SmallRye reads an untyped schema's example as JSON ("4h" is not); the request body's
        // examples in TokenResource show both forms.
        @Schema(description = "Lifetime: a duration of hours, minutes and seconds (\"4h\", \"2h30m\", \"90m\") or a"
                + " whole number of seconds (7200). Between 10m and the configured maximum (default 720h);"
                + " absent or null means 4h. The API server may grant less.",
                implementation = Object.class, oneOf = {String.class, Long.class})
        JsonNode expiration) {
}
