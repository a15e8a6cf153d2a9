package org.maas.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NamespaceCheckTest {

    private static final Supplier<String> NO_NAMESPACE = () -> null;
    private static final Supplier<String> NOT_ASKED = () -> fail("the client's namespace is not needed here");

    @Test
    void theConfigMapSourceWithoutAnyNamespaceNamesBothFixes() {
        assertEquals(List.of("maas.tiers.source=configmap needs a namespace to read the tier ConfigMap from, and there"
                        + " is none (not in a pod, no namespace in the kubeconfig context): set"
                        + " maas.tiers.config-map-namespace, or maas.tiers.source=file for a local run"),
                NamespaceCheck.problems(Settings.of(Map.of()), NO_NAMESPACE));
    }

    @Test
    void theClientsNamespaceIsEnough() {
        assertEquals(List.of(), NamespaceCheck.problems(Settings.of(Map.of()), () -> "maas-api"));
    }

    @Test
    void aConfiguredNamespaceOrTheFileSourceNeedsNoneFromTheClient() {
        assertEquals(List.of(), NamespaceCheck.problems(
                Settings.of(Map.of("maas.tiers.config-map-namespace", "maas-api")), NOT_ASKED));
        assertEquals(List.of(), NamespaceCheck.problems(Settings.of(Map.of("maas.tiers.source", "file")), NOT_ASKED));
    }

    @Test
    void policyReconcileNeedsANamespaceForItsLease() {
        assertEquals(List.of("maas.policies.reconcile=true needs a namespace for its Lease, and there is none (not in"
                        + " a pod, no namespace in the kubeconfig context): set maas.policies.lease-namespace"),
                NamespaceCheck.problems(Settings.of(Map.of("maas.tiers.source", "file", "maas.policies.reconcile",
                        "true")), NO_NAMESPACE));
        assertEquals(List.of(), NamespaceCheck.problems(Settings.of(Map.of("maas.tiers.source", "file",
                "maas.policies.reconcile", "true", "maas.policies.lease-namespace", "maas-api")), NOT_ASKED));
    }
}
