package org.maas.api.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ControlPlaneResource} with {@link ApiFaults} in front of the real kube-apiserver: the application's
 * client talks to the fault proxy, with every other client setting the shipped one (only the API server URL
 * changes; the proxy serves the control plane's own certificate). Tests arrange objects through
 * {@code ControlPlane.shared().admin()}, which goes around the proxy, and get the proxy in any field of type
 * {@link ApiFaults}. Takes ControlPlaneResource's init args, and {@code fault}: the {@link ApiFaults.Fault}
 * the application meets from its start (none by default).
 */
public class ApiFaultsResource extends ControlPlaneResource {

    /**
     * The one boot of the classes behind the proxy that start with a working API server (KubernetesUnavailableTest,
     * ApiOutageRecoveryTest, ReviewCostTest): refusals are remembered for an hour, so that ReviewCostTest counts
     * reviews exactly however long a burst takes on a loaded machine (the shipped 5 s; ReviewCacheTest covers
     * expiry). Nothing else in these classes depends on that TTL: a review that fails is never remembered.
     * ReviewCostTest's bursts of hundreds of distinct tokens must all be reviewed to be counted: the rate of
     * TokenReviews is not bounded here (FairSharesTest and bench/flood.sh show the bound).
     */
    public static class SharedBoot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.identity.negative-cache-ttl", "1h",
                    "maas.kubernetes.reviews-per-second", "1000000");
        }
    }

    private ApiFaults faults;
    private ApiFaults.Fault fault = ApiFaults.Fault.NONE;

    @Override
    public void init(Map<String, String> args) {
        super.init(args);
        fault = ApiFaults.Fault.valueOf(args.getOrDefault("fault", "NONE"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new LinkedHashMap<>(super.start());
        faults = ApiFaults.inFrontOf(ControlPlane.shared());
        try {
            faults.set(fault);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.put("quarkus.kubernetes-client.api-server-url", faults.url());
        return settings;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(faults, new TestInjector.MatchesType(ApiFaults.class));
    }

    @Override
    public void stop() {
        try {
            if (faults != null) {
                faults.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.stop();
    }
}
