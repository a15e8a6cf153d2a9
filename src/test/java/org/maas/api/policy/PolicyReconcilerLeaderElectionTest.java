package org.maas.api.policy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Policies.Unmatched;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.Identities;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/** Two replicas contend for the same Lease on one (mock) API server: only the holder ever applies. */
@EnableKubernetesMockClient(crud = true)
class PolicyReconcilerLeaderElectionTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final ApplyRecorder recorder = new ApplyRecorder();
    private final List<AutoCloseable> replicas = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private TierIndex index;

    @BeforeEach
    void setUp() throws Exception {
        recorder.register(server);
        index = new TierIndex(1, "test", new TierConfigParser(Identities.forGateway("gw")).parse("""
                - {name: free, level: 0, groups: [a], limits: {requests: [{limit: 5, window: 2m}]}}
                """), Identities.forGateway("gw"), Optional.empty());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable replica : replicas) {
            replica.close();
        }
        clients.forEach(KubernetesClient::close);
    }

    @Test
    void onlyTheLeaseHolderAppliesAndTheOtherTakesOverWhenItLeaves() throws Exception {
        PolicyReconciler a = replica("replica-a");
        PolicyReconciler b = replica("replica-b");
        await("one replica leads").atMost(ApplyRecorder.WITHIN).until(() -> a.isLeader() || b.isLeader());
        PolicyReconciler leader = a.isLeader() ? a : b;
        PolicyReconciler follower = leader == a ? b : a;
        String leaderName = leader == a ? "replica-a" : "replica-b";
        String followerName = leader == a ? "replica-b" : "replica-a";
        await("the leader applied on taking the lease").atMost(ApplyRecorder.WITHIN)
                .until(() -> recorder.applies.size() == 2);

        // Both replicas see the same config change; only the leader applies.
        leader.configChanged().get();
        follower.configChanged().get();
        assertFalse(follower.isLeader());
        assertEquals("standby", follower.status().result());
        assertEquals("applied", leader.status().result());
        assertEquals(4, recorder.applies.size());
        assertTrue(recorder.applies.stream().allMatch(x -> x.userAgent().equals(leaderName)), recorder.applies.toString());
        assertEquals(leader.leadership().identity(), lease().getSpec().getHolderIdentity());

        // The leader leaves (releasing the Lease): the other takes over and applies; the old one no more.
        leader.leadership().close();
        leader.close();
        await("the other replica leads").atMost(ApplyRecorder.WITHIN).until(follower::isLeader);
        await("the new leader applied").atMost(ApplyRecorder.WITHIN).until(() -> recorder.applies.stream()
                .filter(x -> x.userAgent().equals(followerName)).count() == 2);
        assertEquals(follower.leadership().identity(), lease().getSpec().getHolderIdentity());
        assertEquals(4, recorder.applies.stream().filter(x -> x.userAgent().equals(leaderName)).count());
    }

    @Test
    void aReplicaDoesNotApplyWhileAnotherHoldsALiveLease() throws Exception {
        PolicyReconciler a = replica("replica-a");
        await("replica-a leads").atMost(ApplyRecorder.WITHIN).until(a::isLeader);
        PolicyReconciler b = replica("replica-b");
        b.configChanged().get();
        assertFalse(b.isLeader());
        assertEquals("standby", b.status().result());
        assertTrue(recorder.applies.stream().noneMatch(x -> x.userAgent().equals("replica-b")));
    }

    private PolicyReconciler replica(String name) {
        // Each replica its own client, told apart by User-Agent in what the server receives.
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(name).build()).build();
        clients.add(own);
        Leadership leadership = new Leadership(own, new Leadership.Settings("maas", "maas-api-policies", name + "-id",
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        PolicyReconciler reconciler = new PolicyReconciler(own, new PolicyReconciler.Settings("maas-api", Duration.ofHours(1)),
                leadership, () -> index, i -> new PolicyRenderer("openshift-ingress", "gw", Unmatched.DENY).render(i.tiers()),
                new SimpleMeterRegistry());
        replicas.add(leadership);
        replicas.add(reconciler);
        reconciler.start();
        return reconciler;
    }

    private Lease lease() {
        return client.leases().inNamespace("maas").withName("maas-api-policies").get();
    }
}
