package org.maas.api.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.maas.api.identity.MaasIdentity;

/**
 * The boot of the leader-only work on tokens and keys (GroupRevocationTest, ExpiredKeyCleanupTest share it):
 * group revocation on (with overlays/group-revocation's RBAC) without periodic resync, reviews cached for an
 * hour, the expired-key cleanup every second, and a short Lease so that a replica leads soon after start.
 * TierlessMintTest shares it too, for its tier ConfigMap: {@link #tiers} writes it.
 */
public class LeaderWork implements QuarkusTestProfile {

    public static final String NAMESPACE = "maas-api-leader-work";
    public static final String GATEWAY = "leader-work-gw";
    public static final String OVERLAYS = "group-revocation";
    public static final MaasIdentity IDENTITY = Identities.forGateway(GATEWAY);
    /**
     * The tier config the tests of this boot write ({@code %s}: the marker {@link #tiers} puts in). Every group
     * of premium and enterprise is a Group object in GroupRevocationTest; partner's maas-admins is not one (as a
     * group from the identity provider): the API server's token file gives it to its admin users.
     */
    public static final String TIERS = """
            - {name: free, level: 0, groups: [system:authenticated], description: "%s"}
            - {name: premium, level: 1, groups: [premium-users, premium-contractors]}
            - {name: partner, level: 1, groups: [partner-users, maas-admins]}
            - {name: enterprise, level: 2, groups: [enterprise-users]}
            """;

    @Override
    public Map<String, String> getConfigOverrides() {
        // No periodic resync and reviews cached for the whole run: a revocation GroupRevocationTest sees is the
        // work of an event (a Group change, an account added) or of a tier config change it made, and a mint
        // after a Group change reuses the review made before it, as within the shipped 30 s TTL.
        return ShortLease.with(Map.of("maas.revocation.on-group-change", "on",
                "maas.revocation.resync-interval", "1h",
                "maas.identity.review-cache-ttl", "1h",
                "maas.api-keys.cleanup-interval", "1s"));
    }

    /** Writes the tier ConfigMap (with a fresh marker, so it always changes) and waits until maas-api serves it. */
    public static void tiers(String template) {
        String marker = "config " + UUID.randomUUID();
        ControlPlane.shared().admin().configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping")
                .edit(map -> {
                    map.getData().put("tiers", template.formatted(marker));
                    return map;
                });
        await("maas-api serves the tier config").atMost(Duration.ofSeconds(60)).until(() -> given().get("/v1/tiers")
                .then().statusCode(200).extract().jsonPath().getList("description").contains(marker));
    }
}
