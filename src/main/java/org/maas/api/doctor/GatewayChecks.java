package org.maas.api.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** The Gateway of the setup guide's step 2: it exists, its controller programmed it, models may attach to it. */
final class GatewayChecks implements CheckGroup {

    static final String PROGRAMMED = "gateway.programmed";
    static final String LISTENER = "gateway.listener";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    GatewayChecks(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public List<String> checks() {
        return List.of(PROGRAMMED, LISTENER);
    }

    @Override
    public String reads() {
        return "Gateway " + namespace + "/" + name;
    }

    @Override
    public List<Check> run() {
        GenericKubernetesResource gateway = client.genericKubernetesResources(Resources.GATEWAYS).inNamespace(namespace)
                .withName(name).get();
        String what = "Gateway " + namespace + "/" + name;
        if (gateway == null) {
            String fix = "create it (the setup guide's step 2, policies/gateway.yaml) or set maas.gateway.name and"
                    + " maas.gateway.namespace to the gateway your models use";
            return List.of(Check.fail(PROGRAMMED, what + " not found", fix), Check.fail(LISTENER, what + " not found", fix));
        }
        Conditions conditions = Conditions.of(gateway);
        Check programmed = conditions.find("Programmed")
                .map(c -> c.isTrue() ? Check.pass(PROGRAMMED, what + ": " + c.describe())
                        : Check.fail(PROGRAMMED, what + ": " + c.describe(), "see `kubectl describe gateway -n "
                        + namespace + " " + name + "` and its GatewayClass's controller; traffic flows only once"
                        + " Programmed is True"))
                .orElse(Check.fail(PROGRAMMED, what + " has no Programmed condition: no gateway controller has"
                        + " taken it", "check that its GatewayClass (spec.gatewayClassName) exists and that its"
                        + " controller runs"));
        return List.of(programmed, listener(conditions.spec(), what));
    }

    private static Check listener(JsonNode spec, String what) {
        List<String> seen = new ArrayList<>();
        for (JsonNode listener : spec.path("listeners")) {
            // Gateway API's default for allowedRoutes.namespaces.from is Same
            String from = listener.path("allowedRoutes").path("namespaces").path("from").asText("Same");
            String described = listener.path("name").asText() + " (" + listener.path("protocol").asText() + "/"
                    + listener.path("port").asText() + ", routes from " + from + ")";
            if ("All".equals(from)) {
                return Check.pass(LISTENER, what + ": listener " + described);
            }
            seen.add(described);
        }
        return Check.fail(LISTENER, what + ": no listener allows routes from all namespaces; listeners: "
                + (seen.isEmpty() ? "none" : String.join(", ", seen)), "set allowedRoutes.namespaces.from: All on a"
                + " listener: models and maas-api attach HTTPRoutes from their own namespaces");
    }
}
