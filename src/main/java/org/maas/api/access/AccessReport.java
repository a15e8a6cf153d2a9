package org.maas.api.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.maas.api.usage.UsageEntry;

/** The answer of GET /v1/access: everything the gateway will decide about the caller, and why. */
@Schema(name = "Access", description = "What the gateway will decide about you, and why",
        requiredProperties = {"caller", "gateway", "tier", "models", "hiddenModels", "limits", "propagation"})
public record AccessReport(
        Caller caller,
        GatewayIdentity gateway,
        TierReason tier,
        @Schema(description = "Every model on the gateway you may call, and every one your tier's annotation grants"
                + " (allowed or not); empty, never null")
        List<ModelAccess> models,
        @Schema(description = "Models on the gateway left out of `models`: you may not call them and their tier"
                + " annotation does not grant your tier, so their names are not shown", example = "2")
        int hiddenModels,
        Limits limits,
        @Schema(description = "How long a change takes to reach the gateway: each cache between a change and a"
                + " model call, with its lifetime")
        List<Cache> propagation) {

    public AccessReport {
        models = List.copyOf(models);
        propagation = List.copyOf(propagation);
    }

    @Schema(name = "AccessCaller", description = "Who you are, as the API server's TokenReview of your bearer token says",
            requiredProperties = {"credential", "username", "groups"})
    public record Caller(
            @Schema(description = "cluster-token (your own identity), maas-token (POST /v1/tokens) or api-key"
                    + " (POST /v1/api-keys)", example = "api-key")
            String credential,
            @Schema(description = "The username the TokenReview gave",
                    example = "system:serviceaccount:maas-default-gateway-tier-premium:pat-0a1b2c3d4e5f6g7h8i9j")
            String username,
            @Schema(description = "The groups the TokenReview gave: they decide the tier",
                    example = "[\"system:serviceaccounts\", \"system:serviceaccounts:maas-default-gateway-tier-premium\","
                            + " \"system:authenticated\"]")
            List<String> groups,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "For a MaaS token or API key: the user it was issued to", example = "pat")
            String owner,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "For an API key: its name", example = "laptop")
            String keyName,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "For an API key: its id (DELETE /v1/api-keys/{id})")
            String keyId,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "When the token stops working (RFC 3339); absent for a token that carries no expiry",
                    example = "2026-12-03T23:04:05Z")
            String expiresAt) {

        public Caller {
            groups = List.copyOf(groups);
        }
    }

    @Schema(name = "AccessGatewayIdentity", description = "The identity the gateway reviews on a model call",
            requiredProperties = {"acceptsThisCredential", "username", "groups", "userid", "note"})
    public record GatewayIdentity(
            @Schema(description = "Whether the gateway takes the token you sent on model routes (only MaaS tokens"
                    + " and API keys: a cluster token gets 401 there)", example = "true")
            boolean acceptsThisCredential,
            @Schema(nullable = true, description = "The user the gateway's SubjectAccessReview asks about: yours,"
                    + " or for a cluster token the ServiceAccount a token you mint would be; null without a tier")
            String username,
            @Schema(description = "The groups the gateway sends to the tier lookup and the SubjectAccessReview")
            List<String> groups,
            @Schema(nullable = true, description = "What the rate limits count you by (auth.identity.userid)",
                    example = "pat-0a1b2c3d4e5f6g7h8i9j")
            String userid,
            @Schema(description = "What this means for your calls", example = "Model calls with this token are"
                    + " reviewed as this ServiceAccount.")
            String note) {

        public GatewayIdentity {
            groups = List.copyOf(groups);
        }
    }

    @Schema(name = "AccessTier", description = "Your tier and why",
            requiredProperties = {"outcome", "name", "level", "matchedGroups", "alsoMatched", "why"})
    public record TierReason(
            @Schema(description = "matched (a group of yours is in a tier), default_tier (none is, and"
                    + " maas.tiers.default-tier applies), not_found (none is, no default tier) or unavailable"
                    + " (no tier config is loaded)", example = "matched")
            String outcome,
            @Schema(nullable = true, example = "premium") String name,
            @Schema(nullable = true, example = "1") Integer level,
            @Schema(description = "Your groups that put you in this tier; empty for the default tier or none")
            List<String> matchedGroups,
            @Schema(description = "Lower tiers your groups are also in: the highest level wins (equal levels: the"
                    + " first tier in the config)")
            List<OtherTier> alsoMatched,
            @Schema(description = "The reason, in a sentence", example = "your group premium-users is in tier"
                    + " premium (level 1)")
            String why) {

        public TierReason {
            matchedGroups = List.copyOf(matchedGroups);
            alsoMatched = List.copyOf(alsoMatched);
        }
    }

    @Schema(name = "AccessOtherTier", requiredProperties = {"name", "level", "groups"})
    public record OtherTier(@Schema(example = "free") String name, @Schema(example = "0") int level,
                            @Schema(example = "[\"system:authenticated\"]") List<String> groups) {
        public OtherTier {
            groups = List.copyOf(groups);
        }
    }

    @Schema(name = "AccessModel", description = "One model on the gateway and the gateway's decision for you",
            requiredProperties = {"id", "namespace", "name", "url", "ready", "allowed", "reason", "annotationTiers",
                    "why"})
    public record ModelAccess(
            @Schema(description = "What to send as \"model\"", example = "meta-llama/Llama-3.1-8B-Instruct") String id,
            @Schema(example = "llm") String namespace,
            @Schema(description = "The LLMInferenceService's name (the path is /<namespace>/<name>/...)",
                    example = "llama") String name,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, example = "https://maas.apps.example.com/llm/llama") String url,
            boolean ready,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, description = "The gateway's SubjectAccessReview (post on the"
                    + " llminferenceservice) for your gateway identity; null when the review failed")
            Boolean allowed,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, description = "The API server's own reason, verbatim: the RBAC authorizer names"
                    + " the RoleBinding or ClusterRoleBinding that allowed; empty when it gave none",
                    example = "RBAC: allowed by RoleBinding \"maas-model-llama-access/llm\" of Role"
                            + " \"maas-model-llama-access\" to Group \"system:serviceaccounts:maas-default-gateway-tier-premium\"")
            String reason,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, description = "The tiers the model's annotation alpha.maas.opendatahub.io/tiers"
                    + " grants; null when it has none", example = "[\"enterprise\", \"premium\"]")
            List<String> annotationTiers,
            @Schema(description = "Why, in a sentence, and what to do") String why) {
    }

    @Schema(name = "AccessLimits", description = "Your tier's limits, what you used, and what happens at each",
            requiredProperties = {"limits", "usage", "usageProblem"})
    public record Limits(
            @Schema(description = "Each limit of your tier (empty without a tier)") List<Limit> limits,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, description = "GET /v1/usage's entries for the models you may call; null when"
                    + " Limitador could not be read (usageProblem says why)")
            List<UsageEntry> usage,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(nullable = true, description = "Why usage is missing or partial; null when complete")
            String usageProblem) {
    }

    @Schema(name = "AccessLimit", requiredProperties = {"kind", "name", "limit", "window", "policy", "atLimit"})
    public record Limit(
            @Schema(description = "requests or tokens", example = "requests") String kind,
            @Schema(description = "The limit's name in the gateway's policies and Limitador",
                    example = "premium-requests-2m") String name,
            @Schema(description = "Per window, per model", example = "20") long limit,
            @Schema(example = "2m") String window,
            @Schema(description = "The Kuadrant policy that enforces it", example = "gateway-rate-limits") String policy,
            @Schema(description = "What the gateway does when you reach it") String atLimit) {
    }

    @Schema(name = "AccessCache", description = "One cache between a change and a model call",
            requiredProperties = {"where", "rule", "ttlSeconds", "delays", "source"})
    public record Cache(
            @Schema(description = "gateway (Authorino, from the AuthPolicy) or maas-api", example = "gateway")
            String where,
            @Schema(description = "Which rule or setting caches", example = "authorization.model-access") String rule,
            @Schema(example = "60") long ttlSeconds,
            @Schema(description = "Which change waits for it", example = "a RoleBinding or tier annotation change"
                    + " reaches model calls of a user already seen") String delays,
            @Schema(description = "Where the lifetime was read", example = "the AuthPolicy gateway-auth-policy shipped"
                    + " with this maas-api (policies/gateway-auth-policy.yaml)") String source) {
    }
}
