package org.maas.api.tier;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.identity.Caller;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;

/** The caller's own view: which tier they are in and its limits, without asking an admin. */
@Path("/v1/tiers/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
public class CallerTierResource {

    private final CallerAuthenticator authenticator;
    private final TierCatalog catalog;
    private final KubernetesGuard kubernetes;

    CallerTierResource(CallerAuthenticator authenticator, TierCatalog catalog, KubernetesGuard kubernetes) {
        this.authenticator = authenticator;
        this.catalog = catalog;
        this.kubernetes = kubernetes;
    }

    @GET
    @SecurityRequirement(name = "clusterToken")
    @Operation(operationId = "getMyTier", summary = "Your tier and its limits",
            description = "Authenticates your own cluster token (as for minting) and resolves your groups like the"
                    + " gateway's lookup does.")
    @APIResponse(responseCode = "200", description = "Your tier", content = @Content(
            schema = @Schema(implementation = CallerTier.class), examples = @ExampleObject(name = "premium", value =
            "{\"username\": \"alice\", \"groups\": [\"system:authenticated\", \"premium-users\"], \"tier\": \"premium\","
                    + " \"displayName\": \"Premium Tier\", \"description\": \"Higher limits for paying teams\", \"level\": 1,"
                    + " \"limits\": {\"requests\": [{\"limit\": 20, \"window\": \"2m\"}],"
                    + " \"tokens\": [{\"limit\": 50000, \"window\": \"1m\"}]}}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "A token maas-api issued (use your own cluster identity), or no"
            + " tier holds any of your groups", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public CallerTier me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller.Person caller = kubernetes.call(() -> authenticator.person(authorization, "look up your tier"));
        Tier tier = catalog.tierOf(caller);
        return CallerTier.of(caller.username(), caller.groups(), tier);
    }
}
