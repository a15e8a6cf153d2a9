package org.maas.api.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The caches of the gateway's AuthPolicy as this build ships it (policies/gateway-auth-policy.yaml, bundled
 * into the jar by the build): every rule with a {@code cache}, its {@code ttl} and what change waits for it.
 * Read from the policy, never written down twice; a live policy edited by hand is not seen here.
 */
final class GatewayCaches {

    static final String RESOURCE = "maas-policies/gateway-auth-policy.yaml";
    private static final Map<String, String> DELAYS = Map.of(
            "authentication", "a revoked or deleted MaaS token or API key still authenticates at the gateway for a"
                    + " caller already seen",
            "metadata", "a tier change (your groups, the tier config) reaches model calls of a user already seen",
            "authorization", "a RoleBinding or tier annotation change reaches model calls of a user already seen on"
                    + " that model");

    private GatewayCaches() {
    }

    static List<AccessReport.Cache> shipped() {
        try (InputStream in = GatewayCaches.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the build");
            }
            return of(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<AccessReport.Cache> of(JsonNode policy) {
        String source = "the AuthPolicy " + policy.path("metadata").path("namespace").asText() + "/"
                + policy.path("metadata").path("name").asText() + " shipped with this maas-api"
                + " (policies/gateway-auth-policy.yaml)";
        List<AccessReport.Cache> caches = new ArrayList<>();
        for (String section : List.of("authentication", "metadata", "authorization")) {
            policy.path("spec").path("rules").path(section).fields().forEachRemaining(rule -> {
                JsonNode ttl = rule.getValue().path("cache").path("ttl");
                if (ttl.canConvertToLong()) {
                    caches.add(new AccessReport.Cache("gateway", section + "." + rule.getKey(), ttl.asLong(),
                            DELAYS.get(section), source));
                }
            });
        }
        return caches;
    }
}
