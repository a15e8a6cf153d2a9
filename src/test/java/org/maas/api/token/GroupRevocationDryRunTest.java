package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;
import org.maas.api.tier.TierCatalog;

/** maas.revocation.on-group-change=dry-run: what would be revoked is logged and counted once, nothing is deleted. */
@QuarkusTest
@TestProfile(GroupRevocationDryRunTest.DryRun.class)
@WithTestResource(KubernetesApiStubResource.class)
class GroupRevocationDryRunTest {

    public static class DryRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.revocation.on-group-change", "dry-run",
                    "maas.policies.lease-duration", "3s",
                    "maas.policies.lease-renew-deadline", "2s",
                    "maas.policies.lease-retry-period", "200ms");
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(60);

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

    @Test
    void aDryRunCountsAndLogsButDeletesNothing() throws Exception {
        GroupFixtures.setUsers(api.client(), "premium-contractors");
        join(api.client(), "premium-users", "alice");
        catalog.apply(GroupRevocationTest.TIERS, "test");
        await("leads, and the Groups are listed").atMost(WITHIN).until(() -> leadership.isLeader()
                && informers.states().stream().anyMatch(s -> s.name().equals("openshift-groups") && s.synced()));
        String alice = given().header("Authorization", "Bearer " + api.addUser("alice", "system:authenticated",
                "premium-users")).contentType(ContentType.JSON).body("{}").post("/v1/tokens").then().statusCode(201)
                .extract().path("token");
        var wouldRevoke = registry.counter("maas_tokens_revoked", "tier", "premium", "outcome", "group_change_dry_run");

        try (LogCapture logs = LogCapture.start()) {
            leave(api.client(), "premium-users", "alice");
            await("counted").atMost(WITHIN).until(() -> wouldRevoke.count() == 1);
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("reason=group_change outcome=dry_run"
                    + " user=\"alice\" tier=\"premium\" newTier=\"free\"")), logs.lines().toString());
        }
        starter.revoker().orElseThrow().checkAll().get(30, TimeUnit.SECONDS); // a resync does not count it again
        assertEquals(1, wouldRevoke.count());
        assertNotNull(account(api.client(), GroupRevocationTest.IDENTITY, "premium", "alice"));
        assertTrue(api.authenticates(alice, GroupRevocationTest.IDENTITY.audience()));
        assertTrue(api.requests().stream().noneMatch(r -> r.startsWith("DELETE")), "nothing deleted: " + api.requests());
    }
}
