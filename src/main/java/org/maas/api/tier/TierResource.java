package org.maas.api.tier;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;

@Path("/v1/tiers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers", description = "Subscription tiers and the lookup Authorino calls")
public class TierResource {

    private final TierCatalog catalog;
    private final TierLookup lookup;

    TierResource(TierCatalog catalog, TierLookup lookup) {
        this.catalog = catalog;
        this.lookup = lookup;
    }

    @POST
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking // a few map reads: answered on the event loop, no worker-thread hop
    @SecurityRequirements({}) // Authorino calls it inside the cluster; the NetworkPolicy guards it
    @Operation(operationId = "lookupTier", summary = "Resolve groups to a tier",
            description = "Called by Authorino's HTTP metadata callout. Among the tiers holding any of the groups, "
                    + "the highest level wins; equal levels go to the first in the config. Every answer is a JSON "
                    + "object, because Authorino ignores the status code: a policy checks that `tier` is present.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = TierLookupRequest.class),
            examples = @ExampleObject(name = "user", value = "{\"groups\": [\"system:authenticated\", \"premium-users\"]}")))
    @APIResponse(responseCode = "200", description = "The tier",
            content = @Content(schema = @Schema(implementation = TierLookupResponse.class),
                    examples = @ExampleObject(name = "premium", value = "{\"tier\": \"premium\", \"displayName\": \"Premium Tier\"}")))
    @APIResponse(responseCode = "404", description = "No tier holds any of the groups and no default tier is set",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none",
                    value = "{\"error\": \"not_found\", \"message\": \"no tier for groups [nobody]\"}")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public TierLookupResponse lookup(TierLookupRequest request) {
        // Reached only by what TierLookupRoute leaves to the REST layer (chunked bodies, Accept or Content-Type
        // other than plain JSON): the same lookup, with JAX-RS content negotiation.
        return TierLookupResponse.of(lookup.lookup(request));
    }

    @GET
    @SecurityRequirements({})
    @Operation(operationId = "listTiers", summary = "List the configured tiers",
            description = "Highest level first; group lists are not shown.")
    @APIResponse(responseCode = "200", description = "The tiers",
            content = @Content(schema = @Schema(implementation = TierInfo.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @NonBlocking
    public List<TierInfo> list() {
        return catalog.served().byLevel().stream().map(TierInfo::of).toList();
    }
}
