package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.token.ApiKeys.created;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;

@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class AdminResourceTest {

    private static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    private static final String AUDIENCE = IDENTITY.audience();
    private static final String FREE = "maas-default-gateway-tier-free";
    private static final List<String> TIER_NAMESPACES = List.of(FREE, "maas-default-gateway-tier-premium",
            "maas-default-gateway-tier-enterprise");

    @KubernetesTestServer
    KubernetesApiStub api;

    @AfterEach
    void forgetGrants() {
        api.forgetGrants();
    }

    /** An admin who may delete ServiceAccounts in every tier namespace, by the cluster's RBAC. */
    private String admin(String name) {
        TIER_NAMESPACES.forEach(namespace -> api.allow(name, "delete", "serviceaccounts", namespace));
        return api.addUser(name, "system:authenticated");
    }

    private ValidatableResponse revoke(String bearer, String user, String query) {
        return given().header("Authorization", "Bearer " + bearer)
                .when().delete("/v1/admin/users/" + user + "/tokens" + query).then();
    }

    @Test
    void aDryRunSaysWhatWouldBeRevokedAndChangesNothing() {
        String user = api.addUser("offboard-dry", "system:authenticated");
        ApiKeys.Created key = created(user, "laptop");
        String token = given().header("Authorization", "Bearer " + user).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");

        revoke(admin("admin-dry"), "offboard-dry", "?dryRun=true").statusCode(200)
                .body("user", equalTo("offboard-dry")).body("dryRun", equalTo(true))
                .body("accounts.namespace", equalTo(List.of(FREE)))
                .body("accounts[0].serviceAccount", equalTo(IDENTITY.serviceAccountName("offboard-dry")))
                .body("accounts[0].apiKeys.id", equalTo(List.of(key.id())));

        assertTrue(api.authenticates(key.key(), AUDIENCE));
        assertTrue(api.authenticates(token, AUDIENCE));
        assertNotNull(api.client().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName("offboard-dry")).get());
    }

    @Test
    void anAdminRevokeKillsEveryKeyAndTokenOfTheUserAndIsAudited() {
        String user = api.addUser("offboard-me", "system:authenticated");
        ApiKeys.Created one = created(user, "one");
        ApiKeys.Created two = created(user, "two");
        String token = given().header("Authorization", "Bearer " + user).post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        ApiKeys.Created bystander = created(api.addUser("stays", "system:authenticated"), "mine");

        List<String> audit;
        try (LogCapture log = LogCapture.start()) {
            revoke(admin("admin-revoke"), "offboard-me", "").statusCode(200).body("dryRun", equalTo(false))
                    .body("accounts[0].apiKeys.size()", equalTo(2));
            audit = log.lines().stream().filter(l -> l.startsWith("maas.audit ")).toList();
        }
        assertFalse(api.authenticates(one.key(), AUDIENCE));
        assertFalse(api.authenticates(two.key(), AUDIENCE));
        assertFalse(api.authenticates(token, AUDIENCE));
        assertTrue(api.authenticates(bystander.key(), AUDIENCE), "another user's key");
        assertNull(api.client().serviceAccounts().inNamespace(FREE).withName(IDENTITY.serviceAccountName("offboard-me")).get());
        ApiKeys.list(user).body("size()", equalTo(0));
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=admin_revoke outcome=success actor=\"admin-revoke\""
                + " subject=\"offboard-me\" tier=\"free\" namespace=\"" + FREE + "\"") && l.contains("apiKeys=2 dryRun=false")),
                audit.toString());
    }

    @Test
    void anAdminWithoutThePermissionGets403NamingItAndNothingChanges() {
        String user = api.addUser("protected-user", "system:authenticated");
        ApiKeys.Created key = created(user, "k");
        String nobody = api.addUser("not-an-admin", "system:authenticated");
        revoke(nobody, "protected-user", "").statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("delete serviceaccounts in namespace"));
        given().header("Authorization", "Bearer " + nobody).get("/v1/admin/api-keys?user=protected-user").then()
                .statusCode(403).body("message", containsString("delete serviceaccounts"));

        api.allow("half-admin", "delete", "serviceaccounts", FREE); // the user's namespace, not every tier's
        revoke(api.addUser("half-admin", "system:authenticated"), "protected-user", "").statusCode(403)
                .body("message", containsString("maas-default-gateway-tier-enterprise"));
        assertTrue(api.authenticates(key.key(), AUDIENCE));
    }

    @Test
    void aMaasTokenCannotActAsAdmin() {
        String admin = admin("admin-with-key");
        ApiKeys.Created key = created(admin, "admin-key");
        api.allow("system:serviceaccount:" + FREE + ":" + IDENTITY.serviceAccountName("admin-with-key"), "delete",
                "serviceaccounts", FREE);
        revoke(key.key(), "anyone", "").statusCode(403).body("message", containsString("own cluster identity"));
    }

    @Test
    void adminsListKeysByUserAndTier() {
        String user = api.addUser("listed-user", "system:authenticated", "premium-users");
        ApiKeys.Created key = created(user, "listed");
        String admin = admin("admin-list");
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?user=listed-user").then()
                .statusCode(200).body("id", equalTo(List.of(key.id()))).body("[0].user", equalTo("listed-user"))
                .body("[0].tier", equalTo("premium")).body("[0].key", org.hamcrest.Matchers.nullValue());
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?user=listed-user&tier=free").then()
                .statusCode(200).body("size()", equalTo(0));
        List<String> premium = given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?tier=premium")
                .then().statusCode(200).extract().jsonPath().getList("tier");
        assertTrue(premium.stream().allMatch("premium"::equals), premium.toString());
        assertTrue(given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys").then().statusCode(200)
                .extract().jsonPath().getList("id").contains(key.id()));
        given().header("Authorization", "Bearer " + admin).get("/v1/admin/api-keys?tier=Not_A_Tier").then().statusCode(400);
    }

    @Test
    void badDryRunValuesAre400AndUnknownUsersHaveNothingToRevoke() {
        String admin = admin("admin-input");
        revoke(admin, "someone", "?dryRun=yes").statusCode(400).body("message", containsString("dryRun"));
        revoke(admin, "never-seen", "").statusCode(404).body("error", equalTo("not_found")); // issue 24: a typo is no success
        assertEquals(401, given().delete("/v1/admin/users/x/tokens").then().extract().statusCode());
    }
}
