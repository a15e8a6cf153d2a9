package org.maas.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link ControlPlaneResource} with {@link ApiFaults} in front of the real kube-apiserver: the application's
 * client talks to the fault proxy, with every other client setting the shipped one (only the API server URL
 * changes; the proxy serves the control plane's own certificate). Tests arrange objects through
 * {@code ControlPlane.shared().admin()}, which goes around the proxy, and get the proxy in any field of type
 * {@link ApiFaults}. Takes ControlPlaneResource's init args.
 */
public class ApiFaultsResource extends ControlPlaneResource {

    private ApiFaults faults;

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new LinkedHashMap<>(super.start());
        faults = ApiFaults.inFrontOf(ControlPlane.shared());
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
