package org.maas.api.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;

/**
 * Every leader-only feature shares one election: one real Lease, one holder, each feature told when it
 * changes; a second replica takes over when the leader leaves. The replicas are maas-api's own
 * ServiceAccount with the shipped RBAC (leases: get, create, patch); the Lease is read as admin.
 */
class LeadershipTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String NAMESPACE = "maas-api-leadership";
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = PLANE.clientAs(PLANE.maasApi(NAMESPACE), NAMESPACE);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void featuresJoinOneElectionAndHearOfEveryChange() {
        AtomicInteger policyGained = new AtomicInteger();
        AtomicInteger policyLost = new AtomicInteger();
        AtomicInteger accessGained = new AtomicInteger();
        AtomicInteger accessLost = new AtomicInteger();
        Leadership leadership = new Leadership(client, settings("shared", "replica-a"));
        try (leadership) {
            leadership.join("policy reconcile", policyGained::incrementAndGet, policyLost::incrementAndGet);
            await("leads").atMost(WITHIN).until(leadership::isLeader);
            await().atMost(WITHIN).until(() -> policyGained.get() == 1);
            // A feature joining a replica that already leads is told at once, and no second election starts.
            leadership.join("model access", accessGained::incrementAndGet, accessLost::incrementAndGet);
            assertEquals(1, accessGained.get());
            assertEquals(1, PLANE.admin().leases().inNamespace(NAMESPACE).list().getItems().size());
            assertEquals("replica-a", holder("shared"));
            assertEquals("replica-a", leadership.identity());
        }
        await("both hear the loss").atMost(WITHIN).until(() -> policyLost.get() == 1 && accessLost.get() == 1);
        assertFalse(leadership.isLeader());
    }

    @Test
    void whenTheLeaderLeavesTheOtherReplicaTakesOver() {
        AtomicInteger bGained = new AtomicInteger();
        try (Leadership a = new Leadership(client, settings("handover", "replica-a"));
             Leadership b = new Leadership(client, settings("handover", "replica-b"))) {
            a.join("policy reconcile", () -> { }, () -> { });
            await("a leads").atMost(WITHIN).until(a::isLeader);
            b.join("policy reconcile", bGained::incrementAndGet, () -> { });
            await("b sees a as leader").atMost(WITHIN).until(() -> b.leaderIdentity().orElse("").equals("replica-a"));
            assertFalse(b.isLeader());
            assertEquals(0, bGained.get());

            a.close(); // releases the Lease
            await("b takes over").atMost(WITHIN).until(b::isLeader);
            assertEquals(1, bGained.get());
            assertEquals("replica-b", holder("handover"));
        }
    }

    private static Leadership.Settings settings(String lease, String identity) {
        return new Leadership.Settings(NAMESPACE, lease, identity, Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofMillis(200));
    }

    private static String holder(String lease) {
        Lease held = PLANE.admin().leases().inNamespace(NAMESPACE).withName(lease).get();
        return held.getSpec().getHolderIdentity();
    }
}
