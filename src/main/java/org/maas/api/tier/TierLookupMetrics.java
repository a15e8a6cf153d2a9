package org.maas.api.tier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lookups by tier and outcome, and how long they take by status. The lookup's duration is its own timer,
 * not Quarkus' {@code http_server_requests} (application.properties leaves the path out of it): that one
 * builds its tags and finds its timer in the registry on every request: 14% of the lookup's CPU samples in a JFR
 * profile (docs/performance.md, the first section). Both are cached here per outcome and tier, and per status.
 */
@Singleton // no client proxy on the lookup's hot path
class TierLookupMetrics {

    private final MeterRegistry registry;
    private final Map<TierMatch.Outcome, Map<String, Counter>> counters = new EnumMap<>(TierMatch.Outcome.class);
    /**
     * By status code, read and filled from every event loop (an atomic array publishes the Timer safely); a race
     * fills a slot twice with the same timer (the registry returns the registered one).
     */
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(600);

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

    /** One lookup's answer, from the route's first look at the request to the end of the response. */
    void time(int status, long nanos) {
        boolean kept = status >= 100 && status < timers.length();
        Timer timer = kept ? timers.get(status) : null;
        if (timer == null) {
            timer = Timer.builder("maas_tier_lookup").description("Tier lookups answered, by HTTP status")
                    .tag("status", String.valueOf(status)).register(registry);
            if (kept) {
                timers.set(status, timer);
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
