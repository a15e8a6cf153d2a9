package org.maas.api.revocation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.maas.api.config.MaasConfig;
import java.util.List;
import org.maas.api.config.MaasConfig.Revocation.GroupChange;
import org.maas.api.identity.GroupMembership;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.kubernetes.Informers;
import org.maas.api.kubernetes.Leadership;
import org.maas.api.tier.TierCatalog;
import org.maas.api.account.AccountMetrics;
import org.maas.api.account.Accounts;
import org.maas.api.controller.Controllers;

/**
 * Runs the {@link GroupRevoker} unless {@code maas.revocation.on-group-change=off}: its informer and thread
 * belong to {@link Informers} and {@link Controllers} (which also resyncs it at every tier config), its deletions
 * to the leader; the managed accounts the cache's informer adds reach it (so the account cache starts with it, not
 * with the first mint). When on (not in a dry run, which changes nothing), callers' reviewed groups are corrected
 * by the watched Groups.
 */
@ApplicationScoped
class GroupRevocationStarter implements GroupMembership {

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final MaasIdentity identity;
    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private final Leadership leadership;
    private final Controllers controllers;
    private final Accounts accounts;
    private final AccountMetrics metrics;
    private volatile GroupRevoker revoker;

    GroupRevocationStarter(MaasConfig config, TierCatalog catalog, MaasIdentity identity, Instance<KubernetesClient> client,
                           Informers informers, Leadership leadership, Controllers controllers, Accounts accounts,
                           AccountMetrics metrics) {
        this.controllers = controllers;
        this.accounts = accounts;
        this.metrics = metrics;
        this.config = config;
        this.catalog = catalog;
        this.identity = identity;
        this.client = client;
        this.informers = informers;
        this.leadership = leadership;
    }

    void start(@Observes StartupEvent event) {
        GroupChange mode = config.revocation().onGroupChange();
        if (mode == GroupChange.OFF) {
            return;
        }
        GroupRevoker started = new GroupRevoker(new GroupRevoker.Settings(mode, config.revocation().resyncInterval()),
                leadership, identity, catalog::current, accounts, metrics);
        informers.start(Informers.Spec.reporting("openshift-groups",
                "list and watch groups.user.openshift.io (cluster scope; overlays/group-revocation grants it)"),
                started::informer);
        controllers.run(started.controller());
        revoker = started;
        accounts.whenAdded(started::accountAdded);
    }

    @Override
    public List<String> current(String username, List<String> reviewedGroups) {
        GroupRevoker running = revoker;
        return running == null || config.revocation().onGroupChange() != GroupChange.ON ? reviewedGroups
                : running.current(username, reviewedGroups);
    }
}
