package org.maas.api.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real control plane the tests run against (etcd, kube-apiserver, kube-controller-manager from
 * tools/control-plane): one per test run, shared by every test class. {@code make test} starts it and names
 * its directory in {@code MAAS_CONTROL_PLANE_DIR}; a test started alone (an IDE, {@code -Dtest=}) starts one
 * in target/control-plane and stops it when the JVM exits.
 *
 * <p>Each test class takes users of its own ({@link #user}) and a maas-api ServiceAccount of its own
 * ({@link #maasApi}) bound to exactly the Roles and ClusterRoles the manifests ship: the base, plus the opt-in
 * overlays the class names. The admin client ({@link #admin}) is {@code system:masters}: fixtures only.
 */
public final class ControlPlane {

    /** The user pools of tools/control-plane/control-plane.sh, by the tier group they carry. */
    public enum Pool {
        FREE("free-"), PREMIUM("premium-"), ENTERPRISE("enterprise-"), ADMIN("admin-"),
        /** One name, three logins: no tier group; premium-users; premium-users and enterprise-users ({@link #logins}). */
        MOVER("mover-");

        final String prefix;

        Pool(String prefix) {
            this.prefix = prefix;
        }
    }

    public record User(String name, String token) {
    }

    private static ControlPlane shared;
    /** Where the manifests put the gateway (maas.gateway.namespace's default). */
    private static final String GATEWAY_NAMESPACE = "openshift-ingress";
    private static final int ADMIN_REQUEST_TIMEOUT_MILLIS = 60_000;

    private final Path dir;
    private final String apiUrl;
    private final KubernetesClient admin;
    private boolean crdsInstalled;

    private ControlPlane(Path dir) {
        this.dir = dir;
        Properties env = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("env"))) {
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no control plane in " + dir, e);
        }
        this.apiUrl = env.getProperty("KUBE_API");
        Config adminConfig = Config.fromKubeconfig(read(dir.resolve("admin.kubeconfig")));
        // Fixtures only: a loaded 2-core machine can take more than the default 10 s to apply a large CRD.
        adminConfig.setRequestTimeout(ADMIN_REQUEST_TIMEOUT_MILLIS);
        this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    }

    /** A control plane that tools/control-plane/control-plane.sh started in {@code dir}. */
    public static ControlPlane at(Path dir) {
        return new ControlPlane(dir.toAbsolutePath());
    }

    /** The run's control plane, started here when {@code make test} has not started one. */
    public static synchronized ControlPlane shared() {
        if (shared == null) {
            String given = System.getenv("MAAS_CONTROL_PLANE_DIR");
            Path dir;
            if (given != null && Files.isRegularFile(Path.of(given, "env"))) {
                dir = Path.of(given);
            } else {
                dir = Path.of("target/control-plane").toAbsolutePath();
                script("start", dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> script("stop", dir), "control-plane-stop"));
            }
            shared = new ControlPlane(dir);
        }
        return shared;
    }

    private static void script(String command, Path dir) {
        try {
            Process process = new ProcessBuilder("tools/control-plane/control-plane.sh", command, dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(60, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("tools/control-plane/control-plane.sh " + command + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    public Path caCertificate() {
        return dir.resolve("pki/ca.crt");
    }

    /** system:masters: for fixtures, never for the code under test. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A static user of {@code pool} that no other test (in any JVM of this run) has taken. */
    public User user(Pool pool) {
        Path claims = dir.resolve("claims");
        try {
            Files.createDirectories(claims);
            for (String line : Files.readAllLines(dir.resolve("users.csv"))) {
                String[] fields = line.split(",", 4);
                if (!fields[1].startsWith(pool.prefix)) {
                    continue;
                }
                try {
                    Files.createFile(claims.resolve(fields[1]));
                    return new User(fields[1], fields[0]);
                } catch (FileAlreadyExistsException taken) {
                    // the next one
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("every user of pool " + pool + " is taken: add more in control-plane.sh");
    }

    /** The CRDs maas-api meets (Gateway API, Kuadrant, KServe) and the Group stand-in, Established. */
    public synchronized void installCrds() {
        if (crdsInstalled) {
            return;
        }
        List<Path> files = new ArrayList<>(yamlFiles(org.maas.api.manifest.SchemaDir.require()));
        files.add(Path.of("tools/control-plane/crds/groups.user.openshift.io.yaml"));
        for (Path file : files) {
            for (HasMetadata item : load(file)) {
                if (item instanceof CustomResourceDefinition crd) {
                    crd.getMetadata().setResourceVersion(null);
                    try { // a plain create: server-side apply of KServe's 42k-line CRD takes seconds of managedFields
                        admin.resource(crd).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) { // 409: installed earlier in this run (another JVM), the same file
                            throw e;
                        }
                    }
                    admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                            .waitUntilCondition(ControlPlane::established, 60, TimeUnit.SECONDS);
                }
            }
        }
        crdsInstalled = true;
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * A maas-api identity of the caller's own: namespace {@code namespace} with the ServiceAccount
     * {@code maas-api} and the shipped tier ConfigMap, bound to the shipped RBAC (src/main/kubernetes) and to
     * the RBAC of each named overlay (overlays/NAME/rbac.yaml), the bindings re-pointed from maas-api/maas-api
     * to this account. Returns a token of that ServiceAccount from a real TokenRequest.
     */
    public String maasApi(String namespace, String... overlays) {
        return maasApi(namespace, null, overlays);
    }

    /**
     * As {@link #maasApi(String, String...)}, with the gateway in {@code gatewayNamespace} (created here)
     * instead of openshift-ingress: the Roles and RoleBindings in openshift-ingress (the doctor's, and the policy
     * reconcile overlay's) move there, so that classes reconciling policies do not share them. Null: those are
     * left out, as before.
     */
    public String maasApi(String namespace, String gatewayNamespace, String... overlays) {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        if (gatewayNamespace != null) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(gatewayNamespace).endMetadata().build())
                    .serverSideApply();
        }
        admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("maas-api").withNamespace(namespace)
                .endMetadata().build()).serverSideApply();
        List<Path> rbac = new ArrayList<>(List.of(Path.of("src/main/kubernetes/kubernetes.yml")));
        for (String overlay : overlays) {
            rbac.add(Path.of("overlays", overlay, "rbac.yaml"));
        }
        Subject account = new SubjectBuilder().withKind("ServiceAccount").withName("maas-api")
                .withNamespace(namespace).build();
        for (Path file : rbac) {
            for (HasMetadata item : load(file)) {
                HasMetadata copy = repoint(item, namespace, gatewayNamespace, account);
                if (copy != null) {
                    admin.resource(copy).forceConflicts().serverSideApply();
                }
            }
        }
        return admin.serviceAccounts().inNamespace(namespace).withName("maas-api")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(6 * 3600L).endSpec()
                        .build())
                .getStatus().getToken();
    }

    /** The Quarkus settings that make the application under test authenticate as {@code token}. */
    public Map<String, String> clientSettings(String token, String namespace) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.kubernetes-client.api-server-url", apiUrl);
        settings.put("quarkus.kubernetes-client.ca-cert-file", caCertificate().toString());
        settings.put("quarkus.kubernetes-client.token", token);
        settings.put("quarkus.kubernetes-client.namespace", namespace);
        // Quarkus warns at start that these build-time properties changed, with their values: the token would be
        // in the test log. Only tests set them at run time; a pod reads its mounted token.
        settings.put("quarkus.log.category.\"io.quarkus.runtime.configuration.ConfigRecorder\".level", "ERROR");
        return settings;
    }

    private static HasMetadata repoint(HasMetadata item, String namespace, String gatewayNamespace,
                                       Subject account) {
        item.getMetadata().setResourceVersion(null);
        String suffix = "-" + namespace;
        if (item instanceof ClusterRole) {
            return item; // the same rules for every copy
        }
        if (item instanceof ClusterRoleBinding binding) {
            binding.getMetadata().setName(binding.getMetadata().getName() + suffix);
            binding.setSubjects(List.of(account));
            return binding;
        }
        if (item instanceof Role || item instanceof RoleBinding
                || item instanceof io.fabric8.kubernetes.api.model.ConfigMap) {
            String from = item.getMetadata().getNamespace();
            if ("maas-api".equals(from)) {
                item.getMetadata().setNamespace(namespace);
            } else if (GATEWAY_NAMESPACE.equals(from) && gatewayNamespace != null
                    && !(item instanceof io.fabric8.kubernetes.api.model.ConfigMap)) {
                item.getMetadata().setNamespace(gatewayNamespace);
            } else {
                return null; // only maas-api's own namespace (and the gateway's, when given) moves
            }
            if (item instanceof RoleBinding binding) {
                binding.setSubjects(List.of(account));
            }
            return item;
        }
        return null;
    }

    private List<HasMetadata> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return admin.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the kube-apiserver process only (etcd and the controllers keep running): an outage every client sees. */
    public void stopApiServer() {
        script("stop-apiserver", dir);
    }

    /** Starts the kube-apiserver process again, on the same address with the same flags; returns once it is ready. */
    public void startApiServer() {
        script("start-apiserver", dir);
    }

    /** A client of {@code namespace} authenticated with {@code token} (e.g. {@link #maasApi}'s), trusting the CA. */
    public KubernetesClient clientAs(String token, String namespace) {
        return clientAs(token, namespace, "maas-api-test");
    }

    /**
     * Every login (token) of one user of {@code pool} that no other test has taken, in the order of users.csv:
     * for {@link Pool#MOVER}, the same person with the groups they had at three different logins.
     */
    public List<User> logins(Pool pool) {
        User first = user(pool);
        try {
            return Files.readAllLines(dir.resolve("users.csv")).stream().map(line -> line.split(",", 4))
                    .filter(fields -> fields[1].equals(first.name())).map(fields -> new User(fields[1], fields[0]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client authenticated as {@code token} (say, from {@link #maasApi}), for code under test that is built
     * without Quarkus; {@code userAgent} tells replicas apart in the API server's audit and managedFields.
     */
    public KubernetesClient clientAs(String token, String namespace, String userAgent) {
        return new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
                .withMasterUrl(apiUrl).withCaCertFile(caCertificate().toString()).withOauthToken(token)
                .withNamespace(namespace).withUserAgent(userAgent).build()).build();
    }
}
