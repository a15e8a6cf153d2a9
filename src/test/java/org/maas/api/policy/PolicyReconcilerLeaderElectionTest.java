package org.maas.api.policy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Policies.Unmatched;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.Identities;
import org.maas.api.tier.InvalidTierConfigException;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/**
 * Two replicas contend for one real Lease on the real control plane, each as the maas-api ServiceAccount with
 * the shipped RBAC plus overlays/policy-reconcile: only the holder applies, the other takes over when it leaves.
 * Each test has a Lease of its own; the policies are the real Kuadrant CRDs'.
 */
class PolicyReconcilerLeaderElectionTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final String NAMESPACE = "maas-api-policy-election";
    private static final String GATEWAY_NAMESPACE = "policy-election-gw-ns";
    private static final String GATEWAY = "policy-election-gw";
    private static String token;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final String lease = "policies-" + UUID.randomUUID().toString().substring(0, 8);
    private final KubernetesClient admin = PLANE.admin();
    private volatile TierIndex index;

    @BeforeEach
    void setUp() {
        synchronized (PolicyReconcilerLeaderElectionTest.class) {
            if (token == null) {
                PLANE.installCrds();
                token = PLANE.maasApi(NAMESPACE, GATEWAY_NAMESPACE, new String[] {"policy-reconcile"});
            }
        }
        requests().delete(); // each test starts without the policy
        await().atMost(WITHIN).until(() -> requests().get() == null);
        index = index(1, 5);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void onlyTheLeaseHolderAppliesAndTheOtherTakesOverWhenItLeaves() throws Exception {
        Replica a = replica("replica-a");
        Replica b = replica("replica-b");
        await("one replica leads").atMost(WITHIN).until(() -> a.leads() || b.leads());
        Replica leader = a.leads() ? a : b;
        Replica follower = leader == a ? b : a;
        await("the leader applied on taking the Lease").atMost(WITHIN).until(() -> freeLimit() == 5);
        assertEquals(leader.leadership.identity(), lease().getSpec().getHolderIdentity());

        // Both replicas see the same config change; only the leader applies it.
        index = index(2, 6);
        follower.reconciler.configChanged().get();
        assertEquals("standby", follower.reconciler.status().result());
        assertEquals(5, freeLimit(), "the follower wrote nothing");
        leader.reconciler.configChanged().get();
        assertEquals("applied", leader.reconciler.status().result());
        assertEquals(6, freeLimit());

        // The leader leaves (releasing the Lease): the other takes over and applies the next change.
        leader.leadership.close();
        leader.reconciler.close();
        await("the other replica leads").atMost(WITHIN).until(follower::leads);
        assertEquals(follower.leadership.identity(), lease().getSpec().getHolderIdentity());
        index = index(3, 7);
        follower.reconciler.configChanged().get();
        assertEquals("applied", follower.reconciler.status().result());
        assertEquals(7, freeLimit());
    }

    @Test
    void aReplicaDoesNotApplyWhileAnotherHoldsALiveLease() throws Exception {
        admin.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(lease)
                .endMetadata().withNewSpec().withHolderIdentity("other-replica").withLeaseDurationSeconds(3600)
                .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).endSpec().build()).create();
        Replica b = replica("replica-b");
        b.reconciler.configChanged().get();
        assertFalse(b.leads());
        assertEquals("standby", b.reconciler.status().result());
        assertNull(requests().get(), "nothing applied");
        assertEquals("other-replica", lease().getSpec().getHolderIdentity());
    }

    private record Replica(Leadership leadership, PolicyReconciler reconciler) {
        boolean leads() {
            return leadership.isLeader();
        }
    }

    private Replica replica(String name) {
        KubernetesClient own = PLANE.clientAs(token, NAMESPACE, name);
        Leadership leadership = new Leadership(own, new Leadership.Settings(NAMESPACE, lease, name + "-id",
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        PolicyReconciler reconciler = new PolicyReconciler(own, new PolicyReconciler.Settings("maas-api",
                Duration.ofHours(1)), leadership, () -> index,
                i -> new PolicyRenderer(GATEWAY_NAMESPACE, GATEWAY, Unmatched.DENY).render(i.tiers()),
                new SimpleMeterRegistry());
        closing.add(own);
        closing.add(leadership);
        closing.add(reconciler);
        reconciler.start();
        return new Replica(leadership, reconciler);
    }

    /** One tier, free, with this many requests per 2 minutes. */
    private static TierIndex index(long version, int requests) {
        try {
            return new TierIndex(version, "test", new TierConfigParser(Identities.forGateway(GATEWAY)).parse(
                    "- {name: free, level: 0, groups: [a], limits: {requests: [{limit: " + requests + ", window: 2m}]}}\n"),
                    Identities.forGateway(GATEWAY), Optional.empty());
        } catch (InvalidTierConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private Resource<GenericKubernetesResource> requests() {
        return admin.genericKubernetesResources(PolicyReconciler.RATE_LIMIT_POLICIES).inNamespace(GATEWAY_NAMESPACE)
                .withName(PolicyRenderer.RATE_LIMIT_POLICY);
    }

    /** The free tier's request limit in the cluster's RateLimitPolicy; -1 while there is none. */
    @SuppressWarnings("unchecked")
    private int freeLimit() {
        GenericKubernetesResource live = requests().get();
        if (live == null) {
            return -1;
        }
        Map<String, Object> spec = (Map<String, Object>) live.getAdditionalProperties().get("spec");
        Map<String, Object> limit = (Map<String, Object>) ((Map<String, Object>) spec.get("limits")).get("free-requests-2m");
        return ((Number) ((List<Map<String, Object>>) limit.get("rates")).get(0).get("limit")).intValue();
    }

    private Lease lease() {
        return admin.leases().inNamespace(NAMESPACE).withName(lease).get();
    }
}
