package org.maas.api.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.token.GroupFixtures.account;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Revocation.GroupChange;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.Identities;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/** Two replicas: the one that does not hold the Lease never deletes; once it leads, it revokes what it must. */
class GroupRevocationLeaderTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final MaasIdentity IDENTITY = Identities.forGateway("gw");

    private final KubernetesApiStub api = new KubernetesApiStub();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() {
        api.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        api.stop();
    }

    @Test
    void aReplicaThatDoesNotLeadNeverDeletes() throws Exception {
        Leadership other = leadership(api.client(), "replica-a");
        other.join("test", () -> { }, () -> { });
        await("replica-a leads").atMost(WITHIN).until(other::isLeader);

        KubernetesClient own = client("replica-b");
        TierIndex tiers = new TierIndex(1, "test", new TierConfigParser(IDENTITY).parse(
                "- {name: free, level: 0, groups: [system:authenticated]}\n"
                        + "- {name: premium, level: 1, groups: [premium-users]}\n"), IDENTITY, Optional.empty());
        Leadership follower = leadership(own, "replica-b");
        GroupRevoker revoker = new GroupRevoker(own, new GroupRevoker.Settings(GroupChange.ON, Duration.ofHours(1)),
                follower, IDENTITY, () -> tiers, new SimpleMeterRegistry());
        closing.add(revoker);
        GroupFixtures.setUsers(api.client(), "premium-users", "alice");
        GroupFixtures.managedAccount(api.client(), IDENTITY, "premium", "alice");
        SharedIndexInformer<GenericKubernetesResource> informer = revoker.informer(own);
        closing.add(informer::close);
        informer.start();
        revoker.start();
        await("replica-b follows replica-a, with the Groups listed").atMost(WITHIN).until(() -> informer.hasSynced()
                && follower.leaderIdentity().orElse("").equals("replica-a"));

        GroupFixtures.leave(api.client(), "premium-users", "alice");
        await("the informer has seen it").atMost(WITHIN).until(() -> revoker.groupsOf("alice").isEmpty());
        revoker.checkAll().get(30, TimeUnit.SECONDS);
        revoker.check(List.of("alice")).get(30, TimeUnit.SECONDS);
        assertNotNull(account(api.client(), IDENTITY, "premium", "alice"), "not deleted by a replica that does not lead");
        assertTrue(api.requestsFrom("replica-b").stream().noneMatch(r -> r.startsWith("DELETE")
                || r.contains("/serviceaccounts")), "no account read or deleted: " + api.requestsFrom("replica-b"));

        other.close(); // releases the Lease: replica-b takes over and checks everything at once
        await("the new leader revokes").atMost(WITHIN)
                .until(() -> account(api.client(), IDENTITY, "premium", "alice") == null);
        assertEquals(1, api.requestsFrom("replica-b").stream().filter(r -> r.startsWith("DELETE")).count());
    }

    @Test
    void aFailingResyncDoesNotStopTheNextOnes() throws Exception {
        KubernetesClient own = client("replica-c");
        TierIndex tiers = new TierIndex(1, "test", new TierConfigParser(IDENTITY).parse(
                "- {name: premium, level: 1, groups: [premium-users]}\n"), IDENTITY, Optional.empty());
        GroupRevoker revoker = new GroupRevoker(own, new GroupRevoker.Settings(GroupChange.ON, Duration.ofMillis(100)),
                leadership(own, "replica-c"), IDENTITY, () -> tiers, new SimpleMeterRegistry());
        closing.add(revoker);
        GroupFixtures.setUsers(api.client(), "premium-users");
        GroupFixtures.managedAccount(api.client(), IDENTITY, "premium", "alice"); // no longer in premium-users
        api.forbid("GET", "/api/v1/serviceaccounts"); // listing the accounts fails, as without RBAC
        SharedIndexInformer<GenericKubernetesResource> informer = revoker.informer(own);
        closing.add(informer::close);
        informer.start();
        revoker.start();
        await("several resyncs refused").atMost(WITHIN).until(() -> api.requestsFrom("replica-c").stream()
                .filter(r -> r.startsWith("GET /api/v1/serviceaccounts")).count() >= 3);
        assertNotNull(account(api.client(), IDENTITY, "premium", "alice"));
        api.recover();
        await("a later resync revokes").atMost(WITHIN)
                .until(() -> account(api.client(), IDENTITY, "premium", "alice") == null);
    }

    private Leadership leadership(KubernetesClient client, String identity) {
        Leadership leadership = new Leadership(client, new Leadership.Settings("maas-api", "maas-api-policies", identity,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        closing.add(leadership);
        return leadership;
    }

    private KubernetesClient client(String userAgent) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
                .withUserAgent(userAgent).build()).build();
        closing.add(client);
        return client;
    }
}
