package org.maas.api.revocation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.revocation.GroupFixtures.account;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maas.api.config.MaasConfig.Revocation.GroupChange;
import org.maas.api.account.AccountMetrics;
import org.maas.api.account.Accounts;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.Identities;
import org.maas.api.tier.TierConfigParser;
import org.maas.api.tier.TierIndex;

/**
 * The revoker's leader-only work on the real control plane, without Quarkus: replicas are GroupRevokers with
 * clients of their own, authenticated as a maas-api ServiceAccount with the shipped RBAC plus
 * overlays/group-revocation, electing a leader on a real Lease. Each client counts the requests it sends.
 */
class GroupRevocationLeaderTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ControlPlane PLANE = ControlPlane.shared();
    private static final KubernetesClient ADMIN = PLANE.admin();
    private static final String[] OVERLAYS = {"group-revocation"};

    private final List<AutoCloseable> closing = new ArrayList<>();
    private MaasIdentity identity;
    private String group;
    private String namespace;

    /** A namespace, gateway, Group and Lease per test: nothing shared with another test or class. */
    private void isolate(String short_) {
        PLANE.installCrds();
        namespace = "maas-api-revoker-" + short_;
        identity = Identities.forGateway("revoker-" + short_ + "-gw");
        group = "revoker-" + short_ + "-premium";
        ADMIN.resource(new NamespaceBuilder().withNewMetadata().withName(identity.tierNamespace("premium")).endMetadata()
                .build()).serverSideApply();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aReplicaThatDoesNotLeadNeverDeletes() throws Exception {
        isolate("follow");
        String token = PLANE.maasApi(namespace, OVERLAYS);
        Leadership other = leadership(client(token, new ArrayList<>()), "replica-a");
        other.join("test", () -> { }, () -> { });
        await("replica-a leads").atMost(WITHIN).until(other::isLeader);

        List<String> sent = new CopyOnWriteArrayList<>();
        KubernetesClient own = client(token, sent);
        Leadership follower = leadership(own, "replica-b");
        GroupRevoker revoker = revoker(own, GroupChange.ON, Duration.ofHours(1), follower, new SimpleMeterRegistry());
        GroupFixtures.setUsers(ADMIN, group, "alice");
        GroupFixtures.managedAccount(ADMIN, identity, "premium", "alice");
        SharedIndexInformer<GenericKubernetesResource> informer = start(revoker, own);
        await("replica-b follows replica-a, with the Groups listed").atMost(WITHIN).until(() -> informer.hasSynced()
                && follower.leaderIdentity().orElse("").equals("replica-a"));

        GroupFixtures.leave(ADMIN, group, "alice");
        await("replica-b's informer has seen it").atMost(WITHIN)
                .until(() -> GroupRevoker.users(informer.getStore().getByKey(group)).isEmpty());
        revoker.checkAll().get(30, TimeUnit.SECONDS);
        revoker.check(List.of("alice")).get(30, TimeUnit.SECONDS);
        assertNotNull(account(ADMIN, identity, "premium", "alice"), "not deleted by a replica that does not lead");
        assertTrue(sent.stream().noneMatch(r -> r.startsWith("DELETE") || r.contains("/serviceaccounts")),
                "no account read or deleted: " + sent);

        other.close(); // releases the Lease: replica-b takes over and checks everything at once
        await("the new leader revokes").atMost(WITHIN)
                .until(() -> account(ADMIN, identity, "premium", "alice") == null);
        assertEquals(List.of("DELETE /api/v1/namespaces/" + identity.tierNamespace("premium") + "/serviceaccounts/"
                + identity.serviceAccountName("alice")), sent.stream().filter(r -> r.startsWith("DELETE")).toList());
    }

    /** Without the RBAC to list ServiceAccounts every resync is refused (403); once granted, the next one revokes. */
    @Test
    void aFailingResyncDoesNotStopTheNextOnes() throws Exception {
        isolate("resync");
        String token = PLANE.maasApi(namespace, OVERLAYS);
        ADMIN.rbac().clusterRoleBindings().withName("maas-api-tokens-" + namespace).delete(); // no serviceaccounts
        List<String> sent = new CopyOnWriteArrayList<>();
        KubernetesClient own = client(token, sent);
        GroupRevoker revoker = revoker(own, GroupChange.ON, Duration.ofMillis(100), leadership(own, "replica-c"),
                new SimpleMeterRegistry());
        GroupFixtures.setUsers(ADMIN, group);
        GroupFixtures.managedAccount(ADMIN, identity, "premium", "alice"); // no longer in the Group
        start(revoker, own);
        await("several resyncs refused").atMost(WITHIN).until(() -> sent.stream()
                .filter(r -> r.startsWith("GET /api/v1/serviceaccounts?")).count() >= 3);
        assertNotNull(account(ADMIN, identity, "premium", "alice"));

        PLANE.maasApi(namespace, OVERLAYS); // the shipped RBAC again
        await("a later resync revokes").atMost(WITHIN)
                .until(() -> account(ADMIN, identity, "premium", "alice") == null);
    }

    /** Dry run: the leader counts and logs each account it would revoke once, and deletes nothing. */
    @Test
    void aDryRunCountsOnceAndDeletesNothing() throws Exception {
        isolate("dry");
        String token = PLANE.maasApi(namespace, OVERLAYS);
        List<String> sent = new CopyOnWriteArrayList<>();
        KubernetesClient own = client(token, sent);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Leadership leadership = leadership(own, "replica-d");
        GroupRevoker revoker = revoker(own, GroupChange.DRY_RUN, Duration.ofHours(1), leadership, registry);
        GroupFixtures.setUsers(ADMIN, group, "alice");
        GroupFixtures.managedAccount(ADMIN, identity, "premium", "alice");
        SharedIndexInformer<GenericKubernetesResource> informer = start(revoker, own);
        await("leads, with the Groups listed").atMost(WITHIN).until(() -> informer.hasSynced() && leadership.isLeader());
        var wouldRevoke = registry.counter("maas_tokens_revoked", "tier", "premium", "outcome", "group_change_dry_run");
        assertEquals(0, wouldRevoke.count());

        GroupFixtures.leave(ADMIN, group, "alice");
        await("counted").atMost(WITHIN).until(() -> wouldRevoke.count() == 1);
        revoker.checkAll().get(30, TimeUnit.SECONDS); // a resync does not count it again
        assertEquals(1, wouldRevoke.count());
        assertNotNull(account(ADMIN, identity, "premium", "alice"));
        assertTrue(sent.stream().noneMatch(r -> r.startsWith("DELETE")), "nothing deleted: " + sent);
    }

    private GroupRevoker revoker(KubernetesClient own, GroupChange mode, Duration resync, Leadership leadership,
                                 SimpleMeterRegistry registry) throws Exception {
        TierIndex tiers = new TierIndex(1, "test", new TierConfigParser(identity).parse(
                "- {name: free, level: 0, groups: [system:authenticated]}\n"
                        + "- {name: premium, level: 1, groups: [" + group + "]}\n"), identity, Optional.empty());
        AccountMetrics metrics = new AccountMetrics(registry);
        GroupRevoker revoker = new GroupRevoker(new GroupRevoker.Settings(mode, resync), leadership, identity,
                () -> tiers, new Accounts(own, identity, metrics), metrics);
        closing.add(revoker);
        return revoker;
    }

    private SharedIndexInformer<GenericKubernetesResource> start(GroupRevoker revoker, KubernetesClient own) {
        SharedIndexInformer<GenericKubernetesResource> informer = revoker.informer(own);
        closing.add(informer::close);
        informer.start();
        revoker.start();
        return informer;
    }

    private Leadership leadership(KubernetesClient client, String replica) {
        Leadership leadership = new Leadership(client, new Leadership.Settings(namespace, "maas-api-leader", replica,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
        closing.add(leadership);
        return leadership;
    }

    /** A replica's client: maas-api's ServiceAccount token; every request it sends lands in {@code sent}. */
    private KubernetesClient client(String token, List<String> sent) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(PLANE.apiUrl())
                .withCaCertFile(PLANE.caCertificate().toString()).withOauthToken(token).withNamespace(namespace).build();
        Interceptor counting = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String query = request.uri().getRawQuery();
                sent.add(request.method() + " " + request.uri().getRawPath() + (query == null ? "" : "?" + query));
            }
        };
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("count", counting)).build();
        closing.add(client);
        return client;
    }
}
