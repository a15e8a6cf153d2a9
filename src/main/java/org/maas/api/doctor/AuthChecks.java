package org.maas.api.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.maas.api.identity.MaasIdentity;

/**
 * The live gateway AuthPolicy against this maas-api: its tier lookup callout ({@code metadata.*.http}) reaches
 * this service's Service and port with a JSON POST (KUADRANT.md: Authorino never checks the status code, and a
 * callout that fails leaves no tier, so every model call is 403); and the token audiences agree: the gateway's
 * AuthPolicy and maas-api's own route policy accept maas.tokens.audience, the audience every MaaS token carries,
 * and the tier namespaces and the audience derive from the same gateway name.
 */
final class AuthChecks implements CheckGroup {

    static final String TIER_LOOKUP = "auth.tier-lookup";
    static final String AUDIENCES = "auth.audiences";
    /** The Service the manifests ship (quarkus.kubernetes.name, the generated Service's port 80). */
    static final String SERVICE = "maas-api";
    static final int SERVICE_PORT = 80;
    static final String LOOKUP_PATH = "/v1/tiers/lookup";

    private final KubernetesClient client;
    private final String gatewayNamespace;
    private final String gateway;
    private final String ownNamespace;
    private final MaasIdentity identity;

    AuthChecks(KubernetesClient client, String gatewayNamespace, String gateway, String ownNamespace,
               MaasIdentity identity) {
        this.client = client;
        this.gatewayNamespace = gatewayNamespace;
        this.gateway = gateway;
        this.ownNamespace = ownNamespace;
        this.identity = identity;
    }

    @Override
    public List<String> checks() {
        return List.of(TIER_LOOKUP, AUDIENCES);
    }

    @Override
    public String reads() {
        return "AuthPolicies " + gatewayNamespace + "/gateway-auth-policy and " + ownNamespace + "/maas-api-auth-policy";
    }

    @Override
    public List<Check> run() {
        GenericKubernetesResource gatewayPolicy = client.genericKubernetesResources(Resources.AUTH_POLICIES)
                .inNamespace(gatewayNamespace).withName("gateway-auth-policy").get();
        GenericKubernetesResource ownPolicy = client.genericKubernetesResources(Resources.AUTH_POLICIES)
                .inNamespace(ownNamespace).withName("maas-api-auth-policy").get();
        if (gatewayPolicy == null) {
            String seen = "AuthPolicy " + gatewayNamespace + "/gateway-auth-policy not found";
            String fix = "apply policies/gateway-auth-policy.yaml (make deploy)";
            return List.of(Check.fail(TIER_LOOKUP, seen, fix), Check.fail(AUDIENCES, seen, fix));
        }
        JsonNode rules = Conditions.of(gatewayPolicy).spec();
        return List.of(tierLookup(rules), audiences(rules, ownPolicy == null ? null : Conditions.of(ownPolicy).spec()));
    }

    /** The rules wherever AuthPolicy allows them: spec.rules, spec.defaults.rules, spec.overrides.rules. */
    private static List<JsonNode> sections(JsonNode spec, String section) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode rules : List.of(spec.path("rules"), spec.path("defaults").path("rules"),
                spec.path("overrides").path("rules"))) {
            rules.path(section).fields().forEachRemaining(entry -> found.add(entry.getValue()));
        }
        return found;
    }

    private Check tierLookup(JsonNode spec) {
        Set<String> hosts = Set.of(SERVICE + "." + ownNamespace + ".svc.cluster.local", SERVICE + "." + ownNamespace
                + ".svc", SERVICE + "." + ownNamespace);
        String expected = "http://" + SERVICE + "." + ownNamespace + ".svc.cluster.local:" + SERVICE_PORT + LOOKUP_PATH;
        List<String> seen = new ArrayList<>();
        for (JsonNode metadata : sections(spec, "metadata")) {
            JsonNode http = metadata.path("http");
            String url = http.path("url").asText("");
            if (!url.endsWith(LOOKUP_PATH) && !url.contains(LOOKUP_PATH + "?")) {
                continue;
            }
            List<String> wrong = new ArrayList<>();
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                seen.add(url + ": not a URL");
                continue;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            if (uri.getHost() == null || !hosts.contains(uri.getHost())) {
                wrong.add("host " + uri.getHost() + " is not this maas-api's Service (" + SERVICE + "." + ownNamespace
                        + ")");
            }
            if (port != SERVICE_PORT || !"http".equals(uri.getScheme())) {
                wrong.add(uri.getScheme() + " port " + port + " is not the Service's http port " + SERVICE_PORT);
            }
            if (!"POST".equals(http.path("method").asText("GET"))) {
                wrong.add("method " + http.path("method").asText("GET") + " (maas-api answers POST)");
            }
            if (!"application/json".equals(http.path("contentType").asText("application/x-www-form-urlencoded"))) {
                wrong.add("contentType " + http.path("contentType").asText("application/x-www-form-urlencoded (the"
                        + " CRD's default)") + " (maas-api answers 415 to anything but application/json)");
            }
            if (wrong.isEmpty()) {
                return Check.pass(TIER_LOOKUP, "the tier lookup callout POSTs JSON to " + url);
            }
            seen.add(url + ": " + String.join("; ", wrong));
        }
        String fix = "set the callout to url: " + expected + ", method: POST, contentType: application/json; until"
                + " then no request gets a tier and every model call is 403";
        return Check.fail(TIER_LOOKUP, seen.isEmpty() ? "gateway-auth-policy has no metadata http callout to "
                + LOOKUP_PATH + ": the gateway never asks maas-api for a tier" : String.join(" | ", seen), fix);
    }

    private Check audiences(JsonNode gatewaySpec, JsonNode ownSpec) {
        String audience = identity.audience();
        Set<String> gatewayAudiences = audiences(gatewaySpec);
        List<String> problems = new ArrayList<>();
        if (!gatewayAudiences.contains(audience)) {
            problems.add("gateway-auth-policy accepts audiences " + gatewayAudiences + ", not maas.tokens.audience "
                    + audience + ": every MaaS token and API key is 401 at the gateway");
        }
        if (ownSpec != null && !audiences(ownSpec).contains(audience)) {
            problems.add("maas-api-auth-policy accepts " + audiences(ownSpec) + ", not " + audience + ": a MaaS token"
                    + " cannot read /v1/models, /v1/usage or /v1/access through the gateway");
        }
        if (!problems.isEmpty()) {
            return Check.fail(AUDIENCES, String.join("; ", problems), "make the kubernetesTokenReview audiences of the"
                    + " AuthPolicies and maas.tokens.audience the same (by default <gateway name>-sa)");
        }
        String derived = gateway + "-tier-";
        if (!identity.tierNamespacePrefix().equals(derived) || !audience.equals(gateway + "-sa")) {
            return Check.warn(AUDIENCES, "the AuthPolicies accept " + audience + ", but the tier namespaces ("
                    + identity.tierNamespacePrefix() + "<tier>) and the audience do not both derive from gateway "
                    + gateway + " as upstream's components expect (" + derived + "<tier>, " + gateway + "-sa)",
                    "unset maas.gateway.tier-namespace-prefix and maas.tokens.audience unless another component"
                            + " is configured the same way");
        }
        return Check.pass(AUDIENCES, "the AuthPolicies accept maas.tokens.audience " + audience + "; tier namespaces "
                + identity.tierNamespacePrefix() + "<tier>");
    }

    private static Set<String> audiences(JsonNode spec) {
        Set<String> audiences = new TreeSet<>();
        for (JsonNode authentication : sections(spec, "authentication")) {
            authentication.path("kubernetesTokenReview").path("audiences").forEach(a -> audiences.add(a.asText()));
        }
        return audiences;
    }
}
