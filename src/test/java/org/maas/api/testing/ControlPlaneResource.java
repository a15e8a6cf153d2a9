package org.maas.api.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points the application under test at the run's real control plane ({@link ControlPlane}), authenticated as
 * a maas-api ServiceAccount of the test's own with the shipped RBAC. Init args: {@code namespace} (maas-api's
 * namespace for this test: its ServiceAccount and tier ConfigMap), {@code gateway} (the gateway name, from
 * which the tier namespaces and the token audience derive, so that classes do not share them) and
 * {@code overlays} (comma-separated opt-in overlays whose RBAC is bound too; none by default) and
 * {@code gateway-namespace} (maas.gateway.namespace, created with the overlays' Roles there; by default
 * openshift-ingress, where nothing is bound: give one to a class that reconciles the gateway's policies) and
 * {@code tier-config} ({@code absent}: the shipped tier ConfigMap is deleted before the application starts).
 */
public class ControlPlaneResource implements QuarkusTestResourceLifecycleManager {

    private String namespace;
    private String gateway;
    private String gatewayNamespace;
    private String[] overlays;
    private boolean tierConfig;

    @Override
    public void init(Map<String, String> args) {
        namespace = args.getOrDefault("namespace", "maas-api-test");
        gateway = args.getOrDefault("gateway", namespace + "-gw");
        gatewayNamespace = args.get("gateway-namespace");
        tierConfig = !"absent".equals(args.get("tier-config"));
        String named = args.getOrDefault("overlays", "");
        overlays = named.isBlank() ? new String[0] : Arrays.stream(named.split(",")).map(String::trim)
                .toArray(String[]::new);
    }

    @Override
    public Map<String, String> start() {
        ControlPlane plane = ControlPlane.shared();
        plane.installCrds();
        String token = plane.maasApi(namespace, gatewayNamespace, overlays);
        if (!tierConfig) { // init arg tier-config=absent: the application starts before its tier ConfigMap exists
            plane.admin().configMaps().inNamespace(namespace).withName("tier-to-group-mapping").delete();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> plane.admin()
                    .configMaps().inNamespace(namespace).withName("tier-to-group-mapping").get() == null);
        }
        Map<String, String> settings = new LinkedHashMap<>(plane.clientSettings(token, namespace));
        settings.put("maas.tiers.source", "configmap");
        settings.put("maas.tiers.config-map-namespace", namespace);
        settings.put("maas.gateway.name", gateway);
        if (gatewayNamespace != null) {
            settings.put("maas.gateway.namespace", gatewayNamespace);
        }
        return settings;
    }

    @Override
    public void stop() {
        // the control plane outlives the class: it is the run's
    }
}
