package org.maas.api.account;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code maas_tokens_revoked_total}: users' ServiceAccounts deleted, by tier and outcome, whoever deletes them
 * (the user, a tier change, an admin, group revocation); also a revoke that deleted nothing or failed.
 */
@ApplicationScoped
public class AccountMetrics {

    private final MeterProvider<Counter> revoked;

    public AccountMetrics(MeterRegistry registry) {
        this.revoked = Counter.builder("maas_tokens_revoked")
                .description("ServiceAccounts deleted by revocation, by tier and outcome")
                .withRegistry(registry);
    }

    public void revoked(String tier, String outcome) {
        revoked.withTags("tier", tier, "outcome", outcome).increment();
    }
}
