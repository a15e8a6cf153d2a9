package org.maas.api.token;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.maas.api.error.KubernetesFailures;

/**
 * Informer caches of the namespaces and ServiceAccounts maas-api manages (selected by the managed-by
 * label: equality selectors only), so a repeat mint needs no reads from the API server.
 *
 * <p>The caches only save calls: every create tolerates AlreadyExists, so a cache that lags behind
 * costs an extra call, never a wrong answer. They start with the first token request rather than with
 * the application, because the tier lookup must keep working without any Kubernetes access.
 */
@ApplicationScoped
class ManagedObjectCache {

    private static final Logger LOG = Logger.getLogger(ManagedObjectCache.class);
    private static final String BY_NAME = "name";

    private final KubernetesClient client;
    private volatile SharedIndexInformer<Namespace> namespaces;
    private volatile SharedIndexInformer<ServiceAccount> serviceAccounts;

    ManagedObjectCache(KubernetesClient client) {
        this.client = client;
    }

    /** Starts the informers once; does not wait for them to sync. */
    void start() {
        if (serviceAccounts != null) {
            return;
        }
        synchronized (this) {
            if (serviceAccounts != null) {
                return;
            }
            SharedIndexInformer<Namespace> ns = client.namespaces()
                    .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).runnableInformer(0);
            ns.exceptionHandler((started, e) -> retrying("list/watch namespaces (cluster scope)", e));
            SharedIndexInformer<ServiceAccount> sa = client.serviceAccounts().inAnyNamespace()
                    .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).runnableInformer(0);
            sa.addIndexers(Map.of(BY_NAME, account -> List.of(account.getMetadata().getName())));
            sa.exceptionHandler((started, e) -> retrying("list/watch serviceaccounts (all namespaces)", e));
            ns.start();
            sa.start();
            namespaces = ns;
            serviceAccounts = sa;
        }
    }

    private static boolean retrying(String permission, Throwable e) {
        if (e instanceof KubernetesClientException k && k.getCode() == 403) {
            LOG.errorf("RBAC: maas-api's ServiceAccount is not allowed to %s; token caches are empty until it is", permission);
        } else {
            LOG.warnf("informer for %s failed (%s); retrying", permission, e.toString());
        }
        return true;
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

    /** Managed ServiceAccounts with this name in any namespace, from the cache once it has synced. */
    List<ServiceAccount> serviceAccountsNamed(String name) {
        SharedIndexInformer<ServiceAccount> informer = serviceAccounts;
        if (informer != null && informer.hasSynced()) {
            return informer.getIndexer().byIndex(BY_NAME, name);
        }
        return listServiceAccountsNamed(name);
    }

    /** Straight from the API server: for revocation, which must not miss an account the cache has not seen yet. */
    List<ServiceAccount> listServiceAccountsNamed(String name) {
        try {
            return client.serviceAccounts().inAnyNamespace()
                    .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER)
                    .withField("metadata.name", name).list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list serviceaccounts (all namespaces)");
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (serviceAccounts != null) {
            serviceAccounts.close();
            namespaces.close();
        }
    }
}
