package org.maas.api.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiServerTest {

    /** Only fabric8's fallback (no pod, no kubeconfig) is "none configured"; a pod's or a kubeconfig's URL is one. */
    @ParameterizedTest
    @CsvSource({
            "https://kubernetes.default.svc, false",
            "https://kubernetes.default.svc/, false",
            "https://10.96.0.1:443/, true",
            "https://api.cluster.example.com:6443, true",
            "http://127.0.0.1:39879, true"})
    void onlyTheClientsFallbackIsNoApiServer(String url, boolean configured) {
        Config config = Config.empty();
        config.setMasterUrl(url);
        assertEquals(configured, ApiServer.of(config).configured());
    }
}
