package org.maas.api.policy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.maas.api.account.ManagedObjects;
import org.maas.api.config.MaasConfig.Policies.Unmatched;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierLimits;

/**
 * Turns a tier config into the gateway's RateLimitPolicy and TokenRateLimitPolicy, so limits can never
 * name a tier the config does not have, nor miss one it has.
 *
 * <p>Kuadrant lets a request through unlimited when no limit's {@code when} matches, and when a
 * predicate or counter fails to evaluate. Hence: tier predicates test presence before comparing, and
 * every policy ends with a catch-all whose predicate is true exactly when no tier limit matched, and
 * which has no counter (a counter on a field that may be missing would make it fail open).
 *
 * <p>Output is canonical: limits sorted by name ({@code <tier>-<kind>-<window>}), so the same tiers in
 * any order render the same bytes.
 */
public final class PolicyRenderer {

    public static final String RATE_LIMIT_POLICY = "gateway-rate-limits";
    public static final String TOKEN_RATE_LIMIT_POLICY = "gateway-token-rate-limits";
    /** The kinds of limit, as they appear in limit names ({@link #limitName}). */
    public static final String REQUESTS = "requests";
    public static final String TOKENS = "tokens";
    static final String TIER = "auth.identity.tier";
    /** The counter of every limit: the ServiceAccount name the AuthPolicy exposes (Limitador keys counters by it). */
    public static final String USER = "auth.identity.userid";
    /** Listing models costs no tokens, and must keep working for a user over their token budget. */
    static final String NOT_MODEL_LISTING = "!request.path.endsWith(\"/v1/models\")";
    private static final String DENY_WINDOW = "1m";

    private final String namespace;
    private final String gateway;
    private final Unmatched unmatched;

    public PolicyRenderer(String namespace, String gateway, Unmatched unmatched) {
        this.namespace = namespace;
        this.gateway = gateway;
        this.unmatched = unmatched;
    }

    public RenderedPolicies render(List<Tier> tiers) {
        GenericKubernetesResource requests = policy("kuadrant.io/v1", "RateLimitPolicy", RATE_LIMIT_POLICY, null,
                limits(tiers, REQUESTS, t -> t.limits().requests()));
        GenericKubernetesResource tokens = policy("kuadrant.io/v1alpha1", "TokenRateLimitPolicy",
                TOKEN_RATE_LIMIT_POLICY, NOT_MODEL_LISTING, limits(tiers, TOKENS, t -> t.limits().tokens()));
        return new RenderedPolicies(requests, tokens);
    }

    private SortedMap<String, Object> limits(List<Tier> tiers, String kind, Function<Tier, List<TierLimits.Rate>> rates) {
        SortedMap<String, Object> limits = new TreeMap<>();
        List<String> limited = new ArrayList<>();
        for (Tier tier : tiers) {
            List<TierLimits.Rate> tierRates = rates.apply(tier);
            if (!tierRates.isEmpty()) {
                limited.add(tier.name());
            }
            for (TierLimits.Rate rate : tierRates) {
                limits.put(limitName(tier.name(), kind, rate.window()),
                        limit(List.of(rate), tierPredicate(tier.name()), USER));
            }
        }
        String unmatchedPredicate = unmatchedPredicate(limited);
        List<TierLimits.Rate> strictest = strictest(tiers, rates);
        if (unmatched == Unmatched.MOST_RESTRICTIVE && !strictest.isEmpty()) {
            for (TierLimits.Rate rate : strictest) {
                limits.put("unmatched-" + kind + "-" + rate.window(), limit(List.of(rate), unmatchedPredicate, null));
            }
        } else {
            // DENY, or MOST_RESTRICTIVE with no tier to copy from: nothing unmatched gets through.
            limits.put("unmatched-" + kind, limit(List.of(new TierLimits.Rate(0, DENY_WINDOW)), unmatchedPredicate, null));
        }
        return limits;
    }

    /**
     * The name of a tier's limit in the rendered policies, and so in Limitador's counters:
     * {@code <tier>-<kind>-<window>}, kind {@code requests} or {@code tokens}.
     */
    public static String limitName(String tier, String kind, String window) {
        return tier + "-" + kind + "-" + window;
    }

    /** For every window any tier uses, the smallest limit: no tier is stricter on any window. */
    private static List<TierLimits.Rate> strictest(List<Tier> tiers, Function<Tier, List<TierLimits.Rate>> rates) {
        Map<String, Long> byWindow = tiers.stream().flatMap(t -> rates.apply(t).stream())
                .collect(Collectors.toMap(TierLimits.Rate::window, TierLimits.Rate::limit, Math::min, TreeMap::new));
        return byWindow.entrySet().stream().map(e -> new TierLimits.Rate(e.getValue(), e.getKey())).toList();
    }

    static String tierPredicate(String tier) {
        return "has(" + TIER + ") && " + TIER + " == \"" + tier + "\"";
    }

    /** True when the tier is missing, or is not one with limits of this kind. */
    static String unmatchedPredicate(List<String> limitedTiers) {
        String names = limitedTiers.stream().sorted().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
        return "!(has(" + TIER + ") && " + TIER + " in [" + names + "])";
    }

    private static Map<String, Object> limit(List<TierLimits.Rate> rates, String predicate, String counter) {
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("rates", rates.stream().map(r -> {
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("limit", r.limit());
            rate.put("window", r.window());
            return rate;
        }).toList());
        if (counter != null) {
            limit.put("counters", List.of(Map.of("expression", counter)));
        }
        limit.put("when", List.of(Map.of("predicate", predicate)));
        return limit;
    }

    private GenericKubernetesResource policy(String apiVersion, String kind, String name, String policyPredicate,
                                             SortedMap<String, Object> limits) {
        Map<String, Object> targetRef = new LinkedHashMap<>();
        targetRef.put("group", "gateway.networking.k8s.io");
        targetRef.put("kind", "Gateway");
        targetRef.put("name", gateway);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("targetRef", targetRef);
        if (policyPredicate != null) {
            spec.put("when", List.of(Map.of("predicate", policyPredicate)));
        }
        spec.put("limits", limits);
        GenericKubernetesResource policy = new GenericKubernetesResource();
        policy.setApiVersion(apiVersion);
        policy.setKind(kind);
        policy.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER)).build());
        policy.setAdditionalProperty("spec", spec);
        return policy;
    }
}
