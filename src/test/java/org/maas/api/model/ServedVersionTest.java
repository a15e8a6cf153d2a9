package org.maas.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/** v1alpha2 where the API server serves it, else v1alpha1 (KServe before 0.20). */
@EnableKubernetesMockClient
class ServedVersionTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void v1alpha2WhenServed() {
        serves("v1alpha1", "v1alpha2");
        assertEquals("v1alpha2", ModelAccessStarter.servedVersion(client));
    }

    @Test
    void v1alpha1WhenOnlyThatIsServed() {
        serves("v1alpha1");
        assertEquals("v1alpha1", ModelAccessStarter.servedVersion(client));
    }

    private void serves(String... versions) {
        APIGroupBuilder group = new APIGroupBuilder().withName("serving.kserve.io");
        for (String version : versions) {
            group.addNewVersion().withGroupVersion("serving.kserve.io/" + version).withVersion(version).endVersion();
        }
        server.expect().get().withPath("/apis/serving.kserve.io").andReturn(200, group.build()).once();
    }
}
