package org.maas.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.testing.ApiKeys.created;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.Identities;
import org.maas.api.testing.LogCapture;
import org.maas.api.testing.ApiKeys;
import org.maas.api.testing.TokenChecks;
import org.maas.api.testing.TokenBoot;

/**
 * The admin endpoints on the real control plane: an admin is a user of the group maas-admins, bound in each
 * tier namespace to a ClusterRole that may delete ServiceAccounts, exactly as docs/deployment.md tells an
 * administrator to grant it; maas-api asks the real RBAC with a SubjectAccessReview.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = TokenBoot.NAMESPACE),
        @ResourceArg(name = "gateway", value = TokenBoot.GATEWAY)})
class AdminResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway(TokenBoot.GATEWAY);
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = IDENTITY.tierNamespace("free");
    private static final String PREMIUM = IDENTITY.tierNamespace("premium");
    private static final String ENTERPRISE = IDENTITY.tierNamespace("enterprise");
    private static final String ADMIN_ROLE = "maas-token-admin";
    private static final ControlPlane PLANE = ControlPlane.shared();

    /** docs/deployment.md: a ClusterRole with delete on serviceaccounts, bound to maas-admins in every tier namespace. */
    @BeforeEach
    void adminsMayDeleteServiceAccountsInEveryTierNamespace() {
        TokenChecks.tierNamespace(FREE, Pool.FREE);
        TokenChecks.tierNamespace(PREMIUM, Pool.PREMIUM);
        TokenChecks.tierNamespace(ENTERPRISE, Pool.ENTERPRISE);
        PLANE.admin().resource(new ClusterRoleBuilder().withNewMetadata().withName(ADMIN_ROLE).endMetadata()
                .addNewRule().withApiGroups("").withResources("serviceaccounts").withVerbs("delete").endRule().build())
                .serverSideApply();
        for (String namespace : List.of(FREE, PREMIUM, ENTERPRISE)) {
            bind(namespace, ADMIN_ROLE, new SubjectBuilder().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                    .withName("maas-admins").build());
        }
    }

    private static void bind(String namespace, String name, io.fabric8.kubernetes.api.model.rbac.Subject subject) {
        PLANE.admin().resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", ADMIN_ROLE)
                .withSubjects(subject).build()).serverSideApply();
    }

    private static String admin() {
        return PLANE.user(Pool.ADMIN).token();
    }

    private ValidatableResponse revoke(String bearer, String user, String query) {
        return given().header("Authorization", "Bearer " + bearer)
                .when().delete("/v1/admin/users/" + user + "/tokens" + query).then();
    }

    @Test
    void aDryRunSaysWhatWouldBeRevokedAndChangesNothing() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        ApiKeys.Created key = created(user.token(), "laptop");
        String token = given().header("Authorization", "Bearer " + user.token()).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");

        revoke(admin(), user.name(), "?dryRun=true").statusCode(200)
                .body("user", equalTo(user.name())).body("dryRun", equalTo(true))
                .body("accounts.namespace", equalTo(List.of(FREE)))
                .body("accounts[0].serviceAccount", equalTo(IDENTITY.serviceAccountName(user.name())))
                .body("accounts[0].apiKeys.id", equalTo(List.of(key.id())));

        assertTrue(TokenChecks.authenticates(key.key(), AUDIENCE));
        assertTrue(TokenChecks.authenticates(token, AUDIENCE));
        assertNotNull(PLANE.admin().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName(user.name())).get());
    }

    @Test
    void anAdminRevokeKillsEveryKeyAndTokenOfTheUserAndIsAudited() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        ApiKeys.Created one = created(user.token(), "one");
        ApiKeys.Created two = created(user.token(), "two");
        String token = given().header("Authorization", "Bearer " + user.token()).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        ApiKeys.Created bystander = created(PLANE.user(Pool.FREE).token(), "mine");
        ControlPlane.User admin = PLANE.user(Pool.ADMIN);

        List<String> audit;
        try (LogCapture log = LogCapture.start()) {
            revoke(admin.token(), user.name(), "").statusCode(200).body("dryRun", equalTo(false))
                    .body("accounts[0].apiKeys.size()", equalTo(2));
            audit = log.lines().stream().filter(l -> l.startsWith("maas.audit ")).toList();
        }
        TokenChecks.awaitRefused(one.key(), AUDIENCE);
        TokenChecks.awaitRefused(two.key(), AUDIENCE);
        TokenChecks.awaitRefused(token, AUDIENCE);
        assertTrue(TokenChecks.authenticates(bystander.key(), AUDIENCE), "another user's key");
        assertNull(PLANE.admin().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName(user.name())).get());
        ApiKeys.list(user.token()).body("size()", equalTo(0));
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=admin_revoke outcome=success actor=\"" + admin.name()
                + "\" subject=\"" + user.name() + "\" tier=\"free\" namespace=\"" + FREE + "\"")
                && l.contains("apiKeys=2 dryRun=false")), audit.toString());
    }

    @Test
    void aCallerWithoutThePermissionGets403NamingItAndNothingChanges() {
        ControlPlane.User user = PLANE.user(Pool.FREE);
        ApiKeys.Created key = created(user.token(), "k");
        String nobody = PLANE.user(Pool.FREE).token();
        revoke(nobody, user.name(), "").statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("delete serviceaccounts in namespace"));
        given().header("Authorization", "Bearer " + nobody).get("/v1/admin/api-keys?user=" + user.name()).then()
                .statusCode(403).body("message", containsString("delete serviceaccounts"));

        ControlPlane.User halfAdmin = PLANE.user(Pool.FREE); // allowed in the user's namespace, not in every tier's
        bind(FREE, "half-admin-" + halfAdmin.name(), new SubjectBuilder().withKind("User")
                .withApiGroup("rbac.authorization.k8s.io").withName(halfAdmin.name()).build());
        revoke(halfAdmin.token(), user.name(), "").statusCode(403).body("message", containsString(ENTERPRISE));
        assertTrue(TokenChecks.authenticates(key.key(), AUDIENCE));
        assertNotNull(PLANE.admin().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName(user.name())).get());
    }

    @Test
    void aMaasTokenCannotActAsAdmin() {
        ControlPlane.User admin = PLANE.user(Pool.ADMIN);
        ApiKeys.Created key = created(admin.token(), "admin-key");
        bind(FREE, "key-as-admin", new SubjectBuilder().withKind("ServiceAccount").withNamespace(FREE)
                .withName(IDENTITY.serviceAccountName(admin.name())).build());
        revoke(key.key(), "anyone", "").statusCode(403).body("message", containsString("own cluster identity"));
    }

    @Test
    void adminsListKeysByUserAndTier() {
        ControlPlane.User user = PLANE.user(Pool.PREMIUM);
        ApiKeys.Created key = created(user.token(), "listed");
        String admin = admin();
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?user=" + user.name()).then()
                .statusCode(200).body("id", equalTo(List.of(key.id()))).body("[0].user", equalTo(user.name()))
                .body("[0].tier", equalTo("premium")).body("[0].key", org.hamcrest.Matchers.nullValue());
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?user=" + user.name() + "&tier=free")
                .then().statusCode(200).body("size()", equalTo(0));
        List<String> premium = given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?tier=premium")
                .then().statusCode(200).extract().jsonPath().getList("tier");
        assertTrue(premium.contains("premium") && premium.stream().allMatch("premium"::equals), premium.toString());
        assertTrue(given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys").then().statusCode(200)
                .extract().jsonPath().getList("id").contains(key.id()));
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?tier=Not_A_Tier").then().statusCode(400);
    }

    @Test
    void badDryRunValuesAre400AndUnknownUsersHaveNothingToRevoke() {
        String admin = admin();
        revoke(admin, "someone", "?dryRun=yes").statusCode(400).body("message", containsString("dryRun"));
        revoke(admin, "never-seen", "").statusCode(404).body("error", equalTo("not_found")); // issue 24: a typo is no success
        assertEquals(401, given().delete("/v1/admin/users/x/tokens").then().extract().statusCode());
    }
}
