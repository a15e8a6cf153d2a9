package org.maas.api.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.maas.api.access.AccessReport.Cache;
import org.maas.api.access.AccessReport.GatewayIdentity;
import org.maas.api.access.AccessReport.Limit;
import org.maas.api.access.AccessReport.OtherTier;
import org.maas.api.access.AccessReport.TierReason;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.Caller;
import org.maas.api.identity.JwtClaims;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.identity.MaasSubject;
import org.maas.api.model.Model;
import org.maas.api.model.ModelAccess;
import org.maas.api.model.ModelCatalog;
import org.maas.api.model.TierAnnotation;
import org.maas.api.policy.PolicyRenderer;
import org.maas.api.tier.Groups;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierCatalog;
import org.maas.api.tier.TierIndex;
import org.maas.api.tier.TierLimits;
import org.maas.api.tier.TierMatch;
import org.maas.api.apikey.OwnCredentials;
import org.maas.api.usage.UsageCalculator;
import org.maas.api.usage.UsageReport;
import org.maas.api.apikey.OwnCredentials;

/**
 * Puts together GET /v1/access from what the other endpoints already decide: the caller's TokenReview, the
 * tier lookup, the gateway's SubjectAccessReview per model (with the API server's reason), the models' tier
 * annotations, the usage counters and the caches of the shipped AuthPolicy. Reads only the caller's own
 * objects (their ServiceAccount, their key's Secret).
 */
@ApplicationScoped
class AccessService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TierCatalog tiers;
    private final MaasIdentity identity;
    private final ModelCatalog catalog;
    private final ModelAccess access;
    private final UsageCalculator usage;
    private final KubernetesClient client;
    private final MaasConfig config;
    private final List<Cache> gatewayCaches = GatewayCaches.shipped();

    AccessService(TierCatalog tiers, MaasIdentity identity, ModelCatalog catalog, ModelAccess access,
                  UsageCalculator usage, KubernetesClient client, MaasConfig config) {
        this.tiers = tiers;
        this.identity = identity;
        this.catalog = catalog;
        this.access = access;
        this.usage = usage;
        this.client = client;
        this.config = config;
    }

    /** What the Kubernetes part decided, before the usage is read (outside the Kubernetes deadline). */
    record Decided(AccessReport.Caller caller, GatewayIdentity gateway, TierReason tier, Tier matched, String userid,
                   List<AccessReport.ModelAccess> models, List<Model> allowed, int hidden) {
    }

    /** Everything that needs the Kubernetes API; run within the request's deadline (KubernetesGuard). */
    Decided decide(Caller caller, String token) {
        TierIndex index = tiers.current();
        TierMatch match = tiers.match(caller);
        Tier tier = match.found() ? match.tier() : null;
        AccessReport.Caller who = describe(caller, token);
        TierReason reason = tierReason(caller, match, index);
        String userid = identity.userid(caller);
        if (tier == null) {
            GatewayIdentity gateway = new GatewayIdentity(caller instanceof Caller.MaasToken, caller instanceof
                    Caller.MaasToken ? caller.username() : null, caller instanceof Caller.MaasToken ? caller.groups()
                    : List.of(), caller instanceof Caller.MaasToken ? userid : null,
                    "without a tier the gateway answers 403 to every model call, before it looks at the model"
                            + (caller instanceof Caller.MaasToken ? "" : ", and minting a MaaS token is refused"));
            return new Decided(who, gateway, reason, null, userid, List.of(), List.of(), catalog.models().size());
        }
        MaasSubject reviewed = identity.subject(caller, tier.name());
        GatewayIdentity gateway = caller instanceof Caller.MaasToken
                ? new GatewayIdentity(true, reviewed.username(), reviewed.groups(), userid,
                        "model calls with this token are reviewed as exactly this identity")
                : new GatewayIdentity(false, reviewed.username(), reviewed.groups(), userid,
                        "the gateway refuses a cluster token on model routes (401): mint a MaaS token (POST /v1/tokens)"
                                + " or create an API key (POST /v1/api-keys); either is this ServiceAccount of tier "
                                + tier.name() + ", and the answers below are for it");
        List<AccessReport.ModelAccess> shown = new ArrayList<>();
        List<Model> allowed = new ArrayList<>();
        int hidden = 0;
        for (ModelAccess.Verdict verdict : access.verdicts(reviewed, catalog.models(), "GET /v1/access")) {
            String value = catalog.tierAnnotation(verdict.model());
            TierAnnotation annotation = value == null ? null : TierAnnotation.parse(value, index);
            boolean granted = annotation != null && annotation.tiers().contains(tier.name());
            if (Boolean.TRUE.equals(verdict.allowed())) {
                allowed.add(verdict.model());
            } else if (!granted) {
                hidden++; // neither callable nor offered to the caller's tier: its name stays private
                continue;
            }
            shown.add(model(verdict, annotation, granted, tier, caller));
        }
        return new Decided(who, gateway, reason, tier, userid, shown, allowed, hidden);
    }

    /** Adds the usage (Limitador, its own timeout) and the caches. */
    AccessReport report(Decided decided) {
        List<Limit> limits = decided.matched() == null ? List.of() : limits(decided.matched());
        AccessReport.Limits limitsAndUsage;
        if (decided.matched() == null) {
            limitsAndUsage = new AccessReport.Limits(limits, null, "no tier: no limits apply, every model call is 403");
        } else {
            try {
                UsageReport report = usage.report(decided.matched(), decided.userid(), decided.allowed());
                limitsAndUsage = new AccessReport.Limits(limits, report.usage(), Boolean.TRUE.equals(report.partial())
                        ? "the rate limiter (Limitador) did not answer for some models: their entries are missing" : null);
            } catch (ApiException e) {
                limitsAndUsage = new AccessReport.Limits(limits, null, e.getMessage());
            }
        }
        List<Cache> caches = new ArrayList<>(gatewayCaches);
        caches.add(new Cache("maas-api", "maas.identity.review-cache-ttl", seconds(config.identity().reviewCacheTtl()),
                "who you are, in this and every maas-api answer, may be this old after a token is revoked",
                "maas-api's configuration"));
        caches.add(new Cache("maas-api", "maas.models.access-cache-ttl", seconds(config.models().accessCacheTtl()),
                "allowed and reason here and in GET /v1/models may be this old after a RoleBinding changes",
                "maas-api's configuration"));
        caches.add(new Cache("maas-api", "maas.usage.cache-ttl", seconds(config.usage().cacheTtl()),
                "used and remaining here and in GET /v1/usage may be this old", "maas-api's configuration"));
        return new AccessReport(decided.caller(), decided.gateway(), decided.tier(), decided.models(), decided.hidden(),
                limitsAndUsage, caches);
    }

    // --- who ---

    private AccessReport.Caller describe(Caller caller, String token) {
        Optional<JwtClaims> claims = JwtClaims.peek(token); // the API server has just vouched for this token
        String expires = claims.map(JwtClaims::expiresAt).map(s -> Instant.ofEpochSecond(s).toString()).orElse(null);
        if (!(caller instanceof Caller.MaasToken maas)) {
            return new AccessReport.Caller("cluster-token", caller.username(), caller.groups(), null, null, null, expires);
        }
        String namespace = identity.tierNamespace(maas.tier());
        String secret = boundSecret(token);
        if (secret != null) {
            var key = get(namespace, "secrets", n -> client.secrets().inNamespace(n).withName(secret).get());
            var recorded = key == null ? Optional.<OwnCredentials.Key>empty()
                    : OwnCredentials.key(key)
                    .filter(k -> maas.serviceAccount().equals(k.ownerServiceAccount()));
            return new AccessReport.Caller("api-key", caller.username(), caller.groups(),
                    key == null ? null : OwnCredentials.owner(key).orElse(null),
                    recorded.map(OwnCredentials.Key::name).orElse(null),
                    recorded.map(OwnCredentials.Key::id).orElse(null), expires);
        }
        var account = get(namespace, "serviceaccounts",
                n -> client.serviceAccounts().inNamespace(n).withName(maas.serviceAccount()).get());
        return new AccessReport.Caller("maas-token", caller.username(), caller.groups(),
                account == null ? null : OwnCredentials.owner(account).orElse(null), null, null,
                expires);
    }

    private static <T extends HasMetadata> T get(String namespace, String resource, Function<String, T> read) {
        try {
            return read.apply(namespace);
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "get " + resource + " in namespace " + namespace);
        }
    }

    /** The Secret an API key's token is bound to ({@code kubernetes.io.secret.name}), read after the review. */
    static String boundSecret(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode name = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("kubernetes.io")
                    .path("secret").path("name");
            return name.isTextual() ? name.asText() : null;
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    // --- tier ---

    private TierReason tierReason(Caller caller, TierMatch match, TierIndex index) {
        String groups = Groups.abbreviate(caller.groups());
        return switch (match.outcome()) {
            case NO_CONFIG -> new TierReason("unavailable", null, null, List.of(), List.of(),
                    "maas-api has no valid tier config loaded" + lastChange() + ": the gateway's tier lookup fails,"
                            + " so every model call is 403 until an administrator fixes it");
            case NONE -> new TierReason("not_found", null, null, List.of(), List.of(),
                    "none of your groups " + groups + " is in a tier, and no default tier is set"
                            + " (maas.tiers.default-tier): the gateway answers 403 \"no MaaS tier for this identity\";"
                            + " ask an administrator to add one of your groups to a tier");
            case DEFAULT_TIER -> new TierReason("default_tier", match.tier().name(), match.tier().level(), List.of(),
                    List.of(), "none of your groups " + groups + " is in a tier; maas.tiers.default-tier puts you in "
                    + match.tier().name());
            case MATCHED -> matched(caller, match.tier(), index);
        };
    }

    private TierReason matched(Caller caller, Tier tier, TierIndex index) {
        List<String> mine = groupsIn(tier, caller.groups());
        List<OtherTier> others = new ArrayList<>();
        for (Tier other : index.byLevel()) {
            List<String> in = groupsIn(other, caller.groups());
            if (other != tier && !in.isEmpty()) {
                others.add(new OtherTier(other.name(), other.level(), in));
            }
        }
        String tierGroup = identity.tierGroup(tier.name());
        StringBuilder why = new StringBuilder(mine.equals(List.of(tierGroup))
                ? "this token's ServiceAccount lives in tier " + tier.name() + "'s namespace "
                + identity.tierNamespace(tier.name()) + ", whose group " + tierGroup + " resolves to it"
                : "your group" + (mine.size() == 1 ? " " + mine.get(0) + " is" : "s " + mine + " are") + " in tier "
                + tier.name());
        why.append(" (level ").append(tier.level()).append(')');
        if (!others.isEmpty()) {
            why.append("; you are also in ").append(String.join(", ", others.stream()
                    .map(o -> o.name() + " (level " + o.level() + ")").toList()))
                    .append(": the highest level wins, equal levels go to the tier first in the config");
        }
        if (caller instanceof Caller.MaasToken token && !token.tier().equals(tier.name())) {
            why.append("; this token was minted in tier ").append(token.tier())
                    .append(", which no longer resolves to itself: mint a new token");
        }
        return new TierReason("matched", tier.name(), tier.level(), mine, others, why.toString());
    }

    private List<String> groupsIn(Tier tier, List<String> groups) {
        String tierGroup = identity.tierGroup(tier.name());
        return groups.stream().filter(g -> tier.groups().contains(g) || g.equals(tierGroup)).distinct().toList();
    }

    private String lastChange() {
        TierCatalog.Status status = tiers.lastChange();
        return status == null ? "" : " (latest change from " + status.origin() + ": " + status.result()
                + (status.problems().isEmpty() ? "" : ", " + String.join("; ", status.problems())) + ")";
    }

    // --- models ---

    private AccessReport.ModelAccess model(ModelAccess.Verdict verdict, TierAnnotation annotation, boolean granted,
                                           Tier tier, Caller caller) {
        Model model = verdict.model();
        String tierGroup = identity.tierGroup(tier.name());
        String why;
        if (verdict.allowed() == null) {
            why = "the access review failed (" + verdict.failure() + "); GET /v1/models leaves it out; retry shortly";
        } else if (verdict.allowed()) {
            why = "you may call it" + (caller instanceof Caller.MaasToken ? "" : " with a MaaS token or API key")
                    + (granted ? "" : "; granted by a binding of its own, not by its tier annotation")
                    + (model.ready() ? "" : "; it is not ready, so calls fail until its Ready condition is True");
        } else if (config.models().manageAccess()) {
            why = "its annotation grants your tier " + tier.name() + ", but no RoleBinding gives group " + tierGroup
                    + " post on it yet: maas-api grants it within moments of a change (only for models attached to the"
                    + " gateway by spec.router.gateway.refs or an inline route); otherwise see the model's Warning"
                    + " events (InvalidTierAnnotation, AccessObjectNotOwned)";
        } else {
            why = "its annotation grants your tier " + tier.name() + ", but maas-api does not manage model access here"
                    + " (maas.models.manage-access=false): an administrator must bind post on"
                    + " llminferenceservices/" + model.name() + " in " + model.namespace() + " to group " + tierGroup;
        }
        if (annotation != null && !annotation.problems().isEmpty()) {
            why += "; its annotation: " + String.join("; ",
                    annotation.problems().stream().map(TierAnnotation.Problem::message).toList());
        }
        return new AccessReport.ModelAccess(model.id(), model.namespace(), model.name(), model.url(), model.ready(),
                verdict.allowed(), verdict.reason(), annotation == null ? null : List.copyOf(annotation.tiers()), why);
    }

    // --- limits ---

    private List<Limit> limits(Tier tier) {
        List<Limit> limits = new ArrayList<>();
        add(limits, tier, PolicyRenderer.REQUESTS, tier.limits().requests(), PolicyRenderer.RATE_LIMIT_POLICY,
                "429 before the model is called, for the rest of the window, once this many requests to this model"
                        + " were counted for you (each model has its own counter)");
        add(limits, tier, PolicyRenderer.TOKENS, tier.limits().tokens(), PolicyRenderer.TOKEN_RATE_LIMIT_POLICY,
                "429 for the rest of the window once the model's responses reported this many tokens for you"
                        + " (usage.total_tokens, counted after each response: the call that crosses the limit is"
                        + " answered in full); a model server that returns no usage is never counted; listing models"
                        + " costs no tokens");
        return limits;
    }

    private void add(List<Limit> limits, Tier tier, String kind, List<TierLimits.Rate> rates, String policy,
                     String atLimit) {
        for (TierLimits.Rate rate : rates) {
            limits.add(new Limit(kind, PolicyRenderer.limitName(tier.name(), kind, rate.window()), rate.limit(),
                    rate.window(), policy, atLimit));
        }
        if (!rates.isEmpty()) {
            return;
        }
        if (config.policies().unmatched() == MaasConfig.Policies.Unmatched.MOST_RESTRICTIVE) {
            Map<String, Long> strictest = new TreeMap<>();
            for (Tier any : tiers.served().tiers()) {
                for (TierLimits.Rate rate : kind.equals(PolicyRenderer.REQUESTS) ? any.limits().requests()
                        : any.limits().tokens()) {
                    strictest.merge(rate.window(), rate.limit(), Math::min);
                }
            }
            strictest.forEach((window, limit) -> limits.add(new Limit(kind, "unmatched-" + kind + "-" + window, limit,
                    window, policy, "your tier has no " + kind + " limit: the strictest tier's applies"
                    + " (maas.policies.unmatched=most-restrictive), one counter shared by everyone without a limit;"
                    + " at it, 429")));
            if (!strictest.isEmpty()) {
                return;
            }
        }
        limits.add(new Limit(kind, "unmatched-" + kind, 0, "1m", policy, "your tier has no " + kind + " limit: the"
                + " catch-all answers 429 to every model call (maas.policies.unmatched=deny); ask an administrator"));
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }
}
