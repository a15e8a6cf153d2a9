package org.maas.api.manifest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.manifest.OptInFeatures.KEY_EXPIRES_AT;
import static org.maas.api.manifest.OptInFeatures.PLANE;
import static org.maas.api.manifest.OptInFeatures.RATE_LIMIT_POLICIES;
import static org.maas.api.manifest.OptInFeatures.WITHIN;
import static org.maas.api.manifest.OptInFeatures.admin;
import static org.maas.api.manifest.OptInFeatures.authenticates;
import static org.maas.api.manifest.OptInFeatures.awaitRefused;
import static org.maas.api.manifest.OptInFeatures.createKey;
import static org.maas.api.manifest.OptInFeatures.editTiers;
import static org.maas.api.manifest.OptInFeatures.keySecret;
import static org.maas.api.manifest.OptInFeatures.makeAdmin;
import static org.maas.api.manifest.OptInFeatures.mint;
import static org.maas.api.manifest.OptInFeatures.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LogCapture;

/**
 * Every opt-in feature switched on, but maas-api bound to the shipped base RBAC only (no overlay), on the real
 * control plane: each feature whose overlay is missing says so in one line at WARN or above that names the
 * verb, resource and namespace (or cluster scope) the real API server refused and the overlay that grants it,
 * instead of doing nothing silently; the expired-key cleanup and the admin endpoints need no overlay (the base
 * RBAC has what they call) and work. Counterpart of {@link OptInOverlaysTest}.
 */
@QuarkusTest
@TestProfile(OptInFeatures.AllOn.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = OptInWithoutOverlaysTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = OptInWithoutOverlaysTest.GATEWAY),
        @ResourceArg(name = "gateway-namespace", value = OptInWithoutOverlaysTest.GATEWAY_NAMESPACE)})
class OptInWithoutOverlaysTest {

    static final String NAMESPACE = "maas-api-optin-off";
    static final String GATEWAY = "optin-off-gw";
    static final String GATEWAY_NAMESPACE = "optin-off-gw-ns";
    static final String AUDIENCE = "optin-off-gw-sa";
    static final String MODEL_NAMESPACE = "optin-off-models";

    @Test
    void policyReconcileNamesWhatTheApiServerRefusedAndItsOverlay() {
        try (LogCapture logs = LogCapture.start()) {
            editTiers(NAMESPACE, tiers -> tiers.replace("requests: [{limit: 20, window: 2m}]",
                    "requests: [{limit: 22, window: 2m}]"));
            // The shipped RBAC lets maas-api read the policies (the doctor's Role in the gateway's namespace): the apply
            // is what is refused.
            for (String resource : List.of("ratelimitpolicies", "tokenratelimitpolicies")) {
                awaitOneWarning(logs, "cannot patch resource \"" + resource + "\" in API group \"kuadrant.io\" in the"
                        + " namespace \"" + GATEWAY_NAMESPACE + "\"", "overlays/policy-reconcile");
            }
        }
        assertNull(admin().genericKubernetesResources(RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName("gateway-rate-limits").get());
    }

    @Test
    void modelAccessNamesWhatTheApiServerRefusedAndItsOverlay() {
        try (LogCapture logs = LogCapture.start()) {
            model(MODEL_NAMESPACE, "granite", GATEWAY, GATEWAY_NAMESPACE, "[\"enterprise\"]");
            awaitOneWarning(logs, "cannot get resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the"
                    + " namespace \"" + MODEL_NAMESPACE + "\"", "overlays/model-access");
        }
        assertNull(admin().rbac().roles().inNamespace(MODEL_NAMESPACE).withName("maas-model-granite-access").get());
    }

    @Test
    void groupRevocationNamesThePermissionItLacksAndItsOverlay() {
        try (LogCapture logs = LogCapture.start()) {
            // The informer on the Groups retries (backoff up to 8 s) and says so each time.
            awaitOneWarning(logs, "not allowed to list and watch groups.user.openshift.io (cluster scope",
                    "overlays/group-revocation");
        }
    }

    @Test
    void theExpiredKeyCleanupNeedsNoOverlay() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        Map<String, String> key = createKey(user, "old");
        String namespace = "optin-off-gw-tier-free";
        Secret secret = keySecret(namespace, key.get("id"));
        assertNotNull(secret);
        admin().secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).edit(s -> {
            s.getMetadata().getAnnotations().put(KEY_EXPIRES_AT, Instant.now().minus(1, ChronoUnit.HOURS).toString());
            return s;
        });
        await("the expired key's Secret is deleted").atMost(WITHIN).until(() -> keySecret(namespace, key.get("id")) == null);
        awaitRefused(key.get("key"), AUDIENCE);
    }

    @Test
    void theAdminEndpointsNeedNoOverlay() {
        ControlPlane.User admin = PLANE.user(Pool.ADMIN);
        ControlPlane.User target = PLANE.user(Pool.FREE);
        makeAdmin("optin-off-admin", admin.name());
        String token = mint(target);
        assertTrue(authenticates(token, AUDIENCE));

        await("the admin's binding is in force").atMost(WITHIN).until(() -> given().auth().oauth2(admin.token())
                .get("/v1/admin/api-keys?user=" + target.name()).statusCode() == 200);
        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + target.name() + "/tokens").then()
                .statusCode(200).body("accounts.namespace", equalTo(List.of("optin-off-gw-tier-free")));
        awaitRefused(token, AUDIENCE);
    }

    /**
     * Awaits a line at WARN or above that contains all these parts, and finds only one such line however often
     * it was logged: the one clear line an operator greps for.
     */
    private static void awaitOneWarning(LogCapture logs, String... parts) {
        Predicate<String> wanted = line -> Arrays.stream(parts).allMatch(line::contains);
        await("a warning with " + Arrays.toString(parts)).atMost(WITHIN)
                .until(() -> logs.warnings().stream().anyMatch(wanted));
        List<String> distinct = logs.warnings().stream().filter(wanted).distinct().toList();
        assertEquals(1, distinct.size(), distinct.toString());
    }
}
