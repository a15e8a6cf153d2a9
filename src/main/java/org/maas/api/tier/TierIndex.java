package org.maas.api.tier;

import org.maas.api.identity.MaasIdentity;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * An immutable view of one tier config version, built once so that a lookup is a few map reads.
 * Every group maps to the best tier that holds it; a lookup keeps the best among the user's groups.
 * "Best" is the highest level; equal levels go to the tier that comes first in the config.
 */
public final class TierIndex {

    /** A tier with its precedence: lower rank wins. */
    private record Ranked(Tier tier, int rank) {
    }

    private final long version;
    private final String origin;
    private final List<Tier> tiers;
    private final List<Tier> byLevel;
    private final Map<String, Ranked> bestByGroup;
    private final Tier defaultTier;

    /**
     * @param identity    tokens minted in a tier's namespace carry its {@link MaasIdentity#tierGroup}, which
     *                    resolves to that tier
     * @param defaultTier     answered when nothing matches; must name a configured tier
     */
    public TierIndex(long version, String origin, List<Tier> tiers, MaasIdentity identity,
                     Optional<String> defaultTier) throws InvalidTierConfigException {
        this.version = version;
        this.origin = origin;
        this.tiers = List.copyOf(tiers);
        // Rank by level (highest first), then by position in the config (stable sort keeps it).
        List<Integer> order = IntStream.range(0, tiers.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> tiers.get(i).level()).reversed())
                .toList();
        this.byLevel = order.stream().map(tiers::get).toList();
        Map<String, Ranked> best = new HashMap<>();
        for (int rank = 0; rank < order.size(); rank++) {
            Tier tier = tiers.get(order.get(rank));
            Ranked ranked = new Ranked(tier, rank);
            best.putIfAbsent(identity.tierGroup(tier.name()), ranked);
            for (String group : tier.groups()) {
                best.putIfAbsent(group, ranked); // ranks ascend, so the first tier seen is the best
            }
        }
        this.bestByGroup = Map.copyOf(best);
        this.defaultTier = defaultTier.isEmpty() ? null : tier(defaultTier.get())
                .orElseThrow(() -> new InvalidTierConfigException(List.of("the default tier '" + defaultTier.get()
                        + "' (maas.tiers.default-tier) is not in the config")));
    }

    /** The best tier holding any of the groups, else the default tier, else none. */
    public TierMatch match(List<String> groups) {
        Tier tier = resolve(groups);
        if (tier != null) {
            return new TierMatch(TierMatch.Outcome.MATCHED, tier, groups);
        }
        return new TierMatch(defaultTier == null ? TierMatch.Outcome.NONE : TierMatch.Outcome.DEFAULT_TIER,
                defaultTier, groups);
    }

    /** The best tier holding any of the groups, or null: matches only, no default tier ({@link #match}). */
    public Tier resolve(List<String> groups) {
        Ranked best = null;
        for (int i = 0, n = groups.size(); i < n; i++) {
            Ranked candidate = bestByGroup.get(groups.get(i));
            if (candidate != null && (best == null || candidate.rank < best.rank)) {
                best = candidate;
            }
        }
        return best != null ? best.tier : null;
    }

    /** The tier answered when no group matches, or null when none is configured. */
    public Tier defaultTier() {
        return defaultTier;
    }

    public Optional<Tier> tier(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Tiers from the highest level down. */
    public List<Tier> byLevel() {
        return byLevel;
    }

    /** Tiers in config order. */
    public List<Tier> tiers() {
        return tiers;
    }

    public long version() {
        return version;
    }

    /** Where this config came from, e.g. {@code configmap maas-api/tier-to-group-mapping@1234}. */
    public String origin() {
        return origin;
    }
}
