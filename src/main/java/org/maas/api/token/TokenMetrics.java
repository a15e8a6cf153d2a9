package org.maas.api.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Tokens minted by tier and outcome, and how long a mint takes (revocations: AccountMetrics). */
@ApplicationScoped
class TokenMetrics {

    private final MeterProvider<Counter> minted;
    private final MeterProvider<Timer> mintTime;

    TokenMetrics(MeterRegistry registry) {
        this.minted = Counter.builder("maas_tokens_minted")
                .description("Token mint requests by tier and outcome")
                .withRegistry(registry);
        this.mintTime = Timer.builder("maas_token_mint")
                .description("Time to answer a mint request, Kubernetes API calls included")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withRegistry(registry);
    }

    void minted(String tier, String outcome, long startNanos) {
        minted.withTags("tier", tier, "outcome", outcome).increment();
        mintTime.withTags("outcome", outcome).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
