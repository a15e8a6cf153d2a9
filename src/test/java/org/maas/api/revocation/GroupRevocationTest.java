package org.maas.api.revocation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.revocation.GroupFixtures.account;
import static org.maas.api.revocation.GroupFixtures.join;
import static org.maas.api.revocation.GroupFixtures.leave;
import static org.maas.api.testing.LeaderWork.IDENTITY;
import static org.maas.api.testing.LeaderWork.TIERS;
import static org.maas.api.testing.LeaderWork.tiers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LogCapture;
import org.maas.api.testing.TokenChecks;
import org.maas.api.testing.LeaderWork;

/**
 * maas.revocation.on-group-change=on on the real control plane: real Group objects (the Group CRD stand-in),
 * maas-api with overlays/group-revocation's RBAC, the tier config in its ConfigMap, tokens minted for the API
 * server's static users and checked by a real TokenReview.
 *
 * <p>The revoker works on one thread, in the order the informer delivers Group events. A test that expects
 * nothing to happen proves the revoker has got that far with {@link #settled()} or {@link #fullCheck()}: a
 * sentinel account that only a later event, or a later full check, revokes.
 */
@QuarkusTest
@TestProfile(LeaderWork.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = LeaderWork.NAMESPACE),
        @ResourceArg(name = "gateway", value = LeaderWork.GATEWAY),
        @ResourceArg(name = "overlays", value = LeaderWork.OVERLAYS)})
class GroupRevocationTest {

    static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final KubernetesClient ADMIN = PLANE.admin();
    /**
     * The cluster-scoped Groups this class made: removed after it, since a Group named like a tier group (say an
     * empty enterprise-users) takes that tier from every user of a later class with revocation on.
     */
    private static final Set<String> MADE = new ConcurrentSkipListSet<>();
    private static final String REVOKED_PREMIUM = "maas_tokens_revoked_total{outcome=\"group_change\",tier=\"premium\"}";

    @Inject
    Leadership leadership;

    @Inject
    Informers informers;

    @BeforeEach
    void groupsAndTiers() {
        for (String group : List.of("premium-users", "premium-contractors", "partner-users", "enterprise-users")) {
            if (GroupFixtures.group(ADMIN, group).get() == null) {
                GroupFixtures.setUsers(ADMIN, group);
                MADE.add(group);
            }
        }
        await("leads, and the Groups are listed").atMost(WITHIN).until(() -> leadership.isLeader()
                && informers.states().stream().anyMatch(s -> s.name().equals("openshift-groups") && s.synced()));
        tiers(TIERS);
        if (ADMIN.namespaces().withName(IDENTITY.tierNamespace("premium")).get() == null) { // for the sentinels
            ControlPlane.User member = PLANE.user(Pool.PREMIUM); // premium only while a premium Group holds her
            join(ADMIN, "premium-users", member.name());
            mint(member);
        }
        // What earlier tests left is judged now, not during this test's counts.
        fullCheck();
        settled();
    }

    @AfterAll
    static void removeTheGroupsMade() {
        MADE.forEach(group -> GroupFixtures.group(ADMIN, group).delete());
    }

    @Test
    void leavingPremiumUsersDeletesThePremiumAccountOnly() {
        ControlPlane.User alice = PLANE.user(Pool.PREMIUM);
        ControlPlane.User bob = PLANE.user(Pool.PREMIUM);
        join(ADMIN, "premium-users", alice.name());
        join(ADMIN, "premium-users", bob.name());
        String alicesToken = mint(alice);
        String bobsToken = mint(bob);
        TokenChecks.tierNamespace(IDENTITY.tierNamespace("free"), Pool.FREE);
        GroupFixtures.managedAccount(ADMIN, IDENTITY, "free", alice.name()); // free holds system:authenticated
        assertTrue(TokenChecks.authenticates(alicesToken, IDENTITY.audience()));
        double revokedBefore = TokenChecks.metric(REVOKED_PREMIUM);

        try (LogCapture logs = LogCapture.start()) {
            leave(ADMIN, "premium-users", alice.name());
            await("alice's premium account is deleted").atMost(WITHIN)
                    .until(() -> account(ADMIN, IDENTITY, "premium", alice.name()) == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("event=token_revoke reason=group_change"
                    + " outcome=revoked user=\"" + alice.name() + "\" tier=\"premium\" newTier=\"free\"")),
                    logs.lines().toString());
        }
        assertEquals(1, TokenChecks.metric(REVOKED_PREMIUM) - revokedBefore, REVOKED_PREMIUM);
        TokenChecks.awaitRefused(alicesToken, IDENTITY.audience());
        fullCheck();
        assertNotNull(account(ADMIN, IDENTITY, "free", alice.name()), "free is still hers (system:authenticated)");
        assertNotNull(account(ADMIN, IDENTITY, "premium", bob.name()), "bob is still in premium-users");
        assertTrue(TokenChecks.authenticates(bobsToken, IDENTITY.audience()));
    }

    /**
     * Issue 24, finding 5: the mint right after the revocation reuses the review cached before the Group change
     * (this boot caches reviews for an hour), which still names premium-users. The groups maas-api decides the
     * tier with are corrected by the Groups it watches, so the new token is free's and premium holds nothing.
     */
    @Test
    void aMintRightAfterLeavingTheGroupLandsInTheTierTheUserIsInNow() {
        ControlPlane.User hana = PLANE.user(Pool.PREMIUM);
        join(ADMIN, "premium-users", hana.name());
        String premiumToken = mint(hana); // her review, with premium-users, is cached from here on
        assertEquals(IDENTITY.tierNamespace("premium"), namespaceOf(premiumToken));
        TokenChecks.tierNamespace(IDENTITY.tierNamespace("free"), Pool.FREE);

        leave(ADMIN, "premium-users", hana.name());
        await("her premium account is revoked").atMost(WITHIN)
                .until(() -> account(ADMIN, IDENTITY, "premium", hana.name()) == null);
        String token = mint(hana);

        assertEquals(IDENTITY.tierNamespace("free"), namespaceOf(token), "the tier of the mint after leaving");
        assertNotNull(account(ADMIN, IDENTITY, "free", hana.name()));
        settled();
        assertNull(account(ADMIN, IDENTITY, "premium", hana.name()), "premium holds nothing of hers");
        assertTrue(TokenChecks.authenticates(token, IDENTITY.audience()));
        given().auth().oauth2(hana.token()).get("/v1/tiers/me").then().statusCode(200).body("tier", equalTo("free"));
    }

    /**
     * An account that appears in a tier its owner is not in (a mint that read the Groups just before a change
     * reached maas-api, another replica's) is revoked when the informer sees it: this boot has no periodic resync,
     * and no Group changes meanwhile.
     */
    @Test
    void anAccountAppearingInATierItsOwnerLeftIsRevokedWhenItAppears() {
        ControlPlane.User ivan = PLANE.user(Pool.PREMIUM); // in no premium Group
        GroupFixtures.managedAccount(ADMIN, IDENTITY, "premium", ivan.name());
        await("the account is revoked on its add event").atMost(WITHIN)
                .until(() -> account(ADMIN, IDENTITY, "premium", ivan.name()) == null);
    }

    /**
     * The Group his review names (the API server's token file gives him premium-users): maas-api decides his tier
     * by the reviewed groups that the watched Groups still confirm, as on OpenShift, whose reviews report exactly
     * the Groups that hold the user. (@BeforeEach creates premium-users again for the next test.)
     */
    @Test
    void aDeletedGroupRevokesItsMembers() {
        ControlPlane.User dave = PLANE.user(Pool.PREMIUM);
        join(ADMIN, "premium-users", dave.name());
        String token = mint(dave);
        assertEquals(IDENTITY.tierNamespace("premium"), namespaceOf(token));
        assertTrue(TokenChecks.authenticates(token, IDENTITY.audience()));
        GroupFixtures.group(ADMIN, "premium-users").delete();
        await("dave's premium account is deleted").atMost(WITHIN)
                .until(() -> account(ADMIN, IDENTITY, "premium", dave.name()) == null);
        TokenChecks.awaitRefused(token, IDENTITY.audience());
    }

    @Test
    void aUserInTwoGroupsLosingOneKeepsTheHigherTierUntilSheLosesItToo() {
        ControlPlane.User erin = PLANE.logins(Pool.MOVER).get(2); // premium-users and enterprise-users
        join(ADMIN, "premium-users", erin.name());
        join(ADMIN, "enterprise-users", erin.name());
        String token = mint(erin);
        assertNotNull(account(ADMIN, IDENTITY, "enterprise", erin.name()), "the highest level wins");

        leave(ADMIN, "premium-users", erin.name());
        settled();
        assertNotNull(account(ADMIN, IDENTITY, "enterprise", erin.name()), "still in enterprise-users");
        assertTrue(TokenChecks.authenticates(token, IDENTITY.audience()));

        join(ADMIN, "premium-users", erin.name());
        leave(ADMIN, "enterprise-users", erin.name());
        await("enterprise is no longer hers: her tier is premium now").atMost(WITHIN)
                .until(() -> account(ADMIN, IDENTITY, "enterprise", erin.name()) == null);
        TokenChecks.awaitRefused(token, IDENTITY.audience());
    }

    @Test
    void aTierConfigMovingAGroupRevokesItsMembersOldTierAccounts() {
        ControlPlane.User frank = PLANE.user(Pool.PREMIUM);
        join(ADMIN, "premium-users", frank.name());
        String token = mint(frank);
        assertTrue(TokenChecks.authenticates(token, IDENTITY.audience()));
        try (LogCapture logs = LogCapture.start()) {
            tiers(TIERS.replace("[premium-users, premium-contractors]", "[premium-contractors]")
                    .replace("[enterprise-users]", "[enterprise-users, premium-users]"));
            await("frank's premium account is deleted").atMost(WITHIN)
                    .until(() -> account(ADMIN, IDENTITY, "premium", frank.name()) == null);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("reason=group_change outcome=revoked"
                    + " user=\"" + frank.name() + "\" tier=\"premium\" newTier=\"enterprise\"")), logs.lines().toString());
        }
        TokenChecks.awaitRefused(token, IDENTITY.audience());
    }

    @Test
    void aTierWithAGroupThatIsNoGroupObjectNeverRevokes() {
        ControlPlane.User gina = PLANE.user(Pool.ADMIN); // maas-admins: partner, from the identity provider
        join(ADMIN, "partner-users", gina.name());
        String token = mint(gina);
        assertNotNull(account(ADMIN, IDENTITY, "partner", gina.name()));
        leave(ADMIN, "partner-users", gina.name()); // she may still be in maas-admins: unknowable
        settled();
        fullCheck();
        assertNotNull(account(ADMIN, IDENTITY, "partner", gina.name()));
        assertTrue(TokenChecks.authenticates(token, IDENTITY.audience()));
    }

    /**
     * Every Group event delivered before now has been handled: a sentinel leaves premium-users in a later event,
     * and the revoker, one thread in event order, revokes its account after the earlier events' checks.
     */
    private static void settled() {
        String sentinel = "sentinel-" + UUID.randomUUID();
        join(ADMIN, "premium-users", sentinel); // in the Group before the account exists: no check may revoke it early
        GroupFixtures.managedAccount(ADMIN, IDENTITY, "premium", sentinel);
        leave(ADMIN, "premium-users", sentinel);
        await("a later Group event is handled").atMost(WITHIN)
                .until(() -> account(ADMIN, IDENTITY, "premium", sentinel) == null);
    }

    /**
     * A full check of every account has run since now (what a resync does): a tier config change queues one on
     * the revoker's thread before maas-api serves the config, and a sentinel premium account in no Group made
     * after that is revoked when the informer adds it, in a later task of the same thread.
     */
    private static void fullCheck() {
        tiers(TIERS);
        String sentinel = "sentinel-" + UUID.randomUUID();
        GroupFixtures.managedAccount(ADMIN, IDENTITY, "premium", sentinel);
        await("a full check ran").atMost(WITHIN).until(() -> account(ADMIN, IDENTITY, "premium", sentinel) == null);
    }

    /** The tier namespace of a minted token: its {@code sub} is {@code system:serviceaccount:<namespace>:<name>}. */
    private static String namespaceOf(String token) {
        String[] sub = TokenChecks.claims(token).path("sub").asText().split(":");
        return sub[2];
    }

    private static String mint(ControlPlane.User user) {
        return given().auth().oauth2(user.token()).contentType(ContentType.JSON).body("{}")
                .post("/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
