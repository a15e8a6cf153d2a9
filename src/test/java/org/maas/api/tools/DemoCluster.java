package org.maas.api.tools;

import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.Identities;
import org.maas.api.usage.LimitadorFake;

/**
 * Seeds the real local control plane of {@code make demo} (tools/control-plane) the way an admin sets up a
 * cluster, and runs the Limitador fake (there is no Limitador server package):
 * <ul>
 * <li>the CRDs (Gateway API, Kuadrant, KServe, and the OpenShift Group stand-in), the Gateway,
 * <li>maas-api's shipped manifests (target/kubernetes/kubernetes.yml: namespace, ServiceAccount, tier
 * ConfigMap, RBAC, HTTPRoute and policies; not the Deployment, maas-api runs beside) and the model-access
 * overlay's RBAC, so that maas-api's reconciler grants the models for real,
 * <li>three LLMInferenceServices on maas-default-gateway annotated for different tiers,
 * <li>an admin group {@code maas-admins} allowed what the admin endpoints ask of the cluster's RBAC,
 * <li>Limitador counters for the premium user on one model.
 * </ul>
 * <pre>
 * java -cp target/test-classes:target/classes:TEST_CLASSPATH org.maas.api.tools.DemoCluster CONTROL_PLANE_DIR KUBECONFIG_FILE
 * </pre>
 * Writes a kubeconfig for maas-api's own ServiceAccount (a TokenRequest token) to KUBECONFIG_FILE, prints
 * {@code limitador<TAB>url} and {@code ready}, then serves the Limitador fake until killed.
 */
public final class DemoCluster {

    static final String MAAS_NAMESPACE = "maas-api";
    static final String MODEL_NAMESPACE = "llm";
    static final String ADMIN_GROUP = "maas-admins";

    /** A model of the demo: its object name, the name it is served under, the tiers it is granted to. */
    record DemoModel(String name, String servedName, List<String> tiers) {
    }

    static final List<DemoModel> MODELS = List.of(
            new DemoModel("granite", "ibm-granite/granite-3.1-8b-instruct", List.of("free", "premium", "enterprise")),
            new DemoModel("llama", "meta-llama/Llama-3.1-8B-Instruct", List.of("premium", "enterprise")),
            new DemoModel("mixtral", "mistralai/Mixtral-8x7B-Instruct-v0.1", List.of("enterprise")));

    private DemoCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoCluster CONTROL_PLANE_DIR KUBECONFIG_FILE");
            System.exit(2);
        }
        try {
            seedAndServe(args);
        } catch (Exception | AssertionError e) { // the client's threads would keep a failed seed alive
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void seedAndServe(String[] args) throws Exception {
        ControlPlane plane = ControlPlane.at(Path.of(args[0]));
        plane.installCrds();
        KubernetesClient admin = plane.admin();
        apply(admin, Path.of("policies/gateway-class.yaml"));
        apply(admin, Path.of("policies/gateway.yaml"));
        // The gateway policies as docs/deployment.md applies them; no Kuadrant operator runs here to accept them
        // (GET /v1/admin/doctor says so).
        apply(admin, Path.of("policies/gateway-auth-policy.yaml"));
        apply(admin, Path.of("policies/gateway-rate-limits.yaml"));
        apply(admin, Path.of("policies/gateway-token-rate-limits.yaml"));
        apply(admin, Path.of("target/kubernetes/kubernetes.yml"));
        apply(admin, Path.of("overlays/model-access/rbac.yaml"));
        admins(admin);
        models(admin.adapt(NamespacedKubernetesClient.class));

        MaasIdentity identity = Identities.forGateway(ModelFixtures.GATEWAY);
        LimitadorFake.counters(MODEL_NAMESPACE + "/llama-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, identity.serviceAccountName("pat"), "17", 71),
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, identity.serviceAccountName("pat"), "48800", 12));
        LimitadorFake.counters(MODEL_NAMESPACE + "/granite-kserve-route",
                new LimitadorFake.Counter("free-requests-2m", 5, 120, identity.serviceAccountName("alice"), "4", 90));
        String limitador = new LimitadorFake().start().get("maas.usage.limitador-url");

        String token = admin.serviceAccounts().inNamespace(MAAS_NAMESPACE).withName("maas-api")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
                .getStatus().getToken();
        Files.writeString(Path.of(args[1]), kubeconfig(plane, token));
        System.out.println("limitador\t" + limitador);
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join(); // the Limitador fake serves until the process is killed
    }

    private static void apply(KubernetesClient admin, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            for (HasMetadata item : admin.load(in).items()) {
                String namespace = item.getMetadata().getNamespace();
                if (namespace != null) { // as on a cluster, where openshift-ingress exists: the API server needs it
                    admin.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                            .withName(namespace).endMetadata().build()).serverSideApply();
                }
                if (!(item instanceof Deployment)) {
                    admin.resource(item).fieldManager("demo-admin").forceConflicts().serverSideApply();
                }
            }
        }
    }

    /** What docs/tokens.md asks of an admin: delete (and read) ServiceAccounts in the tier namespaces. */
    private static void admins(KubernetesClient admin) {
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("maas-admin").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("serviceaccounts")
                        .withVerbs("get", "list", "delete").build()).build()).serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("maas-admin").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "maas-admin")
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName(ADMIN_GROUP)
                .endSubject().build()).serverSideApply();
    }

    private static void models(NamespacedKubernetesClient client) {
        client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(MODEL_NAMESPACE).endMetadata().build()).serverSideApply();
        ResourceDefinitionContext services = new ResourceDefinitionContext.Builder().withGroup("serving.kserve.io")
                .withVersion("v1alpha2").withKind("LLMInferenceService").withPlural("llminferenceservices")
                .withNamespaced(true).build();
        ModelFixtures fixtures = new ModelFixtures(client, "v1alpha2");
        for (DemoModel model : MODELS) {
            if (client.genericKubernetesResources(services).inNamespace(MODEL_NAMESPACE).withName(model.name())
                    .get() != null) {
                continue;
            }
            GenericKubernetesResource stored = fixtures.onGateway(MODEL_NAMESPACE, model.name(), model.servedName());
            // the HTTPRoute KServe creates for a model on the gateway (its name: ModelReader's managed route)
            fixtures.route(MODEL_NAMESPACE, model.name() + "-kserve-route", ModelFixtures.GATEWAY, "openshift-ingress");
            String tiers = Serialization.asJson(model.tiers());
            client.genericKubernetesResources(services).inNamespace(MODEL_NAMESPACE).withName(stored.getMetadata()
                    .getName()).edit(s -> {
                        s.getMetadata().setAnnotations(Map.of("alpha.maas.opendatahub.io/tiers", tiers));
                        return s;
                    });
        }
    }

    private static String kubeconfig(ControlPlane plane, String token) {
        return Serialization.asYaml(new ConfigBuilder()
                .withClusters(new NamedClusterBuilder().withName("demo").withNewCluster().withServer(plane.apiUrl())
                        .withCertificateAuthority(plane.caCertificate().toString()).endCluster().build())
                .withUsers(new NamedAuthInfoBuilder().withName("maas-api").withNewUser().withToken(token).endUser().build())
                .withContexts(new NamedContextBuilder().withName("maas-api").withNewContext().withCluster("demo")
                        .withUser("maas-api").withNamespace(MAAS_NAMESPACE).endContext().build())
                .withCurrentContext("maas-api").build());
    }
}
