package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig;
import org.maas.api.tier.TierResource;

/**
 * What quarkus-kubernetes wrote to target/kubernetes at `package` (generated Service and Deployment merged
 * with src/main/kubernetes/kubernetes.yml): valid, and wired to the policies and to the code.
 */
class GeneratedManifestsIT {

    private static final MaasConfig CONFIG = DefaultConfig.MAAS;
    private static final List<ObjectNode> GENERATED = ManifestFiles.generated();
    private static final List<ObjectNode> POLICIES = ManifestFiles.kustomize("policies");
    /**
     * This machine's own directories (the directory holding the clone, where a local git remote also lives, and
     * the user's home), file: URIs (not "seccompProfile:"), and the annotation that carried such a path.
     */
    private static final Pattern BUILD_MACHINE = Pattern.compile(
            Pattern.quote(ManifestFiles.ROOT.getParent().toString() + "/") + "|"
                    + Pattern.quote(System.getProperty("user.home") + "/") + "|(?<![A-Za-z])file:|app\\.quarkus\\.io/vcs-uri");

    private static ObjectNode service() {
        List<ObjectNode> services = ManifestFiles.ofKind(GENERATED, "Service");
        assertEquals(1, services.size(), "one Service");
        return services.get(0);
    }

    private static ObjectNode deployment() {
        List<ObjectNode> deployments = ManifestFiles.ofKind(GENERATED, "Deployment");
        assertEquals(1, deployments.size(), "one Deployment");
        return deployments.get(0);
    }

    private static JsonNode container() {
        JsonNode containers = deployment().path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    private static JsonNode httpServicePort() {
        for (JsonNode port : service().path("spec").path("ports")) {
            if ("http".equals(port.path("name").asText())) {
                return port;
            }
        }
        throw new AssertionError("the Service has no port named http");
    }

    /** The path the lookup is served on, from TierResource's JAX-RS annotations. */
    private static String lookupPath() {
        String base = TierResource.class.getAnnotation(Path.class).value();
        var method = java.util.Arrays.stream(TierResource.class.getMethods())
                .filter(m -> m.getName().equals("lookup")).findFirst().orElseThrow();
        return base + method.getAnnotation(Path.class).value();
    }

    @Test
    void theLookupCalloutReachesTheServiceOnTheServedPath() {
        ObjectNode authPolicy = ManifestFiles.ofKind(POLICIES, "AuthPolicy").get(0);
        List<URI> urls = new ArrayList<>();
        authPolicy.path("spec").path("rules").path("metadata")
                .forEach(m -> urls.add(URI.create(m.path("http").path("url").asText())));
        assertEquals(1, urls.size(), "one metadata callout");
        URI url = urls.get(0);
        JsonNode metadata = service().path("metadata");
        assertEquals("http", url.getScheme(), "maas-api serves plain HTTP inside the cluster");
        assertEquals(metadata.path("name").asText() + "." + metadata.path("namespace").asText() + ".svc.cluster.local",
                url.getHost(), "the callout host is the generated Service");
        assertEquals(httpServicePort().path("port").asInt(), url.getPort() == -1 ? 80 : url.getPort(), "Service port");
        assertEquals(lookupPath(), url.getPath(), "TierResource's lookup path");
    }

    @Test
    void theServiceReachesTheContainerPortMaasApiListensOn() {
        int httpPort = Integer.parseInt(DefaultConfig.property("quarkus.http.port"));
        assertEquals(httpPort, httpServicePort().path("targetPort").asInt(), "Service targetPort = quarkus.http.port");
        JsonNode containerPort = container().path("ports").get(0);
        assertEquals(httpPort, containerPort.path("containerPort").asInt());
        JsonNode selector = service().path("spec").path("selector");
        JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue(), podLabels.path(e.getKey()),
                "the Service selects the pods: " + e.getKey()));
    }

    @Test
    void theRouteSendsToTheService() {
        ObjectNode route = ManifestFiles.one(GENERATED, "HTTPRoute", "maas-api-route");
        JsonNode backend = route.path("spec").path("rules").get(0).path("backendRefs").get(0);
        assertEquals(service().path("metadata").path("name").asText(), backend.path("name").asText());
        assertEquals(httpServicePort().path("port").asInt(), backend.path("port").asInt());
        assertEquals(service().path("metadata").path("namespace").asText(), route.path("metadata").path("namespace").asText(),
                "same namespace, so no ReferenceGrant is needed");
        JsonNode rule = route.path("spec").path("rules").get(0);
        String prefix = rule.path("matches").get(0).path("path").path("value").asText();
        String replacement = rule.path("filters").get(0).path("urlRewrite").path("path").path("replacePrefixMatch").asText();
        assertTrue(lookupPath().startsWith(replacement), "the rewrite lands on the API: " + replacement);
        assertEquals("/maas-api" + replacement, prefix, "/maas-api/... is rewritten to /...");
    }

    @Test
    void probesAndResourcesAreSet() {
        JsonNode container = container();
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        JsonNode resources = container.path("resources");
        for (String field : List.of("/requests/memory", "/limits/memory", "/requests/cpu")) {
            assertFalse(resources.at(field).asText().isEmpty(), "resources" + field);
        }
        assertEquals(DefaultConfig.property("quarkus.kubernetes.env.vars.java-opts-append"),
                env(container, "JAVA_OPTS_APPEND"), "the JVM options the benchmark measured");
        assertEquals(DefaultConfig.property("quarkus.kubernetes.env.vars.gc-container-options"),
                env(container, "GC_CONTAINER_OPTIONS"), "the GC the benchmark measured, where run-java.sh expects it");
        assertEquals(Boolean.FALSE, container.at("/securityContext/allowPrivilegeEscalation").booleanValue());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").booleanValue());
    }

    @Test
    void thePodRunsAsTheServiceAccountTheRbacBinds() {
        String account = deployment().path("spec").path("template").path("spec").path("serviceAccountName").asText();
        String namespace = deployment().path("metadata").path("namespace").asText();
        ManifestFiles.one(GENERATED, "ServiceAccount", account);
        List<ObjectNode> bindings = new ArrayList<>(ManifestFiles.ofKind(GENERATED, "RoleBinding"));
        bindings.addAll(ManifestFiles.ofKind(GENERATED, "ClusterRoleBinding"));
        assertEquals(6, bindings.size(), "tier config, leader election, tokens, models and the doctor's two"
                + " (the gateway's namespace and maas-api's own)");
        for (ObjectNode binding : bindings) {
            JsonNode subject = binding.path("subjects").get(0);
            assertEquals(account, subject.path("name").asText(), ManifestFiles.id(binding));
            assertEquals(namespace, subject.path("namespace").asText(), ManifestFiles.id(binding));
        }
        assertEquals(namespace, ManifestFiles.one(GENERATED, "ConfigMap", CONFIG.tiers().configMapName())
                .path("metadata").path("namespace").asText(), "the ConfigMap is in the service's own namespace");
        ManifestFiles.one(GENERATED, "Namespace", namespace);
    }

    @Test
    void theNetworkPolicyAdmitsTheGatewayToTheServedPort() {
        ObjectNode policy = ManifestFiles.one(GENERATED, "NetworkPolicy", "maas-api");
        JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
        policy.path("spec").path("podSelector").path("matchLabels").fields().forEachRemaining(e ->
                assertEquals(e.getValue(), podLabels.path(e.getKey()), "the NetworkPolicy selects maas-api's pods"));
        assertEquals(httpServicePort().path("targetPort").asInt(),
                policy.path("spec").path("ingress").get(0).path("ports").get(0).path("port").asInt());
    }

    @Test
    void theGeneratedConfigMapStillHoldsTheTierFile() {
        assertEquals(Tiers.defaultFileText(), ManifestFiles.one(GENERATED, "ConfigMap", CONFIG.tiers().configMapName())
                .path("data").path(CONFIG.tiers().configMapKey()).asText());
    }

    /**
     * The doctor reads the Gateway and the policies by Roles in the gateway's namespace (the one the route attaches
     * to) and in maas-api's own; no ClusterRole grants Gateway API or Kuadrant objects.
     */
    @Test
    void theDoctorReadsOnlyInTheGatewaysNamespaceAndItsOwn() {
        // The shipped gateway namespace, written out: read from the manifests, a wrong one would agree with itself.
        assertEquals("openshift-ingress", ManifestFiles.one(GENERATED, "HTTPRoute", "maas-api-route").path("spec")
                .path("parentRefs").get(0).path("namespace").asText());
        assertEquals("openshift-ingress", CONFIG.gateway().namespace(), "maas.gateway.namespace's default");
        assertEquals("openshift-ingress", ManifestFiles.one(GENERATED, "Role", "maas-api-doctor-gateway")
                .path("metadata").path("namespace").asText());
        assertEquals(deployment().path("metadata").path("namespace").asText(), ManifestFiles.one(GENERATED, "Role",
                "maas-api-doctor").path("metadata").path("namespace").asText());
        for (ObjectNode role : ManifestFiles.ofKind(GENERATED, "ClusterRole")) {
            for (JsonNode rule : role.path("rules")) {
                for (JsonNode group : rule.path("apiGroups")) {
                    assertFalse(group.asText().equals("kuadrant.io") || (group.asText().equals("gateway.networking.k8s.io")
                            && rule.path("resources").toString().contains("gateways")), ManifestFiles.id(role) + ": " + rule);
                }
            }
        }
    }

    @Test
    void noBroadRoleIsGenerated() {
        Set<String> broad = Set.of("view", "edit", "admin", "cluster-admin");
        for (ObjectNode object : GENERATED) {
            assertFalse(broad.contains(object.path("roleRef").path("name").asText()), ManifestFiles.id(object));
        }
    }

    /**
     * Nothing of the machine that built them: quarkus-kubernetes would annotate every object with
     * {@code app.quarkus.io/vcs-uri}, the clone's git remote, which is a local path when the clone came from
     * one (application.properties turns that off).
     */
    @Test
    void noGeneratedFileNamesAPathOfTheBuildMachine() throws IOException {
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> listed = Files.list(ManifestFiles.path("target/kubernetes"))) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(files.isEmpty(), "target/kubernetes has output");
        for (java.nio.file.Path file : files) {
            String text = Files.readString(file);
            Matcher machine = BUILD_MACHINE.matcher(text);
            assertFalse(machine.find(), () -> file.getFileName() + " contains " + machine.group() + ": ..."
                    + text.substring(Math.max(0, machine.start() - 60), Math.min(text.length(), machine.end() + 60))
                    + "...");
        }
    }

    /**
     * The production jar (target/quarkus-app/app/, which `make build` writes) holds the service only: no class
     * compiled from src/test (tests, harness, build tools) nor from src/bench (the benchmark's baseline).
     */
    @Test
    void theProductionJarHoldsNoTestOrBenchmarkClass() throws IOException {
        Set<String> notShipped = new java.util.TreeSet<>();
        for (String root : List.of("src/test/java", "src/test/generated-client", "src/bench/java")) {
            notShipped.addAll(sourceClasses(ManifestFiles.path(root)));
        }
        assertTrue(notShipped.contains("org/maas/api/bench/ConstantBaselineResource"), "src/bench/java is read");
        List<java.nio.file.Path> jars;
        try (Stream<java.nio.file.Path> listed = Files.list(ManifestFiles.path("target/quarkus-app/app"))) {
            jars = listed.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertEquals(1, jars.size(), "one application jar in target/quarkus-app/app: " + jars);
        List<String> shipped;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(jars.get(0).toFile())) {
            shipped = jar.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).toList();
        }
        assertTrue(shipped.contains(TierResource.class.getName().replace('.', '/')), "the jar holds the service");
        List<String> leaked = shipped.stream()
                .filter(c -> notShipped.contains(c.contains("$") ? c.substring(0, c.indexOf('$')) : c)).toList();
        assertEquals(List.of(), leaked, "classes of src/test or src/bench in " + jars.get(0).getFileName());
    }

    /** The top-level class names (a/b/C) of the .java files under a source root, from their paths. */
    private static Set<String> sourceClasses(java.nio.file.Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                    .map(f -> f.substring(0, f.length() - ".java".length()))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asText())) {
                return env.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }
}
