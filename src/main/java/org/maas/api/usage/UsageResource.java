package org.maas.api.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.maas.api.error.ApiError;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.identity.CallerAuthenticator;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.model.Model;
import org.maas.api.model.VisibleModels;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierCatalog;

/** What the caller used of their tier's limits, and what is left, per model they may use. */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage", description = "Your quota: used and left, per model and window")
public class UsageResource {

    private final CallerAuthenticator authenticator;
    private final TierCatalog tiers;
    private final MaasIdentity identity;
    private final VisibleModels visible;
    private final KubernetesGuard kubernetes;
    private final UsageCalculator calculator;
    private final MeterProvider<Counter> answers;

    UsageResource(CallerAuthenticator authenticator, TierCatalog tiers, MaasIdentity identity, VisibleModels visible,
                  KubernetesGuard kubernetes, UsageCalculator calculator, MeterRegistry registry) {
        this.authenticator = authenticator;
        this.tiers = tiers;
        this.identity = identity;
        this.visible = visible;
        this.kubernetes = kubernetes;
        this.calculator = calculator;
        this.answers = Counter.builder("maas_usage_requests").description("GET /v1/usage answers, by outcome")
                .withRegistry(registry);
    }

    private record Scope(Tier tier, String userid, List<Model> models) {
    }

    @GET
    @SecurityRequirement(name = "clusterToken")
    @SecurityRequirement(name = "maasToken")
    @Operation(operationId = "getUsage", summary = "Show what you used and what is left, per model and window",
            description = "For each model GET /v1/models lists for you and each limit of your tier (requests and"
                    + " tokens, every window): the counter the gateway keeps for you on that model's route. Limits"
                    + " are per model: each model route has its own counters. Counters are read from Limitador and"
                    + " cached for maas.usage.cache-ttl. Models whose counters Limitador did not give within"
                    + " maas.usage.limitador-timeout are left out and the answer says partial: true; when that is"
                    + " every model, the answer is 503.")
    @APIResponse(responseCode = "200", description = "Your usage; never cache it",
            headers = @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = UsageReport.class), examples = @ExampleObject(
                    name = "usage", value = "{\"tier\": \"premium\", \"checkedAt\": \"2026-12-01T15:30:00Z\", \"usage\": ["
                    + "{\"model\": \"ibm/granite\", \"limit\": \"premium-requests-2m\", \"kind\": \"requests\","
                    + " \"window\": \"2m\", \"max\": 20, \"used\": 3, \"remaining\": 17, \"resetsInSeconds\": 71},"
                    + " {\"model\": \"ibm/granite\", \"limit\": \"premium-tokens-1m\", \"kind\": \"tokens\","
                    + " \"window\": \"1m\", \"max\": 50000, \"used\": 0, \"remaining\": 50000, \"resetsInSeconds\": null}]}")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", description = "No tier holds any of your groups",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "no tier",
                    value = "{\"error\": \"forbidden\", \"message\": \"no tier includes any of your groups [contractors]; ask an administrator to add one of them to a tier\"}")))
    @APIResponse(responseCode = "406", ref = "NotAcceptable")
    @APIResponse(responseCode = "500", ref = "InternalError")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response usage(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        try {
            Scope scope = kubernetes.call(() -> {
                Caller caller = authenticator.anyCaller(authorization);
                Tier tier = tiers.tierOf(caller);
                return new Scope(tier, identity.userid(caller), visible.of(caller, tier.name()));
            });
            UsageReport report = calculator.report(scope.tier(), scope.userid(), scope.models());
            count(report.partial() == null ? "ok" : "partial");
            return Response.ok(report).header("Cache-Control", "no-store").build();
        } catch (ApiException e) {
            count(e.code());
            throw e;
        } catch (RuntimeException e) {
            count("error");
            throw e;
        }
    }

    private void count(String outcome) {
        answers.withTags("outcome", outcome).increment();
    }
}
