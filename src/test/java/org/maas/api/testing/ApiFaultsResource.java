package org.maas.api.testing;

import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link KubernetesApiStub} behind {@link ApiFaults}: the application's client talks to the fault proxy,
 * the test arranges objects through the stub. Changes only the API server URL; every other client setting
 * is the shipped one. Tests get both in fields annotated {@code @KubernetesTestServer}.
 */
public class ApiFaultsResource extends KubernetesApiStubResource {

    private ApiFaults faults;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        int stubPort = URI.create(server.client().getConfiguration().getMasterUrl()).getPort();
        try {
            faults = new ApiFaults(stubPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the parent hands these to fabric8 as system properties as well
        config.put("kubernetes.master", faults.url());
        System.setProperty("kubernetes.master", faults.url());
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        super.inject(testInjector);
        testInjector.injectIntoFields(faults,
                new TestInjector.AnnotatedAndMatchesType(KubernetesTestServer.class, ApiFaults.class));
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
