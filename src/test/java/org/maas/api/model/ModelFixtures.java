package org.maas.api.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * LLMInferenceServices, HTTPRoutes and the RBAC that grants a tier a model, stored as an admin (or KServe)
 * would store them. YAML as in the CRDs (../shared/schemas/crds).
 */
public final class ModelFixtures {

    public static final String GATEWAY = "maas-default-gateway";
    static final String GATEWAY_NAMESPACE = "openshift-ingress";

    private final KubernetesClient client;
    private final String version;
    private final String gateway;

    /** Models on maas-default-gateway (the default maas.gateway.name). */
    public ModelFixtures(KubernetesClient client, String version) {
        this(client, version, GATEWAY);
    }

    /** Models on {@code gateway} in openshift-ingress. */
    public ModelFixtures(KubernetesClient client, String version, String gateway) {
        this.client = client;
        this.version = version;
        this.gateway = gateway;
    }

    /** The namespace, created unless there (the real API server stores nothing in a namespace that is not). */
    public void namespace(String namespace) {
        try {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // there already
                throw e;
            }
        }
    }

    static ResourceDefinitionContext services(String version) {
        return new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io").withVersion(version)
                .withKind("LLMInferenceService").withPlural("llminferenceservices").withNamespaced(true).build();
    }

    static final ResourceDefinitionContext ROUTES = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind("HTTPRoute").withPlural("httproutes")
            .withNamespaced(true).build();

    /** A ready model on the gateway (spec.router.gateway.refs), with an external and an internal address. */
    public GenericKubernetesResource onGateway(String namespace, String name, String servedName) {
        return store(namespace, name, """
                spec:
                  model:
                    uri: hf://org/model
                    name: %s
                  router:
                    gateway:
                      refs:
                        - name: %s
                          namespace: %s
                """.formatted(servedName, gateway, GATEWAY_NAMESPACE), true);
    }

    /** A model whose router block is given (indented under spec.router), ready or not. */
    public GenericKubernetesResource withRouter(String namespace, String name, String router, boolean ready) {
        return store(namespace, name, "spec:\n  model:\n    uri: hf://org/model\n  router:\n"
                + router.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"), ready);
    }

    private GenericKubernetesResource store(String namespace, String name, String spec, boolean ready) {
        GenericKubernetesResource service = Serialization.unmarshal("""
                apiVersion: serving.kserve.io/%s
                kind: LLMInferenceService
                metadata:
                  name: %s
                  namespace: %s
                """.formatted(version, name, namespace) + spec + """
                status:
                  url: http://%s.%s.svc.cluster.local
                  address:
                    url: http://%s-internal.%s.svc.cluster.local
                  addresses:
                    - name: gateway-internal
                      url: http://maas-default-gateway.openshift-ingress.svc.cluster.local/%s/%s
                    - name: gateway-external
                      url: https://maas.apps.example.com/%s/%s
                  conditions:
                    - type: Ready
                      status: "%s"
                """.formatted(name, namespace, name, namespace, namespace, name, namespace, name,
                        ready ? "True" : "False"), GenericKubernetesResource.class);
        Object status = service.getAdditionalProperties().remove("status");
        namespace(namespace);
        GenericKubernetesResource created = client.genericKubernetesResources(services(version)).inNamespace(namespace)
                .resource(service).create();
        // KServe writes the status afterwards, about the generation the API server gave the object
        @SuppressWarnings("unchecked")
        Map<String, Object> observed = (Map<String, Object>) status;
        long generation = created.getMetadata().getGeneration() == null ? 0 : created.getMetadata().getGeneration();
        observed.put("observedGeneration", ready ? generation : generation - 1);
        created.setAdditionalProperty("status", observed);
        return client.genericKubernetesResources(services(version)).inNamespace(namespace).resource(created).updateStatus();
    }

    public void route(String namespace, String name, String parentGateway, String parentNamespace) {
        GenericKubernetesResource route = Serialization.unmarshal("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  parentRefs:
                    - name: %s
                      namespace: %s
                """.formatted(name, namespace, parentGateway, parentNamespace), GenericKubernetesResource.class);
        namespace(namespace);
        client.genericKubernetesResources(ROUTES).inNamespace(namespace).resource(route).create();
    }

    /** What an admin writes today (docs/deployment.md step 5): post on this model for these groups. */
    public void grant(String namespace, String model, String... groups) {
        namespace(namespace);
        client.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata()
                .withName(model + "-post").withNamespace(namespace).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("serving.kserve.io").withResources("llminferenceservices")
                        .withResourceNames(model).withVerbs("post").build()).build()).create();
        List<Subject> subjects = java.util.Arrays.stream(groups).map(g -> new SubjectBuilder().withKind("Group")
                .withApiGroup("rbac.authorization.k8s.io").withName(g).build()).toList();
        client.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(model + "-post").withNamespace(namespace).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", model + "-post").withSubjects(subjects).build())
                .create();
    }
}
