package org.maas.api.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.identity.Caller;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;

@Path("/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens", description = "Self-service tokens for the gateway, minted from your own cluster identity")
@SecurityRequirement(name = "clusterToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "406", ref = "NotAcceptable")
@APIResponse(responseCode = "500", ref = "InternalError")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class TokenResource {

    private final CallerAuthenticator authenticator;
    private final TokenIssuer issuer;
    private final MintRequestReader reader;
    private final KubernetesGuard kubernetes;

    TokenResource(CallerAuthenticator authenticator, TokenIssuer issuer, MintRequestReader reader,
                  KubernetesGuard kubernetes) {
        this.authenticator = authenticator;
        this.issuer = issuer;
        this.reader = reader;
        this.kubernetes = kubernetes;
    }

    @POST
    @Operation(operationId = "mintToken", summary = "Mint a token for the gateway",
            description = "Authenticates your bearer token with a TokenReview, finds your tier from your groups and"
                    + " issues a token for your ServiceAccount in the tier's namespace. Minting again gives another"
                    + " token; earlier ones stay valid until they expire or you revoke them. If your tier changed,"
                    + " the tokens of your old tier stop working.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MintTokenRequest.class),
            examples = {@ExampleObject(name = "duration", value = "{\"expiration\": \"2h30m\"}"),
                    @ExampleObject(name = "seconds", value = "{\"expiration\": \"7200s\"}")}))
    @APIResponse(responseCode = "201", description = "The token",
            content = @Content(schema = @Schema(implementation = TokenResponse.class), examples = @ExampleObject(
                    name = "token", value = "{\"token\": \"eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsibWFhcy1kZWZhdWx0LWdhdGV3YXktc2EiXX0.c2ln\","
                    + " \"expiration\": \"4h\", \"expiresAt\": 1764189000, \"issuedAt\": 1764174600,"
                    + " \"jti\": \"0e6a3f6c-2b5d-4c8e-9a51-3f1f7f0c2d11\"}")))
    @APIResponse(responseCode = "400", description = "Unparsable or out-of-range expiration, unknown field, malformed JSON",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "range",
                    value = "{\"error\": \"bad_request\", \"message\": \"expiration: \\\"9m59s\\\" is out of range; send a duration between 10m and 720h ...\"}")))
    @APIResponse(responseCode = "403", description = "A token maas-api issued (use your own identity), or no tier"
            + " for your groups", content = @Content(schema = @Schema(implementation = ApiError.class),
            examples = @ExampleObject(name = "no tier", value = "{\"error\": \"forbidden\", \"message\": \"no tier"
                    + " includes any of your groups [contractors]; ask an administrator to add one of them to a tier\"}")))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    public Response mint(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                         @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body)
            throws JsonProcessingException {
        TokenResponse token = kubernetes.call(() -> {
            Caller.Person caller = authenticator.person(authorization, "mint tokens");
            return issuer.mint(caller, reader.read(contentType, body));
        });
        return Response.status(Response.Status.CREATED).entity(token).build();
    }

    @DELETE
    @Operation(operationId = "revokeTokens", summary = "Revoke all your tokens",
            description = "Deletes your ServiceAccount in every tier namespace, which invalidates every token minted"
                    + " for you. The next mint creates a new account. Also 204 when there was nothing to revoke.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "403", description = "A token maas-api issued: revoke with your own identity",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public void revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        kubernetes.call(() -> {
            issuer.revoke(authenticator.person(authorization, "revoke tokens"));
            return null;
        });
    }
}
