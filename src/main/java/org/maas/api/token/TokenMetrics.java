package org.maas.api.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Tokens minted and revoked by tier and outcome, and how long a mint takes. */
@ApplicationScoped
class TokenMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void minted(String tier, String outcome, long startNanos) {
        counter("maas_tokens_minted", "Token mint requests by tier and outcome", tier, outcome).increment();
        timers.computeIfAbsent(outcome, o -> Timer.builder("maas_token_mint")
                        .description("Time to answer a mint request, Kubernetes API calls included")
                        .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                        .tag("outcome", o).register(registry))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** One per deleted ServiceAccount (outcome revoked), or per revoke that deleted nothing or failed. */
    void revoked(String tier, String outcome) {
        counter("maas_tokens_revoked", "ServiceAccounts deleted by revocation, by tier and outcome", tier, outcome)
                .increment();
    }

    private Counter counter(String name, String description, String tier, String outcome) {
        return counters.computeIfAbsent(name + '/' + tier + '/' + outcome, k -> Counter.builder(name)
                .description(description).tag("tier", tier).tag("outcome", outcome).register(registry));
    }
}
