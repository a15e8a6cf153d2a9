package org.maas.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads LLMInferenceServices (v1alpha1 and v1alpha2 have the same fields for this) and HTTPRoutes as JSON:
 * which models are attached to the MaaS gateway, and how each is shown.
 */
final class ModelReader {

    private static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

    private final String gatewayName;
    private final String gatewayNamespace;

    ModelReader(String gatewayName, String gatewayNamespace) {
        this.gatewayName = gatewayName;
        this.gatewayNamespace = gatewayNamespace;
    }

    /**
     * Whether the model opted into the gateway: {@code spec.router.gateway.refs} names it, or an HTTPRoute
     * the model uses has it as a parent (a route of its own namespace named in {@code spec.router.route.http.refs},
     * or the route KServe creates from {@code spec.router.route.http.spec}).
     *
     * @param routes an HTTPRoute by namespace and name, or null when unknown
     */
    boolean attached(JsonNode service, Function<String, JsonNode> routes) {
        String namespace = service.path("metadata").path("namespace").asText();
        JsonNode router = service.path("spec").path("router");
        for (JsonNode ref : router.path("gateway").path("refs")) {
            if (gatewayName.equals(ref.path("name").asText())
                    && gatewayNamespace.equals(ref.path("namespace").asText(namespace))) {
                return true;
            }
        }
        JsonNode http = router.path("route").path("http");
        if (hasGatewayParent(http.path("spec"), namespace)) {
            return true;
        }
        for (JsonNode ref : http.path("refs")) {
            JsonNode route = routes.apply(namespace + "/" + ref.path("name").asText());
            if (route != null && hasGatewayParent(route.path("spec"), namespace)) {
                return true;
            }
        }
        return false;
    }

    /** A parentRef's group and kind default to the Gateway API's Gateway, its namespace to the route's. */
    boolean hasGatewayParent(JsonNode routeSpec, String routeNamespace) {
        for (JsonNode parent : routeSpec.path("parentRefs")) {
            if (GATEWAY_API_GROUP.equals(parent.path("group").asText(GATEWAY_API_GROUP))
                    && "Gateway".equals(parent.path("kind").asText("Gateway"))
                    && gatewayName.equals(parent.path("name").asText())
                    && gatewayNamespace.equals(parent.path("namespace").asText(routeNamespace))) {
                return true;
            }
        }
        return false;
    }

    Model model(JsonNode service, Function<String, JsonNode> routes) {
        JsonNode metadata = service.path("metadata");
        String name = metadata.path("name").asText();
        String servedName = service.path("spec").path("model").path("name").asText("");
        return new Model(metadata.path("namespace").asText(), name, servedName.isBlank() ? name : servedName,
                created(metadata.path("creationTimestamp").asText("")), url(service.path("status")), ready(service),
                route(service, routes));
    }

    /**
     * The HTTPRoute that serves the model, {@code <namespace>/<name>}: the first route named in
     * {@code spec.router.route.http.refs} whose parent is the MaaS gateway, else the first one named there;
     * with no refs, the route KServe manages for it, named {@code kmeta.ChildName(<name>, "-kserve-route")}
     * in its namespace (KServe's llmisvc controller).
     */
    String route(JsonNode service, Function<String, JsonNode> routes) {
        String namespace = service.path("metadata").path("namespace").asText();
        String first = null;
        for (JsonNode ref : service.path("spec").path("router").path("route").path("http").path("refs")) {
            String key = namespace + "/" + ref.path("name").asText();
            JsonNode route = routes.apply(key);
            if (route != null && hasGatewayParent(route.path("spec"), namespace)) {
                return key;
            }
            first = first == null ? key : first;
        }
        return first != null ? first : namespace + "/" + childName(service.path("metadata").path("name").asText(),
                MANAGED_ROUTE_SUFFIX);
    }

    static final String MANAGED_ROUTE_SUFFIX = "-kserve-route";
    private static final int LONGEST_NAME = 63;
    private static final int MD5_HEX = 32;

    /** knative.dev/pkg/kmeta.ChildName for a suffix shorter than 31: a long parent is cut and its md5 appended. */
    static String childName(String parent, String suffix) {
        if (parent.length() <= LONGEST_NAME - suffix.length()) {
            return parent + suffix;
        }
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5")
                    .digest(parent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return parent.substring(0, LONGEST_NAME - MD5_HEX - suffix.length()) + java.util.HexFormat.of().formatHex(md5)
                    + suffix;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    private static long created(String timestamp) {
        try {
            return timestamp.isEmpty() ? 0 : Instant.parse(timestamp).getEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    /** An external entry of status.addresses, then status.address, then status.url. */
    static String url(JsonNode status) {
        for (JsonNode address : status.path("addresses")) {
            String url = address.path("url").asText("");
            if (!url.isEmpty() && isExternal(address.path("name").asText(""), url)) {
                return url;
            }
        }
        return Optional.of(status.path("address").path("url").asText(""))
                .filter(u -> !u.isEmpty())
                .orElseGet(() -> status.path("url").asText(null));
    }

    /** KServe names its addresses (e.g. gateway-external / gateway-internal); unnamed ones by the host. */
    private static boolean isExternal(String name, String url) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("internal")) {
            return false;
        }
        if (lower.contains("external")) {
            return true;
        }
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return host != null && !host.endsWith(".svc") && !host.endsWith(".cluster.local") && host.contains(".");
    }

    /** Not being deleted, its status is about the current generation, and its Ready condition is True. */
    static boolean ready(JsonNode service) {
        JsonNode metadata = service.path("metadata");
        JsonNode status = service.path("status");
        if (metadata.hasNonNull("deletionTimestamp") || !status.path("observedGeneration").isIntegralNumber()
                || status.path("observedGeneration").asLong() != metadata.path("generation").asLong(0)) {
            return false;
        }
        for (JsonNode condition : status.path("conditions")) {
            if ("Ready".equals(condition.path("type").asText())) {
                return "True".equals(condition.path("status").asText());
            }
        }
        return false;
    }
}
