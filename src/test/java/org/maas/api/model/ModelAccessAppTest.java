package org.maas.api.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/** The shipped wiring with maas.models.manage-access=true: the service's own election, informer and tier config. */
@QuarkusTest
@TestProfile(ModelAccessAppTest.ManageAccess.class)
@WithTestResource(KubernetesApiStubResource.class)
class ModelAccessAppTest {

    public static class ManageAccess implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.models.manage-access", "true",
                    "maas.policies.lease-duration", "3s",
                    "maas.policies.lease-renew-deadline", "2s",
                    "maas.policies.lease-retry-period", "200ms");
        }
    }

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void anAnnotatedModelOnTheGatewayIsGrantedToItsTiersGroups() {
        ResourceDefinitionContext models = new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io")
                .withVersion(ModelAccessStarter.PREFERRED_VERSION).withKind("LLMInferenceService")
                .withPlural("llminferenceservices").withNamespaced(true).build();
        api.client().genericKubernetesResources(models).inNamespace("llm").resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("serving.kserve.io/v1alpha2").withKind("LLMInferenceService")
                .withNewMetadata().withName("granite").withNamespace("llm")
                .withAnnotations(Map.of(TierAnnotation.KEY, "[\"premium\"]")).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("router", Map.of("gateway", Map.of("refs",
                        List.of(Map.of("name", "maas-default-gateway", "namespace", "openshift-ingress")))))))
                .build()).create();
        var binding = api.client().rbac().roleBindings().inNamespace("llm").withName("maas-model-granite-access");
        await("the leader grants the model").atMost(Duration.ofSeconds(60)).until(() -> binding.get() != null);
        RoleBinding granted = binding.get();
        assertEquals(List.of("system:serviceaccounts:maas-default-gateway-tier-premium"),
                granted.getSubjects().stream().map(Subject::getName).toList());
        assertEquals("maas-api", api.applied().get(0).query().replaceAll("fieldManager=([^&]*).*", "$1"));
    }
}
