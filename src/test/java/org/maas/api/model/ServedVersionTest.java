package org.maas.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;

/**
 * Which LLMInferenceService version maas-api reads: v1alpha2 where it is served, else v1alpha1 (KServe before
 * 0.20). The choice is a function of the served versions; discovery itself runs against the real control plane,
 * whose KServe CRD (the one KServe 0.20 ships) serves both. A cluster serving only v1alpha1 cannot be made
 * there without replacing the CRD every other class uses, so that case is the function's.
 */
class ServedVersionTest {

    @Test
    void theNewestKnownServedVersion() {
        assertEquals("v1alpha2", KServe.newestKnown(List.of("v1alpha1", "v1alpha2")));
        assertEquals("v1alpha1", KServe.newestKnown(List.of("v1alpha1")));
        assertEquals("v1alpha2", KServe.newestKnown(List.of("v1alpha2", "v1beta9")));
        assertNull(KServe.newestKnown(List.of("v1beta9")), "none known: no models to list");
        assertNull(KServe.newestKnown(List.of()));
    }

    @Test
    void discoveryOnTheRealApiServerChoosesV1alpha2() {
        ControlPlane plane = ControlPlane.shared();
        plane.installCrds();
        assertEquals("v1alpha2", KServe.servedVersion(plane.admin()));
    }
}
