package org.maas.api.tier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Lookups by tier and outcome, and how long resolving took. Counters are cached: no registry work per call. */
@ApplicationScoped
class TierLookupMetrics {

    private final MeterRegistry registry;
    private final Map<TierMatch.Outcome, Map<String, Counter>> counters = new EnumMap<>(TierMatch.Outcome.class);
    private final Timer latency;

    TierLookupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (TierMatch.Outcome outcome : TierMatch.Outcome.values()) {
            counters.put(outcome, new ConcurrentHashMap<>());
        }
        this.latency = Timer.builder("maas_tier_lookup")
                .description("Time to resolve groups to a tier, inside the service")
                .serviceLevelObjectives(Duration.ofNanos(10_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
                        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20))
                .register(registry);
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

    void recordSince(long startNanos) {
        latency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
