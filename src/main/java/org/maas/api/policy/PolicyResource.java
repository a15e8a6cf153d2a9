package org.maas.api.policy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/tiers/policies")
@Tag(name = "tiers")
public class PolicyResource {

    static final String YAML = "application/yaml";
    private static final MediaType YAML_TYPE = MediaType.valueOf(YAML);

    private final LivePolicies policies;

    PolicyResource(LivePolicies policies) {
        this.policies = policies;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, YAML})
    @SecurityRequirements({})
    @Operation(operationId = "getTierPolicies", summary = "The gateway policies for the live tier config",
            description = "The RateLimitPolicy and TokenRateLimitPolicy rendered from the tier config being served:"
                    + " a JSON array of the two objects, or with `Accept: application/yaml` one YAML stream for"
                    + " `kubectl apply -f -`. JSON answers no Accept at all, a wildcard and `application/json`;"
                    + " YAML only an Accept that names `application/yaml` before any JSON or wildcard.")
    @APIResponse(responseCode = "200", description = "Both policies", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "GatewayPolicies")),
            @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING,
                    description = "A multi-document YAML stream of the same two objects"))})
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response policies(@Context HttpHeaders headers) {
        LivePolicies.Rendition current = policies.current();
        return prefersYaml(headers.getAcceptableMediaTypes())
                ? Response.ok(current.yaml(), YAML_TYPE).build()
                : Response.ok(current.policies().all(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * YAML only when asked for by name: the first type the client accepts (they come sorted by quality, then
     * specificity) that names JSON, YAML or a wildcard decides, and a wildcard means JSON. Generated clients
     * send no Accept or a wildcard and parse JSON; {@code curl -H 'Accept: application/yaml'} feeds kubectl.
     */
    static boolean prefersYaml(List<MediaType> accepted) {
        for (MediaType type : accepted) {
            if ("0".equals(type.getParameters().get("q"))) {
                continue;
            }
            if (type.isWildcardType() || type.isWildcardSubtype() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(YAML_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
