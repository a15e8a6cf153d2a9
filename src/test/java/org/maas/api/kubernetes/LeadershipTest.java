package org.maas.api.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every leader-only feature shares one election: one Lease, one holder, each feature told when it changes. */
@EnableKubernetesMockClient(crud = true)
class LeadershipTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void featuresJoinOneElectionAndHearOfEveryChange() {
        AtomicInteger policyGained = new AtomicInteger();
        AtomicInteger policyLost = new AtomicInteger();
        AtomicInteger accessGained = new AtomicInteger();
        AtomicInteger accessLost = new AtomicInteger();
        Leadership leadership = new Leadership(client, new Leadership.Settings("maas", "shared", "replica-a",
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        try (leadership) {
            leadership.join("policy reconcile", policyGained::incrementAndGet, policyLost::incrementAndGet);
            await("leads").atMost(WITHIN).until(leadership::isLeader);
            await().atMost(WITHIN).until(() -> policyGained.get() == 1);
            // A feature joining a replica that already leads is told at once, and no second election starts.
            leadership.join("model access", accessGained::incrementAndGet, accessLost::incrementAndGet);
            assertEquals(1, accessGained.get());
            assertEquals(1, client.leases().inNamespace("maas").list().getItems().size());
            assertEquals("replica-a", client.leases().inNamespace("maas").withName("shared").get().getSpec().getHolderIdentity());
            assertEquals("replica-a", leadership.identity());
        }
        await("both hear the loss").atMost(WITHIN).until(() -> policyLost.get() == 1 && accessLost.get() == 1);
        assertTrue(!leadership.isLeader());
    }
}
