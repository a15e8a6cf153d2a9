package org.maas.api.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every key operation by kind, tier and outcome: {@code maas_api_key_operations_total}. Operations:
 * create, list, get, delete, cleanup (expired keys deleted), admin_revoke (per account), admin_list.
 */
@ApplicationScoped
class ApiKeyMetrics {

    private final MeterProvider<Counter> operations;

    ApiKeyMetrics(MeterRegistry registry) {
        this.operations = Counter.builder("maas_api_key_operations")
                .description("API key operations by operation, tier and outcome")
                .withRegistry(registry);
    }

    void count(String operation, String tier, String outcome) {
        operations.withTags("operation", operation, "tier", tier == null ? "none" : tier, "outcome", outcome)
                .increment();
    }
}
