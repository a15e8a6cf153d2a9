package org.maas.api.testing;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.quarkus.test.kubernetes.client.AbstractKubernetesTestResource;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.lang.annotation.Annotation;

/**
 * Starts a {@link KubernetesApiStub} and points the application's Kubernetes client at it, the way
 * {@code @WithKubernetesTestServer} does for the plain mock. Tests get it in a field annotated
 * {@code @KubernetesTestServer KubernetesApiStub}.
 */
public class KubernetesApiStubResource extends AbstractKubernetesTestResource<KubernetesApiStub, NamespacedKubernetesClient> {

    @Override
    protected KubernetesApiStub createServer() {
        return new KubernetesApiStub();
    }

    @Override
    protected void initServer() {
        server.start();
    }

    @Override
    protected NamespacedKubernetesClient getClient() {
        return server.client();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    protected Class<?> getInjectedClass() {
        return KubernetesApiStub.class;
    }

    @Override
    protected Class<? extends Annotation> getInjectionAnnotation() {
        return KubernetesTestServer.class;
    }
}
