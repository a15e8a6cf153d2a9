package org.maas.api.doctor;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.policy.LivePolicies;

/** Builds the doctor's groups from the configuration, once, when the application starts. */
@ApplicationScoped
class DoctorSetup {

    private final Doctor doctor;

    DoctorSetup(KubernetesClient client, MaasConfig config, KubernetesGuard kubernetes, LivePolicies policies,
                MeterRegistry registry) {
        String gatewayNamespace = config.gateway().namespace();
        String ownNamespace = client.getNamespace();
        this.doctor = new Doctor(List.of(
                new GatewayChecks(client, gatewayNamespace, config.gateway().name()),
                new PolicyChecks(client, gatewayNamespace, ownNamespace, () -> policies.current().policies())),
                kubernetes, config.doctor().checkDeadline(), registry);
    }

    Doctor get() {
        return doctor;
    }

    @PreDestroy
    void close() {
        doctor.close();
    }
}
