package org.maas.api.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The models of the GET /v1/models benchmark (bench/models.sh), stored in an {@link ApiStubServer}: {@code total}
 * ready v1alpha2 LLMInferenceServices on maas-default-gateway in ten namespaces, of which {@code visible}
 * (spread over the namespaces) are granted to the free tier's group by a Role and RoleBinding each, as an
 * admin grants them (docs/deployment.md).
 */
final class BenchModels {

    private static final String FREE_TIER_GROUP = "system:serviceaccounts:maas-default-gateway-tier-free";
    private static final int NAMESPACES = 10;

    private BenchModels() {
    }

    static void store(KubernetesApiStub stub, int total, int visible) {
        stub.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        NamespacedKubernetesClient client = stub.client();
        ResourceDefinitionContext services = new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io")
                .withVersion("v1alpha2").withKind("LLMInferenceService").withPlural("llminferenceservices")
                .withNamespaced(true).build();
        int every = Math.max(1, total / Math.max(1, visible));
        int granted = 0;
        for (int i = 0; i < total; i++) {
            String namespace = "bench-models-" + (i % NAMESPACES);
            String name = "model-" + i;
            GenericKubernetesResource model = Serialization.unmarshal("""
                    apiVersion: serving.kserve.io/v1alpha2
                    kind: LLMInferenceService
                    metadata:
                      name: %s
                      namespace: %s
                    spec:
                      model:
                        uri: hf://org/%s
                        name: org/%s
                      router:
                        gateway:
                          refs:
                            - name: maas-default-gateway
                              namespace: openshift-ingress
                    status:
                      addresses:
                        - name: gateway-external
                          url: https://maas.apps.example.com/%s/%s
                      conditions:
                        - type: Ready
                          status: "True"
                    """.formatted(name, namespace, name, name, namespace, name), GenericKubernetesResource.class);
            client.genericKubernetesResources(services).inNamespace(namespace).resource(model).create();
            if (i % every == 0 && granted < visible) {
                granted++;
                client.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata()
                        .withName(name + "-post").withNamespace(namespace).endMetadata()
                        .withRules(new PolicyRuleBuilder().withApiGroups("serving.kserve.io")
                                .withResources("llminferenceservices").withResourceNames(name).withVerbs("post").build())
                        .build()).create();
                client.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                        .withName(name + "-post").withNamespace(namespace).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name + "-post")
                        .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                        .withName(FREE_TIER_GROUP).endSubject().build()).create();
            }
        }
    }
}
