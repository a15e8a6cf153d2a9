package org.maas.api.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each started informer's state on the readiness data. DOWN only while an informer that gates readiness
 * (the tier ConfigMap) has never listed; after that an API outage shows as {@code watching=false} with
 * the last error, and the replica stays ready serving what it last saw. Caches started on demand (the
 * token caches) are reported but never make the replica unready.
 */
@Readiness
@ApplicationScoped
class InformersHealthCheck implements HealthCheck {

    private final Informers informers;

    InformersHealthCheck(Informers informers) {
        this.informers = informers;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = true;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kubernetes-informers");
        for (Informers.State state : informers.states()) {
            up &= state.synced() || !state.gatesReadiness();
            response.withData(state.name() + ".synced", state.synced())
                    .withData(state.name() + ".watching", state.watching())
                    .withData(state.name() + ".gatesReadiness", state.gatesReadiness());
            if (state.lastError() != null) {
                response.withData(state.name() + ".lastError", state.lastError());
            }
        }
        return response.status(up).build();
    }
}
