package org.maas.api.account;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;

/**
 * The Kubernetes writes behind tokens: tier namespaces, users' ServiceAccounts and their TokenRequests.
 * Creates are idempotent (AlreadyExists is success), so concurrent first mints converge on one account.
 */
@ApplicationScoped
class ServiceAccountStore {

    private static final Logger LOG = Logger.getLogger(ServiceAccountStore.class);
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final KubernetesClient client;
    private final ManagedObjectCache cache;

    ServiceAccountStore(KubernetesClient client, ManagedObjectCache cache) {
        this.client = client;
        this.cache = cache;
    }

    /** Makes sure the user's account exists in the namespace; no API call when the cache already has it. */
    void ensure(String namespace, String name, String tier, String username) {
        var cached = cache.serviceAccount(namespace, name);
        if (cached.isPresent()) {
            checkOwner(cached.get(), username);
            return;
        }
        if (!cache.namespaceExists(namespace)) {
            createNamespace(namespace, tier);
        }
        createServiceAccount(namespace, name, tier, username);
    }

    /** Creates namespace and account whatever the cache says: after the API server said the account is gone. */
    void recreate(String namespace, String name, String tier, String username) {
        createNamespace(namespace, tier);
        createServiceAccount(namespace, name, tier, username);
    }

    private void createNamespace(String namespace, String tier) {
        Namespace object = new NamespaceBuilder().withNewMetadata().withName(namespace)
                .withLabels(ManagedObjects.labels(tier)).endMetadata().build();
        try {
            client.namespaces().resource(object).create();
            LOG.infof("created tier namespace %s", namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() != CONFLICT) {
                throw KubernetesFailures.translate(e, "create namespaces (cluster scope)");
            }
        }
    }

    /**
     * The account as the API server has it now, created when missing: keys need its current uid (their
     * Secrets' ownerReference, their bound tokens), which a lagging cache could get wrong.
     */
    ServiceAccount current(String namespace, String name, String tier, String username) {
        ServiceAccount account = find(namespace, name);
        if (account == null) {
            if (!cache.namespaceExists(namespace)) {
                createNamespace(namespace, tier);
            }
            return createServiceAccount(namespace, name, tier, username);
        }
        checkOwner(account, username);
        return account;
    }

    private ServiceAccount find(String namespace, String name) {
        try {
            return client.serviceAccounts().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "get serviceaccounts in namespace " + namespace);
        }
    }

    private ServiceAccount createServiceAccount(String namespace, String name, String tier, String username) {
        return createServiceAccount(namespace, name, tier, username, false);
    }

    private ServiceAccount createServiceAccount(String namespace, String name, String tier, String username,
                                                boolean namespaceRetried) {
        ServiceAccount object = new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withLabels(ManagedObjects.labels(tier)).withAnnotations(Map.of(ManagedObjects.USERNAME, username))
                .endMetadata().build();
        try {
            return client.serviceAccounts().inNamespace(namespace).resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == NOT_FOUND && !namespaceRetried) { // the cache still had a deleted namespace
                createNamespace(namespace, tier);
                return createServiceAccount(namespace, name, tier, username, true);
            }
            if (e.getCode() != CONFLICT) {
                throw KubernetesFailures.translate(e, "create serviceaccounts in namespace " + namespace);
            }
            ServiceAccount existing = get(namespace, name); // created meanwhile: by this user, or a name collision
            checkOwner(existing, username);
            return existing;
        }
    }

    private ServiceAccount get(String namespace, String name) {
        try {
            ServiceAccount account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
            if (account == null) {
                throw ApiException.unavailable("the ServiceAccount is being changed concurrently; retry", 1);
            }
            return account;
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "get serviceaccounts in namespace " + namespace);
        }
    }

    /** A name is derived from a hash: refuse to hand out a token of an account that belongs to someone else. */
    private static void checkOwner(ServiceAccount account, String username) {
        String owner = ManagedObjects.owner(account);
        if (!username.equals(owner)) {
            String where = account.getMetadata().getNamespace() + "/" + account.getMetadata().getName();
            LOG.errorf("ServiceAccount %s is annotated %s=%s, not for the caller: refusing to issue a token"
                    + " (name collision or manual edit)", where, ManagedObjects.USERNAME,
                    owner == null ? "(none)" : "another user");
            // Not a failure of ours to retry, nor the caller's to fix: an administrator must look (409, not 500).
            throw ApiException.conflict("your ServiceAccount " + where + " belongs to another user (a name collision"
                    + " or a manual edit); no token was issued: ask an administrator to check its "
                    + ManagedObjects.USERNAME + " annotation");
        }
    }

    /** @return the granted token, or null when the account does not exist (any more) */
    TokenRequest requestToken(String namespace, String name, String audience, Duration expiration) {
        return requestToken(namespace, name, audience, expiration, null);
    }

    /**
     * A token bound to a Secret: the API server authenticates it only while that Secret exists with that
     * uid (and the account with its own), so deleting the Secret revokes this token alone.
     *
     * @param boundSecret null for a token bound to the account only
     * @return the granted token, or null when the account does not exist (any more)
     */
    TokenRequest requestToken(String namespace, String name, String audience, Duration expiration,
                              BoundSecret boundSecret) {
        TokenRequestBuilder request = new TokenRequestBuilder();
        var spec = request.withNewSpec().withAudiences(List.of(audience)).withExpirationSeconds(expiration.getSeconds());
        if (boundSecret != null) {
            spec = spec.withNewBoundObjectRef().withApiVersion("v1").withKind("Secret")
                    .withName(boundSecret.name()).withUid(boundSecret.uid()).endBoundObjectRef();
        }
        spec.endSpec();
        return requestToken(namespace, name, request.build());
    }

    /** The object a token is bound to, besides its ServiceAccount. */
    record BoundSecret(String name, String uid) {
    }

    private TokenRequest requestToken(String namespace, String name, TokenRequest request) {
        try {
            return client.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
        } catch (KubernetesClientException e) {
            if (e.getCode() == NOT_FOUND) {
                return null;
            }
            throw KubernetesFailures.translate(e, "create serviceaccounts/token in namespace " + namespace);
        }
    }

    /** Managed ServiceAccounts with this name in any namespace, straight from the API server. */
    List<ServiceAccount> listNamed(String name) {
        try {
            return client.serviceAccounts().inAnyNamespace().withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER)
                    .withField("metadata.name", name).list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list serviceaccounts (all namespaces)");
        }
    }

    /** Every managed ServiceAccount in any namespace. */
    List<ServiceAccount> listAll() {
        try {
            return client.serviceAccounts().inAnyNamespace().withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER)
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list serviceaccounts (all namespaces)");
        }
    }

    /** The managed ServiceAccounts of one namespace. */
    List<ServiceAccount> listIn(String namespace) {
        try {
            return client.serviceAccounts().inNamespace(namespace)
                    .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list serviceaccounts in namespace " + namespace);
        }
    }

    /** Deletes the account, which invalidates every token issued for it; gone already is fine. */
    void delete(ServiceAccount account) {
        String namespace = account.getMetadata().getNamespace();
        try {
            client.serviceAccounts().inNamespace(namespace).withName(account.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != NOT_FOUND) {
                throw KubernetesFailures.translate(e, "delete serviceaccounts in namespace " + namespace);
            }
        }
    }
}
