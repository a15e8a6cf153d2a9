package org.maas.api.account;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.maas.api.kubernetes.Informers;

/**
 * Informer caches of the namespaces and ServiceAccounts maas-api manages (selected by the managed-by
 * label: equality selectors only), so a repeat mint needs no reads from the API server; the
 * ServiceAccounts are indexed by owner (the username annotation).
 *
 * <p>The caches only save calls: every create tolerates AlreadyExists, so a cache that lags behind
 * costs an extra call, never a wrong answer. They start with the first token request rather than with
 * the application, because the tier lookup must keep working without any Kubernetes access; with group
 * revocation on (which needs that access anyway) they start with it, so that the revoker sees every account
 * added. They never gate readiness: a replica whose caches lag still mints, with a few more calls.
 */
@ApplicationScoped
class ManagedObjectCache {

    private static final String BY_OWNER = "owner";

    private final Informers informers;
    private volatile SharedIndexInformer<Namespace> namespaces;
    private volatile SharedIndexInformer<ServiceAccount> serviceAccounts;
    private final List<Consumer<ServiceAccount>> accountsAdded = new CopyOnWriteArrayList<>();

    ManagedObjectCache(Informers informers) {
        this.informers = informers;
    }

    /** Tells {@code listener} every managed ServiceAccount the informer adds (on its thread: hand the work off). */
    void whenServiceAccountAdded(Consumer<ServiceAccount> listener) {
        accountsAdded.add(listener);
    }

    /** Starts the informers once (through {@link Informers}, which retries and closes them); does not wait for them to sync. */
    void start() {
        if (serviceAccounts == null) {
            startOnce();
        }
    }

    /** Group revocation starts the cache at startup, a mint at its first call: whichever comes first. */
    private synchronized void startOnce() {
        if (serviceAccounts != null) {
            return;
        }
        namespaces = informers.start(Informers.Spec.reporting("managed-namespaces",
                "list/watch namespaces (cluster scope)"), kubernetes -> kubernetes.namespaces()
                .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).runnableInformer(0));
        serviceAccounts = informers.start(Informers.Spec.reporting("managed-serviceaccounts",
                "list/watch serviceaccounts (all namespaces)"), kubernetes -> {
                    SharedIndexInformer<ServiceAccount> sa = kubernetes.serviceAccounts().inAnyNamespace()
                            .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).runnableInformer(0);
                    sa.addIndexers(Map.of(BY_OWNER, account -> ManagedObjects.owner(account) == null ? List.of()
                            : List.of(ManagedObjects.owner(account))));
                    sa.addEventHandler(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ServiceAccount account) {
                            accountsAdded.forEach(listener -> listener.accept(account));
                        }

                        @Override
                        public void onUpdate(ServiceAccount before, ServiceAccount account) {
                        }

                        @Override
                        public void onDelete(ServiceAccount account, boolean finalStateUnknown) {
                        }
                    });
                    return sa;
                });
    }

    boolean namespaceExists(String name) {
        SharedIndexInformer<Namespace> informer = namespaces;
        return informer != null && informer.getStore().getByKey(name) != null;
    }

    Optional<ServiceAccount> serviceAccount(String namespace, String name) {
        SharedIndexInformer<ServiceAccount> informer = serviceAccounts;
        return informer == null ? Optional.empty()
                : Optional.ofNullable(informer.getStore().getByKey(namespace + "/" + name));
    }

    /** The managed ServiceAccounts annotated with this owner, once the informer has synced (else empty). */
    Optional<List<ServiceAccount>> ownedBy(String username) {
        SharedIndexInformer<ServiceAccount> informer = serviceAccounts;
        return informer != null && informer.hasSynced() ? Optional.of(informer.getIndexer().byIndex(BY_OWNER, username))
                : Optional.empty();
    }
}
