package org.maas.api.admin;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.http.QueryParameters;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.apikey.ApiKeyInfo;

@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Revoke a user's tokens and keys, list keys; authorized by the cluster's RBAC")
@SecurityRequirement(name = "clusterToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", description = "You may not delete serviceaccounts in a configured tier namespace"
        + " (SubjectAccessReviews for you, asked before anything is read, so the answer is the same whatever the user"
        + " holds), or a MaaS token was used",
        content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "rbac",
                value = "{\"error\": \"forbidden\", \"message\": \"you may not delete serviceaccounts in namespace maas-default-gateway-tier-free, which this admin action needs (in every tier namespace concerned)\"}")))
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "500", ref = "InternalError")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class AdminResource {

    private final CallerAuthenticator authenticator;
    private final AdminRevocations admin;
    private final KubernetesGuard kubernetes;

    AdminResource(CallerAuthenticator authenticator, AdminRevocations admin, KubernetesGuard kubernetes) {
        this.authenticator = authenticator;
        this.admin = admin;
        this.kubernetes = kubernetes;
    }

    @DELETE
    @Path("users/{username}/tokens")
    @Operation(operationId = "adminRevokeUserTokens", summary = "Revoke everything a user holds",
            description = "Deletes the user's ServiceAccount in every tier namespace: every token and API key of theirs"
                    + " stops authenticating at the API server (the gateway's review cache adds up to 60 s). Needs"
                    + " delete serviceaccounts in every configured tier namespace and wherever the user has an account."
                    + " With dryRun=true it answers the same and changes nothing.")
    @APIResponse(responseCode = "200", description = "What was revoked (or, with dryRun, would be)",
            content = @Content(schema = @Schema(implementation = UserRevocation.class), examples = @ExampleObject(
                    name = "revoked", value = "{\"user\": \"alice\", \"dryRun\": false, \"accounts\": [{\"tier\": \"free\","
                    + " \"namespace\": \"maas-default-gateway-tier-free\", \"serviceAccount\": \"alice-0v4c3k2m9q1s7t5u8e6r\","
                    + " \"apiKeys\": [{\"id\": \"6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b\", \"name\": \"ci-pipeline\","
                    + " \"description\": \"\", \"createdAt\": 1764174600, \"expiresAt\": 1766766600, \"tier\": \"free\","
                    + " \"status\": \"active\"}]}]}")))
    @APIResponse(responseCode = "400", description = "dryRun is not exactly true or false, given once (bare, empty,"
            + " repeated, another case of its name or its value): nothing was done",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "dryRun",
                    value = "{\"error\": \"bad_request\", \"message\": \"dryRun: true or false (lower case), not \\\"True\\\"\"}")))
    @APIResponse(responseCode = "404", description = "The user holds no ServiceAccount in any tier namespace: nothing to"
            + " revoke. User names are exact and case-sensitive, so a typo (ALICE, a trailing space) lands here rather"
            + " than in an empty success. Answered only to a caller the SubjectAccessReviews allowed.",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "unknown user",
                    value = "{\"error\": \"not_found\", \"message\": \"user \\\"ALICE\\\" holds no ServiceAccount in any tier"
                            + " namespace: nothing to revoke (user names are exact and case-sensitive)\"}")))
    public UserRevocation revokeUserTokens(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "The user's name as the cluster knows it") @PathParam("username") String username,
            @Parameter(description = "true: answer what would be revoked, change nothing. Exactly true or false, once;"
                    + " anything else is a 400", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("dryRun") String dryRun, @Context UriInfo uri) {
        // dryRun as JAX-RS reads it (first of repeated values, null when bare) is not trusted: the raw query is.
        boolean dry = QueryParameters.of(uri.getRequestUri().getRawQuery(), Set.of("dryRun")).flag("dryRun", false);
        return kubernetes.call(() -> admin.revoke(authenticator.person(authorization, "revoke a user's tokens and keys"),
                username, dry));
    }

    @GET
    @Path("api-keys")
    @Operation(operationId = "adminListApiKeys", summary = "List API keys of a user, of a tier, or all",
            description = "Never the key text. Needs delete serviceaccounts in the tier namespaces concerned (the given"
                    + " tier's, else every configured one, and wherever a listed key lives). user and tier are exact,"
                    + " given at most once.")
    @APIResponse(responseCode = "200", description = "The keys, newest first, with their owner",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyInfo.class),
                    examples = @ExampleObject(name = "keys", value = "[{\"id\": \"6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b\","
                            + " \"name\": \"ci-pipeline\", \"description\": \"\", \"createdAt\": 1764174600,"
                            + " \"expiresAt\": 1766766600, \"tier\": \"free\", \"status\": \"active\", \"user\": \"alice\"}]")))
    @APIResponse(responseCode = "400", description = "tier is not a tier name (a DNS-1123 label)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "tier",
                    value = "{\"error\": \"bad_request\", \"message\": \"tier: not a tier name (a DNS-1123 label)\"}")))
    @APIResponse(responseCode = "404", description = "tier names no configured tier, or user holds no ServiceAccount in any"
            + " tier namespace (so no key; a user with an account and no keys gets 200 []). Answered only to a caller"
            + " the SubjectAccessReviews allowed.",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "unknown tier",
                    value = "{\"error\": \"not_found\", \"message\": \"no tier named \\\"bogus\\\" is configured; GET /v1/tiers lists them\"}")))
    public List<ApiKeyInfo> listUserApiKeys(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "Only this user's keys") @QueryParam("user") String user,
            @Parameter(description = "Only keys of this tier") @QueryParam("tier") String tier, @Context UriInfo uri) {
        QueryParameters query = QueryParameters.of(uri.getRequestUri().getRawQuery(), Set.of("user", "tier"));
        Optional<String> onlyUser = query.single("user").filter(value -> !value.isEmpty());
        Optional<String> onlyTier = query.single("tier").filter(value -> !value.isEmpty());
        return kubernetes.call(() -> admin.list(authenticator.person(authorization, "list users' API keys"),
                onlyUser, onlyTier));
    }
}
