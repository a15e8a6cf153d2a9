package org.maas.api.manifest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.manifest.OptInFeatures.KEY_EXPIRES_AT;
import static org.maas.api.manifest.OptInFeatures.MODELS;
import static org.maas.api.manifest.OptInFeatures.PLANE;
import static org.maas.api.manifest.OptInFeatures.RATE_LIMIT_POLICIES;
import static org.maas.api.manifest.OptInFeatures.TOKEN_RATE_LIMIT_POLICIES;
import static org.maas.api.manifest.OptInFeatures.WITHIN;
import static org.maas.api.manifest.OptInFeatures.admin;
import static org.maas.api.manifest.OptInFeatures.authenticates;
import static org.maas.api.manifest.OptInFeatures.awaitRefused;
import static org.maas.api.manifest.OptInFeatures.createKey;
import static org.maas.api.manifest.OptInFeatures.editTiers;
import static org.maas.api.manifest.OptInFeatures.groupMember;
import static org.maas.api.manifest.OptInFeatures.keySecret;
import static org.maas.api.manifest.OptInFeatures.makeAdmin;
import static org.maas.api.manifest.OptInFeatures.mint;
import static org.maas.api.manifest.OptInFeatures.model;
import static org.maas.api.manifest.OptInFeatures.review;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LogCapture;

/**
 * Every opt-in feature on the real control plane, maas-api as its own ServiceAccount bound to the shipped base
 * RBAC plus overlays/policy-reconcile, overlays/model-access and overlays/group-revocation: each feature does
 * its job, every call authorized by the real RBAC (escalation prevention included), every revocation checked by
 * the real TokenReview. Its counterpart without the overlays is {@link OptInWithoutOverlaysTest}.
 *
 * <p>The Group premium-users is cluster-scoped: this class adds and removes only its own user in it. With
 * revocation on, a premium user of this class outside that Group loses their premium account, so only the
 * revocation test uses a premium user.
 */
@QuarkusTest
@TestProfile(OptInFeatures.AllOn.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = OptInOverlaysTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = OptInOverlaysTest.GATEWAY),
        @ResourceArg(name = "gateway-namespace", value = OptInOverlaysTest.GATEWAY_NAMESPACE),
        @ResourceArg(name = "overlays", value = "policy-reconcile,model-access,group-revocation")})
class OptInOverlaysTest {

    static final String NAMESPACE = "maas-api-optin-on";
    static final String GATEWAY = "optin-on-gw";
    static final String GATEWAY_NAMESPACE = "optin-on-gw-ns";
    static final String AUDIENCE = "optin-on-gw-sa";
    static final String MODEL_NAMESPACE = "optin-on-models";

    @Test
    void theLeaderAppliesTheTierLimitsOntoTheRealKuadrantCrdsAndFollowsTheTierConfig() {
        Resource<GenericKubernetesResource> requests = admin().genericKubernetesResources(RATE_LIMIT_POLICIES)
                .inNamespace(GATEWAY_NAMESPACE).withName("gateway-rate-limits");
        Resource<GenericKubernetesResource> tokens = admin().genericKubernetesResources(TOKEN_RATE_LIMIT_POLICIES)
                .inNamespace(GATEWAY_NAMESPACE).withName("gateway-token-rate-limits");
        await("both policies applied").atMost(WITHIN).until(() -> requests.get() != null && tokens.get() != null);

        GenericKubernetesResource live = requests.get();
        assertEquals(Map.of("group", "gateway.networking.k8s.io", "kind", "Gateway", "name", GATEWAY),
                spec(live).get("targetRef"));
        // The shipped tier config: premium has requests [{limit: 20, window: 2m}], tokens [{limit: 50000, window: 1m}].
        assertEquals(List.of(Map.of("limit", 20, "window", "2m")), rates(live, "premium-requests-2m"));
        assertEquals(List.of(Map.of("limit", 50000, "window", "1m")), rates(tokens.get(), "premium-tokens-1m"));
        List<String> appliers = live.getMetadata().getManagedFields().stream()
                .filter(f -> "Apply".equals(f.getOperation())).map(ManagedFieldsEntry::getManager).toList();
        assertEquals(List.of("maas-api"), appliers, "server-side applied by maas-api's field manager");

        editTiers(NAMESPACE, tiers -> tiers.replace("requests: [{limit: 20, window: 2m}]",
                "requests: [{limit: 21, window: 2m}]"));
        await("the new premium limit is applied").atMost(WITHIN)
                .until(() -> List.of(Map.of("limit", 21, "window", "2m")).equals(rates(requests.get(), "premium-requests-2m")));
    }

    @Test
    void anAnnotatedModelIsGrantedToItsTierThroughTheRealRbacAndItsGrantGoesWithIt() {
        ControlPlane.User user = PLANE.user(Pool.ENTERPRISE);
        GenericKubernetesResource model = model(MODEL_NAMESPACE, "granite", GATEWAY, GATEWAY_NAMESPACE,
                "[\"enterprise\"]");
        Resource<Role> role = admin().rbac().roles().inNamespace(MODEL_NAMESPACE).withName("maas-model-granite-access");
        Resource<RoleBinding> binding = admin().rbac().roleBindings().inNamespace(MODEL_NAMESPACE)
                .withName("maas-model-granite-access");
        await("the leader writes the Role and RoleBinding").atMost(WITHIN)
                .until(() -> role.get() != null && binding.get() != null);
        assertEquals(List.of("system:serviceaccounts:optin-on-gw-tier-enterprise"),
                binding.get().getSubjects().stream().map(Subject::getName).toList());
        assertEquals(model.getMetadata().getUid(), role.get().getMetadata().getOwnerReferences().get(0).getUid());
        // Written without bind or escalate: the API server let maas-api grant post only because it holds post itself.
        List<String> maasApiGroups = List.of("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE,
                "system:authenticated");
        for (String verb : List.of("bind", "escalate")) {
            assertFalse(allowed("system:serviceaccount:" + NAMESPACE + ":maas-api", maasApiGroups,
                    "rbac.authorization.k8s.io", "roles", null, verb), verb);
        }

        // The gateway's own question for a MaaS token of that tier: the token's reviewed identity, post on the model.
        UserInfo enterprise = review(mint(user), AUDIENCE).getStatus().getUser();
        assertTrue(mayPost(enterprise.getUsername(), enterprise.getGroups()), enterprise.toString());
        assertFalse(mayPost("system:serviceaccount:optin-on-gw-tier-free:someone",
                List.of("system:serviceaccounts", "system:serviceaccounts:optin-on-gw-tier-free", "system:authenticated")),
                "the free tier is not granted");

        admin().genericKubernetesResources(MODELS).inNamespace(MODEL_NAMESPACE).withName("granite").delete();
        await("the garbage collector deletes the grant with its model").atMost(WITHIN)
                .until(() -> role.get() == null && binding.get() == null);
    }

    @Test
    void aUserRemovedFromTheTiersGroupLosesTheirServiceAccountInThatTier() {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        groupMember("premium-users", user.name(), true);
        String token = mint(user);
        String account = accountOf(token);
        assertNotNull(admin().serviceAccounts().inNamespace("optin-on-gw-tier-premium").withName(account).get());

        try (LogCapture logs = LogCapture.start()) {
            groupMember("premium-users", user.name(), false);
            await("the premium account is deleted").atMost(WITHIN).until(() -> admin().serviceAccounts()
                    .inNamespace("optin-on-gw-tier-premium").withName(account).get() == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("event=token_revoke reason=group_change"
                    + " outcome=revoked user=\"" + user.name() + "\" tier=\"premium\" newTier=\"free\"")),
                    logs.lines().toString());
        }
        awaitRefused(token, AUDIENCE);
    }

    @Test
    void theLeaderDeletesTheSecretOfAKeyExpiredLongerThanTheGraceAgo() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        Map<String, String> key = createKey(user, "old");
        Map<String, String> kept = createKey(user, "current");
        String namespace = "optin-on-gw-tier-free";
        Secret secret = keySecret(namespace, key.get("id"));
        assertNotNull(secret);
        assertTrue(authenticates(key.get("key"), AUDIENCE));

        try (LogCapture logs = LogCapture.start()) {
            // As if the key had expired an hour ago: its Secret records its expiry.
            admin().secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).edit(s -> {
                s.getMetadata().getAnnotations().put(KEY_EXPIRES_AT, Instant.now().minus(1, ChronoUnit.HOURS).toString());
                return s;
            });
            await("the expired key's Secret is deleted").atMost(WITHIN).until(() -> keySecret(namespace, key.get("id")) == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("event=api_key_delete outcome=success"
                    + " reason=expired user=\"" + user.name() + "\"")), logs.lines().toString());
        }
        awaitRefused(key.get("key"), AUDIENCE);
        assertNotNull(keySecret(namespace, kept.get("id")), "the live key stays");
        assertTrue(authenticates(kept.get("key"), AUDIENCE));
    }

    @Test
    void anAdminListsAUsersKeysAndRevokesEverythingTheyHoldANonAdminGets403() {
        ControlPlane.User admin = PLANE.user(Pool.ADMIN);
        ControlPlane.User target = PLANE.user(Pool.ENTERPRISE);
        ControlPlane.User nobody = PLANE.user(Pool.FREE);
        makeAdmin("optin-on-admin", admin.name());
        String token = mint(target);
        Map<String, String> key = createKey(target, "ci");
        String account = accountOf(token);

        given().auth().oauth2(nobody.token()).get("/v1/admin/api-keys?user=" + target.name()).then().statusCode(403)
                .body("message", containsString("you may not delete serviceaccounts in namespace optin-on-gw-tier-"));
        given().auth().oauth2(nobody.token()).delete("/v1/admin/users/" + target.name() + "/tokens").then()
                .statusCode(403);
        assertTrue(authenticates(token, AUDIENCE), "a refused admin call revokes nothing");

        await("the admin's binding is in force").atMost(WITHIN).until(() -> given().auth().oauth2(admin.token())
                .get("/v1/admin/api-keys?user=" + target.name()).statusCode() == 200);
        given().auth().oauth2(admin.token()).get("/v1/admin/api-keys?user=" + target.name()).then().statusCode(200)
                .body("id", equalTo(List.of(key.get("id")))).body("user", hasItem(target.name()));
        given().auth().oauth2(admin.token()).delete("/v1/admin/users/" + target.name() + "/tokens").then()
                .statusCode(200).body("accounts.namespace", equalTo(List.of("optin-on-gw-tier-enterprise")))
                .body("accounts[0].apiKeys.id", equalTo(List.of(key.get("id"))));
        assertNull(admin().serviceAccounts().inNamespace("optin-on-gw-tier-enterprise").withName(account).get());
        awaitRefused(token, AUDIENCE);
        awaitRefused(key.get("key"), AUDIENCE);
    }

    /** The ServiceAccount a token authenticates as, by the real TokenReview. */
    private static String accountOf(String token) {
        String username = review(token, AUDIENCE).getStatus().getUser().getUsername();
        return username.substring(username.lastIndexOf(':') + 1);
    }

    private static boolean mayPost(String user, List<String> groups) {
        return allowed(user, groups, "serving.kserve.io", "llminferenceservices", "granite", "post");
    }

    /** The real RBAC authorizer's answer, in the models' namespace. */
    private static boolean allowed(String user, List<String> groups, String apiGroup, String resource, String name,
                                   String verb) {
        SubjectAccessReview review = admin().authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups(groups)
                        .withNewResourceAttributes().withGroup(apiGroup).withResource(resource).withName(name)
                        .withNamespace(MODEL_NAMESPACE).withVerb(verb).endResourceAttributes().endSpec().build());
        return Boolean.TRUE.equals(review.getStatus().getAllowed());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource policy) {
        return (Map<String, Object>) policy.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Object rates(GenericKubernetesResource policy, String limit) {
        Map<String, Object> limits = (Map<String, Object>) spec(policy).get("limits");
        Map<String, Object> one = (Map<String, Object>) limits.get(limit);
        return one == null ? null : one.get("rates");
    }
}
