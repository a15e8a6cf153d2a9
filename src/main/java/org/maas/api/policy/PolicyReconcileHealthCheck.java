package org.maas.api.policy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The last policy apply result on the readiness data. Always UP: tier lookups work whatever the policies
 * in the cluster look like, so a failed apply must not take this replica out of the Service.
 */
@Readiness
@ApplicationScoped
class PolicyReconcileHealthCheck implements HealthCheck {

    private final LivePolicies policies;

    PolicyReconcileHealthCheck(LivePolicies policies) {
        this.policies = policies;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("policy-reconcile").up();
        policies.reconciler().ifPresentOrElse(reconciler -> {
            PolicyReconciler.Status status = reconciler.status();
            response.withData("reconcile", true)
                    .withData("leader", reconciler.isLeader())
                    .withData("lastResult", status.result())
                    .withData("lastResultAt", status.at().toString())
                    .withData("lastResultTierConfigVersion", status.tierConfigVersion())
                    .withData("lastResultMessage", status.message());
            for (Map.Entry<String, Boolean> policy : reconciler.inSync().entrySet()) {
                response.withData("inSync." + policy.getKey(), policy.getValue());
            }
        }, () -> response.withData("reconcile", false));
        return response.build();
    }
}
