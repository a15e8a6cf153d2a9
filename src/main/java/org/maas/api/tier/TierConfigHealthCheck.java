package org.maas.api.tier;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once any good tier config has loaded, and stays ready after that: a rejected or removed
 * config keeps the last good one serving, so it is shown in the data, not as DOWN.
 */
@Readiness
@ApplicationScoped
class TierConfigHealthCheck implements HealthCheck {

    private final TierCatalog catalog;

    TierConfigHealthCheck(TierCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        TierIndex index = catalog.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("tier-config").status(index != null);
        if (index != null) {
            response.withData("version", index.version())
                    .withData("origin", index.origin())
                    .withData("tiers", String.join(",", index.tiers().stream().map(Tier::name).toList()));
        }
        TierCatalog.Status last = catalog.lastChange();
        if (last != null) {
            response.withData("lastChange", last.result())
                    .withData("lastChangeOrigin", last.origin())
                    .withData("lastChangeAt", last.at().toString());
            if (!last.problems().isEmpty()) {
                response.withData("lastChangeProblems", String.join("; ", last.problems()));
            }
        } else {
            response.withData("lastChange", "waiting for the tier config source");
        }
        return response.build();
    }
}
