package org.maas.api.access;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.identity.BearerToken;
import org.maas.api.identity.Caller;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;

/** Why the gateway lets the caller through, or answers 403 or 429: one answer, about the caller only. */
@Path("/v1/access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access", description = "Why the gateway answers you 403 or 429")
public class AccessResource {

    private final CallerAuthenticator authenticator;
    private final AccessService service;
    private final KubernetesGuard kubernetes;

    AccessResource(CallerAuthenticator authenticator, AccessService service, KubernetesGuard kubernetes) {
        this.authenticator = authenticator;
        this.service = service;
        this.kubernetes = kubernetes;
    }

    @GET
    @SecurityRequirement(name = "clusterToken")
    @SecurityRequirement(name = "maasToken")
    @Operation(operationId = "getAccess", summary = "Explain what the gateway decides about you",
            description = "Who you are as the gateway sees you (the TokenReview's username and groups; for a MaaS"
                    + " token or API key its owner, key name and expiry), your tier and which group put you there,"
                    + " each model and whether the gateway's SubjectAccessReview allows you, with the API server's"
                    + " reason (the binding that allowed), your limits with what is used and left, and how long a"
                    + " change takes to reach the gateway. Only about you: a model you may not call is named only when"
                    + " its tier annotation grants your tier (it should be yours: the answer says what is missing);"
                    + " other models are only counted (hiddenModels). Having no tier is an answer (200), not a 403."
                    + " 503 when the Kubernetes API does not answer within maas.kubernetes.request-deadline or the"
                    + " model list has not loaded; Limitador not answering leaves usage null with usageProblem.")
    @APIResponse(responseCode = "200", description = "The explanation; never cache it",
            headers = @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = AccessReport.class)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response access(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        AccessService.Decided decided = kubernetes.call(() -> {
            Caller caller = authenticator.anyCaller(authorization);
            return service.decide(caller, BearerToken.from(authorization));
        });
        return Response.ok(service.report(decided)).header("Cache-Control", "no-store").build();
    }
}
