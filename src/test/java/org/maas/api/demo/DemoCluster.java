package org.maas.api.demo;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.model.ModelFixtures;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.usage.LimitadorFake;

/**
 * The local stand-in for a cluster behind {@code make demo} (and DemoJourneyTest): on 127.0.0.1 only, the
 * test suite's {@link KubernetesApiStub} (an imitation of the API server, not a cluster) and a
 * {@link LimitadorFake}, seeded with
 * <ul>
 * <li>the tier ConfigMap {@code maas-api/tier-to-group-mapping} holding src/main/resources/default-tiers.yaml,
 * <li>four users with cluster tokens: one per tier by their groups, and one in no tier,
 * <li>three LLMInferenceServices on maas-default-gateway, annotated for different tiers, with the Role and
 * RoleBinding maas-api's model-access reconciler writes for them (so the stub's SubjectAccessReviews answer),
 * <li>Limitador counters for the premium user on one model.
 * </ul>
 * <pre>
 * java -cp target/test-classes:target/classes:TEST_CLASSPATH org.maas.api.demo.DemoCluster PORT KUBECONFIG_FILE
 * </pre>
 * PORT 0 picks a free one. Prints {@code user<TAB>name<TAB>tier<TAB>token} per user, {@code limitador<TAB>url},
 * {@code api<TAB>url}, then {@code ready}, writes a kubeconfig for the stub to KUBECONFIG_FILE and serves until
 * killed.
 */
public final class DemoCluster {

    static final String TIER_NAMESPACE = "maas-api";
    static final String MODEL_NAMESPACE = "llm";
    // JUL keeps loggers weakly: hold the ones made quiet
    private static final List<Logger> QUIET = new ArrayList<>();
    private static final ResourceDefinitionContext SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io").withVersion("v1alpha2").withKind("LLMInferenceService")
            .withPlural("llminferenceservices").withNamespaced(true).build();

    /** A model of the demo: its object name, the name it is served under, the tiers it is granted to. */
    record DemoModel(String name, String servedName, List<String> tiers) {
    }

    /** A user of the demo: cluster groups as the API server's TokenReview reports them. */
    record DemoUser(String name, String tier, String... groups) {
    }

    static final List<DemoModel> MODELS = List.of(
            new DemoModel("granite", "ibm-granite/granite-3.1-8b-instruct", List.of("free", "premium", "enterprise")),
            new DemoModel("llama", "meta-llama/Llama-3.1-8B-Instruct", List.of("premium", "enterprise")),
            new DemoModel("mixtral", "mistralai/Mixtral-8x7B-Instruct-v0.1", List.of("enterprise")));

    // The real API server adds system:authenticated to every user; "nobody" lacks it only so that one user
    // matches no tier of the default file (free is system:authenticated).
    static final List<DemoUser> USERS = List.of(
            new DemoUser("alice", "free", "system:authenticated"),
            new DemoUser("pat", "premium", "system:authenticated", "premium-users"),
            new DemoUser("erin", "enterprise", "system:authenticated", "enterprise-users"),
            new DemoUser("nobody", "none"));

    private DemoCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoCluster PORT KUBECONFIG_FILE");
            System.exit(2);
        }
        for (String name : List.of("", "io.fabric8", "io.vertx", "io.netty")) {
            Logger logger = Logger.getLogger(name); // the mock web server logs every request at INFO
            logger.setLevel(Level.WARNING);
            QUIET.add(logger);
        }
        KubernetesApiStub api = new KubernetesApiStub();
        api.start(Integer.parseInt(args[0]));
        NamespacedKubernetesClient client = api.client();
        client.configMaps().inNamespace(TIER_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("tier-to-group-mapping").withNamespace(TIER_NAMESPACE).endMetadata()
                .withData(Map.of("tiers", Files.readString(Path.of("src/main/resources/default-tiers.yaml"))))
                .build()).create();
        MaasIdentity identity = Identities.forGateway(ModelFixtures.GATEWAY);
        storeModels(api, identity);
        List<String> lines = new ArrayList<>();
        for (DemoUser user : USERS) {
            lines.add(String.join("\t", "user", user.name(), user.tier(), api.addUser(user.name(), user.groups())));
        }
        String pat = identity.serviceAccountName("pat");
        String other = identity.serviceAccountName("alice");
        LimitadorFake.counters(MODEL_NAMESPACE + "/llama-kserve-route",
                new LimitadorFake.Counter("premium-requests-2m", 20, 120, pat, "17", 71),
                new LimitadorFake.Counter("premium-tokens-1m", 50000, 60, pat, "48800", 12));
        LimitadorFake.counters(MODEL_NAMESPACE + "/granite-kserve-route",
                new LimitadorFake.Counter("free-requests-2m", 5, 120, other, "4", 90));
        String limitador = new LimitadorFake().start().get("maas.usage.limitador-url");
        String url = "http://127.0.0.1:" + api.port();
        Files.writeString(Path.of(args[1]), kubeconfig(url));
        lines.forEach(System.out::println);
        System.out.println("limitador\t" + limitador);
        System.out.println("api\t" + url);
        System.out.println("ready");
        System.out.flush();
        while (true) {
            Thread.sleep(1000);
            api.forgetServerRequests(); // the mock server remembers every request: keep a long demo small
        }
    }

    private static void storeModels(KubernetesApiStub api, MaasIdentity identity) {
        api.serveApiGroup("serving.kserve.io", "v1alpha2", "v1alpha1");
        NamespacedKubernetesClient client = api.client();
        ModelFixtures fixtures = new ModelFixtures(client, "v1alpha2");
        for (DemoModel model : MODELS) {
            GenericKubernetesResource stored = fixtures.onGateway(MODEL_NAMESPACE, model.name(), model.servedName());
            String tiers = model.tiers().stream().map(t -> "\"" + t + "\"").reduce((a, b) -> a + "," + b).orElse("");
            stored.getMetadata().setAnnotations(Map.of("alpha.maas.opendatahub.io/tiers", "[" + tiers + "]"));
            client.genericKubernetesResources(SERVICES).inNamespace(MODEL_NAMESPACE).resource(stored).update();
            grant(client, model, identity);
        }
    }

    /** The Role and RoleBinding maas-api's reconciler applies for a model's tiers (AccessObjects). */
    private static void grant(NamespacedKubernetesClient client, DemoModel model, MaasIdentity identity) {
        String name = "maas-model-" + model.name() + "-access";
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "maas-api",
                "maas.opendatahub.io/model", model.name());
        client.rbac().roles().inNamespace(MODEL_NAMESPACE).resource(new RoleBuilder().withNewMetadata()
                .withName(name).withNamespace(MODEL_NAMESPACE).withLabels(labels).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("serving.kserve.io").withResources("llminferenceservices")
                        .withResourceNames(model.name()).withVerbs("post").build()).build()).create();
        List<Subject> subjects = model.tiers().stream().sorted().map(tier -> new SubjectBuilder().withKind("Group")
                .withApiGroup("rbac.authorization.k8s.io").withName(identity.tierGroup(tier)).build()).toList();
        client.rbac().roleBindings().inNamespace(MODEL_NAMESPACE).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(name).withNamespace(MODEL_NAMESPACE).withLabels(labels).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name).withSubjects(subjects).build()).create();
    }

    private static String kubeconfig(String url) {
        return """
                # the local stand-in of make demo (org.maas.api.demo.DemoCluster), not a cluster
                apiVersion: v1
                kind: Config
                clusters:
                  - name: maas-demo
                    cluster:
                      server: %s
                contexts:
                  - name: maas-demo
                    context:
                      cluster: maas-demo
                      user: maas-api
                      namespace: %s
                current-context: maas-demo
                users:
                  - name: maas-api
                    user: {}
                """.formatted(url, TIER_NAMESPACE);
    }
}
