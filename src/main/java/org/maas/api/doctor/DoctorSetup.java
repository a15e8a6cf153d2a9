package org.maas.api.doctor;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelAccess;
import org.maas.api.model.ModelCatalog;
import org.maas.api.policy.LivePolicies;
import org.maas.api.tier.TierCatalog;
import org.maas.api.usage.LimitadorClient;

/** Builds the doctor's groups from the configuration, once, when the application starts. */
@ApplicationScoped
class DoctorSetup {

    private final Doctor doctor;

    DoctorSetup(KubernetesClient client, MaasConfig config, KubernetesGuard kubernetes, LivePolicies policies,
                TierCatalog tiers, ModelCatalog models, ModelAccess access, MaasIdentity identity,
                LimitadorClient limitador,
                MeterRegistry registry) {
        String gatewayNamespace = config.gateway().namespace();
        String gateway = config.gateway().name();
        String ownNamespace = client.getNamespace();
        boolean manageAccess = config.models().manageAccess();
        List<PermissionChecks.Feature> features = PermissionChecks.of(ownNamespace, gatewayNamespace,
                config.tiers().source() == MaasConfig.SourceKind.configmap ? new String[] {
                        config.tiers().configMapNamespace().orElse(ownNamespace), config.tiers().configMapName()} : null,
                config.policies().reconcile(), manageAccess,
                config.revocation().onGroupChange() != MaasConfig.Revocation.GroupChange.OFF);
        this.doctor = new Doctor(List.of(
                new GatewayChecks(client, gatewayNamespace, gateway),
                new PolicyChecks(client, gatewayNamespace, ownNamespace, () -> policies.current().policies()),
                new AuthChecks(client, gatewayNamespace, gateway, ownNamespace, identity),
                new LimitadorChecks(limitador, models, tiers::served),
                new ModelChecks(access, models, tiers::served, identity, manageAccess, gateway),
                new PermissionChecks(client, features),
                new TierNamespaceChecks(client, tiers::served, identity,
                        config.revocation().onGroupChange() == MaasConfig.Revocation.GroupChange.ON)),
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
