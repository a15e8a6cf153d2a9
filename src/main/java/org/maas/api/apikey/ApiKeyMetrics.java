package org.maas.api.apikey;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every key operation by kind, tier and outcome: {@code maas_api_key_operations_total}. Operations:
 * create, list, get, delete, cleanup (expired keys deleted), admin_revoke (per account), admin_list.
 */
@ApplicationScoped
public class ApiKeyMetrics {

    private final MeterProvider<Counter> operations;

    public ApiKeyMetrics(MeterRegistry registry) {
        this.operations = Counter.builder("maas_api_key_operations")
                .description("API key operations by operation, tier and outcome")
                .withRegistry(registry);
    }

    public void count(String operation, String tier, String outcome) {
        operations.withTags("operation", operation, "tier", tier == null ? "none" : tier, "outcome", outcome)
                .increment();
    }
}
