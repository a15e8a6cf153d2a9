package org.maas.api.doctor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.admin.AdminAuthorizer;
import org.maas.api.error.ApiError;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;

@Path("/v1/admin/doctor")
@Tag(name = "admin")
public class DoctorResource {

    private final CallerAuthenticator authenticator;
    private final AdminAuthorizer authorizer;
    private final KubernetesGuard kubernetes;
    private final DoctorSetup doctor;

    DoctorResource(CallerAuthenticator authenticator, AdminAuthorizer authorizer, KubernetesGuard kubernetes,
                   DoctorSetup doctor) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.kubernetes = kubernetes;
        this.doctor = doctor;
    }

    /** The report schema: the worst status and every check. */
    @Schema(name = "DoctorReport", description = "Every check of the doctor and the worst of their statuses",
            requiredProperties = {"status", "checks"})
    public record Body(@Schema(description = "The worst status of any check") Check.Status status,
                       List<Check> checks) {
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @SecurityRequirement(name = "clusterToken")
    @Operation(operationId = "adminDoctor", summary = "Check that the gateway enforces what maas-api expects",
            description = "Every check a platform admin would run by hand after the gateway setup guide: the Gateway,"
                    + " each shipped policy's Accepted and Enforced conditions and drift from the live tier config,"
                    + " the tier lookup callout and audiences, Limitador's limits, the models on the gateway, maas-api's"
                    + " own permissions, and ServiceAccounts in tier namespaces owned by users who left the tier. Each"
                    + " check has a deadline (maas.doctor.check-deadline) and is `unknown` with the reason when what it"
                    + " reads does not answer. JSON by default; `Accept: text/plain` gives an aligned table. Authorized"
                    + " like the other admin endpoints: delete serviceaccounts in every configured tier namespace,"
                    + " asked before anything is read. Always 200 once authorized, whatever the checks found.")
    @APIResponse(responseCode = "200", description = "The checks, in a fixed order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Body.class),
                    examples = @ExampleObject(name = "report", value = "{\"status\": \"fail\", \"checks\": [{\"check\":"
                            + " \"gateway.programmed\", \"status\": \"pass\", \"seen\": \"Gateway openshift-ingress/"
                            + "maas-default-gateway: Programmed=True (Programmed)\", \"fix\": null}, {\"check\":"
                            + " \"policy.gateway-token-rate-limits\", \"status\": \"fail\", \"seen\": \"TokenRateLimitPolicy"
                            + " openshift-ingress/gateway-token-rate-limits: Accepted=True (Accepted); Enforced=False"
                            + " (Overridden): TokenRateLimitPolicy is overridden by [openshift-ingress/other]\", \"fix\":"
                            + " \"another policy replaces it (named in the message): remove that policy or move its"
                            + " rules into this one; until then these rules are not enforced\"}]}")),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING,
                    description = "The same checks as a table: CHECK, STATUS, SEEN, FIX, columns aligned with spaces"))})
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "You may not delete serviceaccounts in a configured tier namespace"
            + " (a SubjectAccessReview for you, asked before anything is read), or a MaaS token was used",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class),
                    examples = @ExampleObject(name = "rbac", value = "{\"error\": \"forbidden\", \"message\": \"you may not"
                            + " delete serviceaccounts in namespace maas-default-gateway-tier-free, which this admin action"
                            + " needs (in every tier namespace concerned)\"}")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response doctor(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpHeaders headers) {
        kubernetes.call(() -> {
            authorizer.requireDeleteServiceAccounts(authenticator.person(authorization, "run the gateway doctor"),
                    authorizer.configuredNamespaces());
            return null;
        });
        Doctor.Report report = doctor.get().run();
        return prefersText(headers.getAcceptableMediaTypes())
                ? Response.ok(DoctorTable.of(report), MediaType.TEXT_PLAIN_TYPE).build()
                : Response.ok(new Body(report.status(), report.checks()), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Text only when named before any JSON or wildcard: a wildcard (curl's default) gets JSON. */
    static boolean prefersText(List<MediaType> accepted) {
        for (MediaType type : accepted) {
            if ("0".equals(type.getParameters().get("q"))) {
                continue;
            }
            if (type.isWildcardType() || type.isWildcardSubtype() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_PLAIN_TYPE)) {
                return true;
            }
        }
        return false;
    }
}
