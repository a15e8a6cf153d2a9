package org.maas.api.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Before anything starts reading the cluster: a setting that defaults to "the service's own namespace"
 * needs one. In a pod that is the ServiceAccount's namespace; outside a cluster it is the kubeconfig
 * context's, and without either the start stops here with what to set, instead of a client stack trace.
 */
@ApplicationScoped
class NamespaceCheck {

    private final MaasConfig config;
    private final Instance<KubernetesClient> client;

    NamespaceCheck(MaasConfig config, Instance<KubernetesClient> client) {
        this.config = config;
        this.client = client;
    }

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> problems = problems(config, () -> client.get().getNamespace());
        if (!problems.isEmpty()) {
            // Quarkus prints a ConfigurationException's message alone (no stack trace) and exits with 1.
            throw new ConfigurationException(String.join(System.lineSeparator(), problems));
        }
    }

    /** @param clientNamespace the client's namespace (pod, kubeconfig context), asked only when needed */
    static List<String> problems(MaasConfig config, Supplier<String> clientNamespace) {
        boolean configMap = config.tiers().source() == MaasConfig.SourceKind.configmap
                && config.tiers().configMapNamespace().isEmpty();
        boolean lease = config.policies().reconcile() && config.policies().leaseNamespace().isEmpty();
        List<String> problems = new ArrayList<>();
        if ((configMap || lease) && clientNamespace.get() == null) {
            if (configMap) {
                problems.add("maas.tiers.source=configmap needs a namespace to read the tier ConfigMap from, and"
                        + " there is none (not in a pod, no namespace in the kubeconfig context): set"
                        + " maas.tiers.config-map-namespace, or maas.tiers.source=file for a local run");
            }
            if (lease) {
                problems.add("maas.policies.reconcile=true needs a namespace for its Lease, and there is none"
                        + " (not in a pod, no namespace in the kubeconfig context): set maas.policies.lease-namespace");
            }
        }
        return problems;
    }
}
