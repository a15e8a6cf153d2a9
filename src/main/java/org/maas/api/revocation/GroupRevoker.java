package org.maas.api.revocation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.maas.api.account.AccountMetrics;
import org.maas.api.account.Accounts;
import org.maas.api.account.ManagedObjects;
import org.maas.api.controller.Controller;
import org.maas.api.error.ApiException;
import org.maas.api.config.MaasConfig.Revocation.GroupChange;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierIndex;
import org.maas.api.audit.Audit;

/**
 * Revokes a user's ServiceAccount in a tier's namespace once they are provably no longer in that tier
 * ({@link GroupRevocationRule}), from OpenShift Group objects ({@code user.openshift.io/v1}, a {@code users}
 * list) held in an informer indexed by user. A user removed from a Group, a Group deleted, a tier config
 * change, leadership gained and a periodic resync all lead to the same state-based check, so a missed event
 * is caught by the next resync. Every replica keeps the informer; only the leader reads accounts and acts.
 * All work runs on one {@link Controller} (its thread, queue, resync and leader-only check). In {@link GroupChange#DRY_RUN} nothing is deleted: each account that would be
 * is logged, audited and counted once.
 *
 * <p>The review cache cannot undo a revocation: every replica corrects a person's reviewed groups by the Groups
 * it watches ({@link #current}), so a mint inside the cache's TTL lands in the tier the user is in now; and an
 * account that appears in a tier its owner has left (made by a mint that read the Groups just before the change
 * reached this replica, or by another replica) is judged when the leader's informer sees it ({@link
 * #accountAdded}), not at the next resync.
 */
public final class GroupRevoker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupRevoker.class);
    static final ResourceDefinitionContext GROUPS = new ResourceDefinitionContext.Builder()
            .withGroup("user.openshift.io").withVersion("v1").withKind("Group").withPlural("groups")
            .withNamespaced(false).build();
    private static final String BY_USER = "user";
    static final String REVOKED = "group_change";
    static final String DRY_RUN = "group_change_dry_run";
    static final String FAILED = "group_change_failed";

    /** Dry run or on, and how often the leader checks every account. */
    public record Settings(GroupChange mode, Duration resyncInterval) {
    }

    private final Settings settings;
    private final Leadership leadership;
    private final MaasIdentity identity;
    private final Supplier<TierIndex> tiers;
    private final Accounts accounts;
    private final AccountMetrics metrics;
    private final Controller controller;
    /** Names of Group objects seen deleted: their former members are provably out of them. */
    private final Set<String> deletedGroups = ConcurrentHashMap.newKeySet();
    /** Dry run: accounts (uid) already reported, so a resync does not count them again. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile SharedIndexInformer<GenericKubernetesResource> groups;

    public GroupRevoker(Settings settings, Leadership leadership, MaasIdentity identity, Supplier<TierIndex> tiers,
                        Accounts accounts, AccountMetrics metrics) {
        this.settings = settings;
        this.leadership = leadership;
        this.identity = identity;
        this.tiers = tiers;
        this.accounts = accounts;
        this.metrics = metrics;
        this.controller = new Controller(new Controller.Settings("group-revoker", settings.resyncInterval(), true),
                leadership, this::checkEveryAccount, () -> { });
    }

    /** The informer on every Group, indexed by user, not started; removals reach this revoker. */
    public SharedIndexInformer<GenericKubernetesResource> informer(KubernetesClient kubernetes) {
        SharedIndexInformer<GenericKubernetesResource> built = kubernetes.genericKubernetesResources(GROUPS)
                .runnableInformer(0);
        built.addIndexers(Map.of(BY_USER, GroupRevoker::users));
        built.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource group) {
                // Joining a group never revokes.
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource group) {
                Set<String> removed = new HashSet<>(users(before));
                removed.removeAll(users(group));
                if (!removed.isEmpty()) {
                    check(removed);
                }
            }

            @Override
            public void onDelete(GenericKubernetesResource group, boolean finalStateUnknown) {
                deletedGroups.add(group.getMetadata().getName());
                check(users(group));
            }
        });
        groups = built;
        return built;
    }

    /** The controller to run ({@link org.maas.api.controller.Controllers#run}): it joins the election. */
    public Controller controller() {
        return controller;
    }

    /** Starts the controller: a full check on becoming leader, and at every resync. */
    public void start() {
        controller.start();
    }

    /** Every managed account against the Groups and the tier config (a tier config change, a resync). */
    public Future<?> checkAll() {
        return controller.resyncNow();
    }

    /** These users' accounts. */
    public Future<?> check(Collection<String> users) {
        List<String> copy = List.copyOf(users);
        return controller.enqueue("users/" + String.join("\n", copy), () -> copy.forEach(this::checkUser));
    }

    /** Leader, Groups listed once, a tier config served: else nothing can be proven, so nothing is done. */
    private TierIndex ready() {
        SharedIndexInformer<GenericKubernetesResource> informer = groups;
        return informer != null && informer.hasSynced() && leadership.isLeader() ? tiers.get() : null;
    }

    private void checkEveryAccount() {
        TierIndex index = ready();
        if (index == null) {
            SharedIndexInformer<GenericKubernetesResource> informer = groups;
            if (leadership.isLeader() && informer != null && !informer.hasSynced()) {
                // Leading before the Groups are listed: check again soon rather than at the next resync.
                controller.enqueueAfter(Duration.ofSeconds(1), "groups-listed", this::checkEveryAccount);
            }
            return;
        }
        accounts.all().forEach(account -> judge(index, account));
    }

    private void checkUser(String user) {
        TierIndex index = ready();
        if (index == null) {
            return;
        }
        // From the API server, not the cache: revocation must not miss an account the cache has not seen yet.
        accounts.held(user).forEach(account -> judge(index, account));
    }

    private void judge(TierIndex index, ServiceAccount account) {
        String user = ManagedObjects.owner(account);
        String namespace = account.getMetadata().getNamespace();
        String tier = identity.tierOfNamespace(namespace).orElse(null);
        if (user == null || tier == null) {
            return; // not a user's account in a tier namespace
        }
        GroupRevocationRule.Verdict verdict = GroupRevocationRule.judge(index, tier, groupsOf(user), this::isGroupObject);
        String uid = Objects.requireNonNullElse(account.getMetadata().getUid(), namespace + "/" + user);
        if (!verdict.revoke()) {
            reported.remove(uid);
            return;
        }
        String name = account.getMetadata().getName();
        if (settings.mode() == GroupChange.DRY_RUN) {
            if (reported.add(uid)) {
                LOG.infof("dry run: would revoke %s/%s of %s (%s; tier now %s)", namespace, name,
                        Audit.quote(user), verdict.why(), verdict.newTier());
                Audit.groupChange("dry_run", user, tier, verdict.newTier(), namespace, name);
                metrics.revoked(tier, DRY_RUN);
            }
            return;
        }
        if (!leadership.isLeader()) { // checked right before the write: a replica that lost the Lease stops here
            return;
        }
        try {
            accounts.delete(user, List.of(account), deleted -> {
                LOG.infof("revoked %s/%s of %s: %s; tier now %s", namespace, name, Audit.quote(user), verdict.why(),
                        verdict.newTier());
                Audit.groupChange("revoked", user, tier, verdict.newTier(), namespace, name);
                metrics.revoked(tier, REVOKED);
            });
        } catch (ApiException e) {
            LOG.warnf("revoking %s/%s failed: %s; retried at the next change or resync", namespace, name,
                    e.getMessage());
            Audit.groupChange("failed", user, tier, verdict.newTier(), namespace, name);
            metrics.revoked(tier, FAILED);
        }
    }

    /**
     * The reviewed groups less the Group objects (watched now, or seen deleted) that do not hold the user now:
     * the membership {@link GroupRevocationRule} judges by, so a mint never makes an account that the rule would
     * revoke. It only ever removes groups: a group the review does not name is never added (on a cluster whose
     * authenticator does not read Group objects, those objects must not grant a tier), and a group that is no
     * Group object (virtual, from the identity provider) is kept, as the rule keeps its accounts. Before the
     * Groups are listed the review is all there is.
     */
    List<String> current(String user, List<String> reviewed) {
        SharedIndexInformer<GenericKubernetesResource> informer = groups;
        if (informer == null || !informer.hasSynced()) {
            return reviewed;
        }
        Set<String> holding = groupsOf(user);
        return reviewed.stream().filter(group -> holding.contains(group) || !isGroupObject(group)).toList();
    }

    /** A managed account the informer has just seen (created, or listed): judged now, on the leader. */
    void accountAdded(ServiceAccount account) {
        String key = "account/" + account.getMetadata().getNamespace() + "/" + account.getMetadata().getName();
        controller.enqueue(key, () -> {
            TierIndex index = ready();
            if (index != null) {
                judge(index, account);
            }
        });
    }

    /** The Group objects that hold the user now, as this replica's informer has them. */
    private Set<String> groupsOf(String user) {
        Set<String> names = new HashSet<>();
        for (GenericKubernetesResource group : groups.getIndexer().byIndex(BY_USER, user)) {
            names.add(group.getMetadata().getName());
        }
        return names;
    }

    private boolean isGroupObject(String name) {
        return deletedGroups.contains(name) || groups.getStore().getByKey(name) != null;
    }

    /** A Group's {@code users}; absent or malformed means none. */
    static List<String> users(GenericKubernetesResource group) {
        Object users = group.getAdditionalProperties().get("users");
        if (!(users instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    @Override
    public void close() {
        controller.close();
    }
}
