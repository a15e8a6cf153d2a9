package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.token.GroupFixtures.account;
import static org.maas.api.token.GroupFixtures.join;
import static org.maas.api.token.GroupFixtures.leave;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;
import org.maas.api.tier.TierCatalog;

/** The shipped wiring with maas.revocation.on-group-change=on: Group objects in the API stub, real mints. */
@QuarkusTest
@TestProfile(GroupRevocationTest.On.class)
@WithTestResource(KubernetesApiStubResource.class)
class GroupRevocationTest {

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.revocation.on-group-change", "on",
                    "maas.policies.lease-duration", "3s",
                    "maas.policies.lease-renew-deadline", "2s",
                    "maas.policies.lease-retry-period", "200ms");
        }
    }

    /** Every group of premium and enterprise is a Group object; partner's oidc-partners comes only from the identity provider. */
    static final String TIERS = """
            - {name: free, level: 0, groups: [system:authenticated]}
            - {name: premium, level: 1, groups: [premium-users, premium-contractors]}
            - {name: partner, level: 1, groups: [partner-users, oidc-partners]}
            - {name: enterprise, level: 2, groups: [enterprise-users]}
            """;
    static final MaasIdentity IDENTITY = Identities.forGateway("maas-default-gateway");
    static final Duration WITHIN = Duration.ofSeconds(60);

    @KubernetesTestServer
    KubernetesApiStub api;

    @Inject
    TierCatalog catalog;

    @Inject
    GroupRevocationStarter starter;

    @Inject
    Leadership leadership;

    @Inject
    Informers informers;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void groupsAndTiers() {
        for (String group : List.of("premium-users", "premium-contractors", "partner-users", "enterprise-users")) {
            if (GroupFixtures.group(api.client(), group).get() == null) {
                GroupFixtures.setUsers(api.client(), group);
            }
        }
        catalog.apply(TIERS, "test");
        await("leads, and the Groups are listed").atMost(WITHIN).until(() -> leadership.isLeader()
                && informers.states().stream().anyMatch(s -> s.name().equals("openshift-groups") && s.synced()));
    }

    @Test
    void leavingPremiumUsersDeletesThePremiumAccountOnly() throws Exception {
        join(api.client(), "premium-users", "alice");
        join(api.client(), "premium-users", "bob");
        String alice = mint(api.addUser("alice", "system:authenticated", "premium-users"));
        String bob = mint(api.addUser("bob", "system:authenticated", "premium-users"));
        GroupFixtures.managedAccount(api.client(), IDENTITY, "free", "alice"); // free holds system:authenticated
        assertTrue(api.authenticates(alice, IDENTITY.audience()));

        try (LogCapture logs = LogCapture.start()) {
            leave(api.client(), "premium-users", "alice");
            await("alice's premium account is deleted").atMost(WITHIN)
                    .until(() -> account(api.client(), IDENTITY, "premium", "alice") == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("event=token_revoke reason=group_change"
                    + " outcome=revoked user=\"alice\" tier=\"premium\" newTier=\"free\"")), logs.lines().toString());
        }
        assertFalse(api.authenticates(alice, IDENTITY.audience()), "her premium token fails review");
        revoker().checkAll().get(30, TimeUnit.SECONDS);
        assertNotNull(account(api.client(), IDENTITY, "free", "alice"), "free is still hers (system:authenticated)");
        assertNotNull(account(api.client(), IDENTITY, "premium", "bob"), "bob is still in premium-users");
        assertTrue(api.authenticates(bob, IDENTITY.audience()));
        assertTrue(registry.counter("maas_tokens_revoked", "tier", "premium", "outcome", "group_change").count() >= 1);
    }

    @Test
    void aDeletedGroupRevokesItsMembers() {
        join(api.client(), "premium-contractors", "dave");
        String dave = mint(api.addUser("dave", "system:authenticated", "premium-contractors"));
        GroupFixtures.group(api.client(), "premium-contractors").delete();
        await("dave's premium account is deleted").atMost(WITHIN)
                .until(() -> account(api.client(), IDENTITY, "premium", "dave") == null);
        assertFalse(api.authenticates(dave, IDENTITY.audience()));
    }

    @Test
    void aUserInTwoGroupsLosingOneKeepsTheHigherTierUntilSheLosesItToo() throws Exception {
        join(api.client(), "premium-users", "erin");
        join(api.client(), "enterprise-users", "erin");
        String erin = mint(api.addUser("erin", "system:authenticated", "premium-users", "enterprise-users"));
        assertNotNull(account(api.client(), IDENTITY, "enterprise", "erin"), "the highest level wins");

        leave(api.client(), "premium-users", "erin");
        await("the informer has seen it").atMost(WITHIN).until(() -> !revoker().groupsOf("erin").contains("premium-users"));
        revoker().checkAll().get(30, TimeUnit.SECONDS); // after the event's own check (one thread, in order)
        assertNotNull(account(api.client(), IDENTITY, "enterprise", "erin"), "still in enterprise-users");
        assertTrue(api.authenticates(erin, IDENTITY.audience()));

        join(api.client(), "premium-users", "erin");
        leave(api.client(), "enterprise-users", "erin");
        await("enterprise is no longer hers: her tier is premium now").atMost(WITHIN)
                .until(() -> account(api.client(), IDENTITY, "enterprise", "erin") == null);
        assertFalse(api.authenticates(erin, IDENTITY.audience()));
    }

    @Test
    void aTierConfigMovingAGroupRevokesItsMembersOldTierAccounts() {
        join(api.client(), "premium-users", "frank");
        String frank = mint(api.addUser("frank", "system:authenticated", "premium-users"));
        try (LogCapture logs = LogCapture.start()) {
            catalog.apply(TIERS.replace("[premium-users, premium-contractors]", "[premium-contractors]")
                    .replace("[enterprise-users]", "[enterprise-users, premium-users]"), "test: premium-users moved");
            await("frank's premium account is deleted").atMost(WITHIN)
                    .until(() -> account(api.client(), IDENTITY, "premium", "frank") == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("reason=group_change outcome=revoked"
                    + " user=\"frank\" tier=\"premium\" newTier=\"enterprise\"")), logs.lines().toString());
        }
        assertFalse(api.authenticates(frank, IDENTITY.audience()));
    }

    @Test
    void aTierWithAGroupThatIsNoGroupObjectNeverRevokes() throws Exception {
        join(api.client(), "partner-users", "gina");
        String gina = mint(api.addUser("gina", "system:authenticated", "partner-users", "oidc-partners"));
        leave(api.client(), "partner-users", "gina"); // she may still be in oidc-partners: unknowable
        await("the informer has seen it").atMost(WITHIN).until(() -> revoker().groupsOf("gina").isEmpty());
        revoker().checkAll().get(30, TimeUnit.SECONDS);
        assertNotNull(account(api.client(), IDENTITY, "partner", "gina"));
        assertTrue(api.authenticates(gina, IDENTITY.audience()));
    }

    private GroupRevoker revoker() {
        return starter.revoker().orElseThrow();
    }

    private static String mint(String bearer) {
        return given().header("Authorization", "Bearer " + bearer).contentType(ContentType.JSON).body("{}")
                .post("/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
