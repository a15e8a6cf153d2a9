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
 * openshift-ingress, where nothing is bound: give one to a class that reconciles the gateway's policies).
 */
public class ControlPlaneResource implements QuarkusTestResourceLifecycleManager {

    private String namespace;
    private String gateway;
    private String gatewayNamespace;
    private String[] overlays;

    @Override
    public void init(Map<String, String> args) {
        namespace = args.getOrDefault("namespace", "maas-api-test");
        gateway = args.getOrDefault("gateway", namespace + "-gw");
        gatewayNamespace = args.get("gateway-namespace");
        String named = args.getOrDefault("overlays", "");
        overlays = named.isBlank() ? new String[0] : Arrays.stream(named.split(",")).map(String::trim)
                .toArray(String[]::new);
    }

    @Override
    public Map<String, String> start() {
        ControlPlane plane = ControlPlane.shared();
        plane.installCrds();
        String token = plane.maasApi(namespace, gatewayNamespace, overlays);
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
