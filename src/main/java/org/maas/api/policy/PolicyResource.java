package org.maas.api.policy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;

@Path("/v1/tiers/policies")
@Tag(name = "tiers")
public class PolicyResource {

    static final String YAML = "application/yaml";

    private final LivePolicies policies;

    PolicyResource(LivePolicies policies) {
        this.policies = policies;
    }

    @GET
    @Produces(YAML)
    @Operation(summary = "The gateway policies for the live tier config",
            description = "The RateLimitPolicy and TokenRateLimitPolicy rendered from the tier config being served, "
                    + "as one YAML stream: `curl ... | kubectl apply -f -`.")
    @APIResponse(responseCode = "200", description = "Both policies",
            content = @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "503", description = "No valid tier config loaded yet",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    public String policies() {
        return policies.current().yaml();
    }
}
