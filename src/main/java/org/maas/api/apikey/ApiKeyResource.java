package org.maas.api.apikey;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;

@Path("/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys", description = "Named keys for the gateway, each revocable on its own")
@SecurityRequirement(name = "clusterToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "500", ref = "InternalError")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class ApiKeyResource {

    /** The 403 of a MaaS token: {@code MAAS_TOKEN + "list API keys" + OWN_IDENTITY}, a constant for the annotations. */
    private static final String MAAS_TOKEN =
            "{\"error\": \"forbidden\", \"message\": \"this is a token maas-api issued (a MaaS token or API key); it cannot ";
    private static final String OWN_IDENTITY = ". Use your own cluster identity ...\"}";
    private static final String NOT_FOUND_EXAMPLE =
            "{\"error\": \"not_found\", \"message\": \"no API key with id \\\"6f1c...\\\" among yours; GET /v1/api-keys lists them\"}";

    private final CallerAuthenticator authenticator;
    private final ApiKeyService keys;
    private final KubernetesGuard kubernetes;

    ApiKeyResource(CallerAuthenticator authenticator, ApiKeyService keys, KubernetesGuard kubernetes) {
        this.authenticator = authenticator;
        this.keys = keys;
        this.kubernetes = kubernetes;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createApiKey", summary = "Create a named API key",
            description = "A key is a token for the gateway, like POST /v1/tokens, bound to a Secret in your tier's"
                    + " namespace: deleting the key revokes it alone. The key text is in this answer only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateApiKeyRequest.class),
            examples = {@ExampleObject(name = "name only", value = "{\"name\": \"ci-pipeline\"}"),
                    @ExampleObject(name = "all fields", value = "{\"name\": \"ci-pipeline\", \"description\":"
                            + " \"GitHub Actions of team-a/app\", \"expiration\": \"2160h\"}")}))
    @APIResponse(responseCode = "201", description = "The key",
            content = @Content(schema = @Schema(implementation = CreatedApiKey.class), examples = @ExampleObject(
                    name = "key", value = "{\"id\": \"6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b\", \"name\": \"ci-pipeline\","
                    + " \"description\": \"\", \"key\": \"eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsibWFhcy1kZWZhdWx0LWdhdGV3YXktc2EiXX0.c2ln\","
                    + " \"createdAt\": 1764174600, \"expiresAt\": 1766766600, \"tier\": \"free\"}")))
    @APIResponse(responseCode = "400", description = "The body is not valid UTF-8 JSON of this shape, or the name has a"
            + " control, format or invisible character (or a lone surrogate), named with its position, or is only spaces",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = {
                    @ExampleObject(name = "hidden character", value = "{\"error\": \"bad_request\", \"message\": \"name:"
                            + " character U+202E (RIGHT-TO-LEFT OVERRIDE) at position 4 (counting from 1) is a control or"
                            + " format character, which does not show or reorders what is shown; use characters that show\"}"),
                    @ExampleObject(name = "not UTF-8", value = "{\"error\": \"bad_request\", \"message\": \"the request body"
                            + " is not valid UTF-8: a malformed or overlong byte sequence at byte 17 (0-based)\"}")}))
    @APIResponse(responseCode = "403", description = "A MaaS token or key used as the caller (use your own identity), or no tier for your groups",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = {
                    @ExampleObject(name = "maas token", value = MAAS_TOKEN + "create API keys" + OWN_IDENTITY),
                    @ExampleObject(name = "no tier", value = "{\"error\": \"forbidden\", \"message\": \"no tier includes any of your groups [contractors]; ask an administrator to add one of them to a tier\"}")}))
    @APIResponse(responseCode = "409", description = "A live key of yours has that name (compared after NFC"
            + " normalization and trimming of spaces), you hold maas.api-keys.max-per-user live keys, or your accounts"
            + " were revoked (DELETE /v1/tokens, an admin) while this key was being created",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = {
                    @ExampleObject(name = "name", value = "{\"error\": \"conflict\", \"message\": \"you already have a live API key named \\\"ci-pipeline\\\"; pick another name, or delete that key first\"}"),
                    @ExampleObject(name = "limit", value = "{\"error\": \"conflict\", \"message\": \"you have 50 live API keys, the most allowed is 50 (maas.api-keys.max-per-user): ...\"}")}))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CreateApiKeyRequest request) {
        CreatedApiKey created = kubernetes.call(() -> keys.create(authenticator.person(authorization, "create API keys"), request));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Operation(operationId = "listApiKeys", summary = "List your API keys",
            description = "Newest first, in every tier namespace, never the key text. status is computed when read:"
                    + " expired keys stay listed until maas.api-keys.cleanup-grace after their expiry.")
    @APIResponse(responseCode = "200", description = "Your keys",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyInfo.class),
                    examples = @ExampleObject(name = "keys", value = "[{\"id\": \"6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b\","
                            + " \"name\": \"ci-pipeline\", \"description\": \"\", \"createdAt\": 1764174600,"
                            + " \"expiresAt\": 1766766600, \"tier\": \"free\", \"status\": \"active\"}]")))
    @APIResponse(responseCode = "403", description = "A MaaS token or key used as the caller: use your own identity",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "maas token",
                    value = MAAS_TOKEN + "list API keys" + OWN_IDENTITY)))
    public List<ApiKeyInfo> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return kubernetes.call(() -> keys.list(authenticator.person(authorization, "list API keys")));
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getApiKey", summary = "One of your API keys", description = "Never the key text.")
    @APIResponse(responseCode = "200", description = "The key",
            content = @Content(schema = @Schema(implementation = ApiKeyInfo.class), examples = @ExampleObject(name = "key",
                    value = "{\"id\": \"6f1c2a9e-8d3b-4b7a-9e0f-2c4d5e6f7a8b\", \"name\": \"ci-pipeline\", \"description\": \"\","
                            + " \"createdAt\": 1764174600, \"expiresAt\": 1766766600, \"tier\": \"free\", \"status\": \"active\"}")))
    @APIResponse(responseCode = "404", description = "No key of yours has this id (another user's id answers the same)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "unknown",
                    value = NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "403", description = "A MaaS token or key used as the caller: use your own identity",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "maas token",
                    value = MAAS_TOKEN + "show API keys" + OWN_IDENTITY)))
    public ApiKeyInfo get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @Parameter(description = "The key's id from the create answer or the list") @PathParam("id") String id) {
        return kubernetes.call(() -> keys.get(authenticator.person(authorization, "show API keys"), id));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteApiKey", summary = "Revoke one of your API keys",
            description = "Deletes the key's Secret: the API server stops authenticating the key at once, your other"
                    + " keys and tokens keep working. The gateway may accept it for up to its review cache TTL (60 s).")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No key of yours has this id (another user's id answers the same)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "unknown",
                    value = NOT_FOUND_EXAMPLE)))
    @APIResponse(responseCode = "403", description = "A MaaS token or key used as the caller: use your own identity",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "maas token",
                    value = MAAS_TOKEN + "revoke API keys" + OWN_IDENTITY)))
    public void delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                       @Parameter(description = "The key's id") @PathParam("id") String id) {
        kubernetes.call(() -> {
            keys.delete(authenticator.person(authorization, "revoke API keys"), id);
            return null;
        });
    }
}
