package org.maas.api.tier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookups by tier and outcome. How long they take is {@code http_server_requests} for the path, which
 * Quarkus already records. The counters are cached per outcome and tier, not found through the
 * registry per call: the lookup is the hot path (docs/performance.md).
 */
@Singleton // no client proxy on the lookup's hot path
class TierLookupMetrics {

    private final MeterRegistry registry;
    private final Map<TierMatch.Outcome, Map<String, Counter>> counters = new EnumMap<>(TierMatch.Outcome.class);

    TierLookupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TierMatch.Outcome outcome : TierMatch.Outcome.values()) {
            counters.put(outcome, new ConcurrentHashMap<>());
        }
    }

    void count(TierMatch match) {
        TierMatch.Outcome outcome = match.outcome();
        String tier = match.found() ? match.tier().name() : "none";
        Map<String, Counter> byTier = counters.get(outcome);
        Counter counter = byTier.get(tier);
        if (counter == null) {
            counter = byTier.computeIfAbsent(tier, t -> Counter.builder("maas_tier_lookups")
                    .description("Tier lookups by tier and outcome")
                    .tag("outcome", outcome.tag()).tag("tier", tier).register(registry));
        }
        counter.increment();
    }
}
