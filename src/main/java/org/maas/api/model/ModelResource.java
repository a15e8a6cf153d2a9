package org.maas.api.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.identity.Caller;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.tier.TierCatalog;

/** The models the caller may call through the gateway, in the OpenAI list format. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "The models you may call through the gateway")
@SecurityScheme(securitySchemeName = "maasToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token from POST /v1/tokens (what the gateway takes for the models)")
public class ModelResource {

    private final CallerAuthenticator authenticator;
    private final TierCatalog tiers;
    private final VisibleModels visible;
    private final KubernetesGuard kubernetes;
    private final ObjectWriter writer;
    /**
     * The answer encoded once per list of visible models, by identity (weak keys: an entry goes with its list).
     * ModelAccess hands out the same list while its answer holds, one list for equal answers; at most 1 MiB.
     */
    private final Cache<List<Model>, byte[]> encoded = Caffeine.newBuilder().weakKeys()
            .maximumWeight(1 << 20).weigher((List<Model> models, byte[] body) -> body.length).build();

    ModelResource(CallerAuthenticator authenticator, TierCatalog tiers, VisibleModels visible, KubernetesGuard kubernetes,
                  ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.tiers = tiers;
        this.visible = visible;
        this.kubernetes = kubernetes;
        this.writer = mapper.writerFor(ModelList.class);
    }

    @GET
    @SecurityRequirement(name = "clusterToken")
    @SecurityRequirement(name = "maasToken")
    @Operation(operationId = "listModels", summary = "List the models you may call",
            description = "The LLMInferenceServices attached to the MaaS gateway that the gateway would let your"
                    + " MaaS identity call: the same SubjectAccessReview as the gateway's (verb post on the"
                    + " llminferenceservice in its namespace), for a MaaS token's own ServiceAccount, or for a cluster"
                    + " token, the ServiceAccount a mint would give you in your tier. Decisions are cached for"
                    + " maas.models.access-cache-ttl. A model whose decision could not be made is left out. 503"
                    + " also when the model list has not loaded yet, or the Kubernetes API did not answer within"
                    + " maas.kubernetes.request-deadline.")
    @APIResponse(responseCode = "200", description = "The models (OpenAI list format); never cache it",
            headers = @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = ModelList.class), examples = @ExampleObject(
                    name = "models", value = "{\"object\": \"list\", \"data\": [{\"id\": \"meta-llama/Llama-3.1-8B-Instruct\","
                    + " \"object\": \"model\", \"created\": 1764174600, \"owned_by\": \"llm\","
                    + " \"url\": \"https://maas.apps.example.com/llm/llama\", \"ready\": true}]}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "No tier holds any of your groups",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "no tier",
                    value = "{\"error\": \"forbidden\", \"message\": \"no tier includes any of your groups [contractors]; ask an administrator to add one of them to a tier\"}")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        List<Model> models = kubernetes.call(() -> {
            Caller caller = authenticator.anyCaller(authorization);
            String tier = tiers.tierOf(caller).name();
            return visible.of(caller, tier);
        });
        return Response.ok(encoded.get(models, this::encode))
                .header("Cache-Control", "no-store").build();
    }

    private byte[] encode(List<Model> models) {
        try {
            return writer.writeValueAsBytes(ModelList.of(models.stream().map(ModelInfo::of).toList()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
