package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.MaasIdentity;

/**
 * The Kubernetes calls behind keys: their Secrets (create, get, list by owner, namespace or all, patch the
 * expiry, delete), and which of them are live keys. No informer: a key is read right after it is written (create, then list), which a watch cache
 * could miss, and key requests are rare next to model calls.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;

    private final KubernetesClient client;
    private final MaasIdentity identity;

    ApiKeyStore(KubernetesClient client, MaasIdentity identity) {
        this.client = client;
        this.identity = identity;
    }

    /** @return the created Secret, or null when one of that name exists */
    Secret create(Secret secret) {
        String namespace = secret.getMetadata().getNamespace();
        try {
            return client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == CONFLICT) {
                return null;
            }
            throw KubernetesFailures.translate(e, "create secrets in namespace " + namespace);
        }
    }

    /** @return the Secret, or null */
    Secret get(String namespace, String name) {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "get secrets in namespace " + namespace);
        }
    }

    /** The key Secrets of one user (by their ServiceAccount name) in every namespace. */
    List<Secret> listOwned(String serviceAccount) {
        try {
            return client.secrets().inAnyNamespace().withLabel(ApiKeySecrets.KEY_LABEL, ApiKeySecrets.KEY_LABEL_VALUE)
                    .withLabel(ApiKeySecrets.OWNER_LABEL, serviceAccount).list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list secrets (all namespaces)");
        }
    }

    /** The key Secrets of one namespace (the admin listing of one tier). */
    public List<Secret> listIn(String namespace) {
        try {
            return client.secrets().inNamespace(namespace).withLabel(ApiKeySecrets.KEY_LABEL, ApiKeySecrets.KEY_LABEL_VALUE)
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list secrets in namespace " + namespace);
        }
    }

    /**
     * The keys among these Secrets that are live: in a tier namespace, owned by the account that exists there
     * now (one of {@code accounts}, by uid), newest first, expired ones included.
     */
    public List<ApiKey> live(List<Secret> secrets, Collection<ServiceAccount> accounts) {
        Map<String, String> uids = new HashMap<>();
        accounts.forEach(sa -> uids.put(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(),
                sa.getMetadata().getUid()));
        return secrets.stream().map(ApiKey::of).flatMap(Optional::stream)
                .filter(key -> identity.tierOfNamespace(key.namespace()).isPresent())
                .filter(key -> key.ownerUid() != null && key.ownerUid().equals(
                        uids.get(key.namespace() + "/" + identity.serviceAccountName(key.username()))))
                .sorted(ApiKey.NEWEST_FIRST).toList();
    }

    /** The user's live keys, given the user's accounts ({@code Accounts.held}, or the one just made). */
    public List<ApiKey> liveOf(String username, Collection<ServiceAccount> accounts) {
        return live(listOwned(identity.serviceAccountName(username)), accounts).stream()
                .filter(key -> key.username().equals(username)).toList();
    }

    /** Whether maas-api wrote any key (one item listed); false also when the API server cannot say. */
    boolean anyExist() {
        try {
            return !client.secrets().inAnyNamespace().withLabel(ApiKeySecrets.KEY_LABEL, ApiKeySecrets.KEY_LABEL_VALUE)
                    .list(new ListOptionsBuilder().withLimit(1L).build()).getItems().isEmpty();
        } catch (KubernetesClientException e) {
            LOG.debugf("could not tell whether API keys exist (%s); asked again at the next cleanup pass", e.getMessage());
            return false;
        }
    }

    /** Every key Secret maas-api wrote, for the admin listing and the cleanup of expired keys. */
    public List<Secret> listAll() {
        try {
            return client.secrets().inAnyNamespace().withLabel(ApiKeySecrets.KEY_LABEL, ApiKeySecrets.KEY_LABEL_VALUE)
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "list secrets (all namespaces)");
        }
    }

    /** Records when the key's token was issued and expires, as the API server granted it. */
    void recordTimes(Secret secret, Instant issuedAt, Instant expiresAt) {
        String namespace = secret.getMetadata().getNamespace();
        String patch = "{\"metadata\":{\"annotations\":{\"" + ApiKeySecrets.CREATED_AT + "\":\"" + issuedAt + "\",\""
                + ApiKeySecrets.EXPIRES_AT + "\":\"" + expiresAt + "\"}}}";
        try {
            client.secrets().inNamespace(namespace).withName(secret.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "patch secrets in namespace " + namespace);
        }
    }

    /**
     * Deletes this version of the Secret (a resourceVersion precondition: a Secret made again under the
     * same name meanwhile is another key and stays), which revokes the tokens bound to it.
     *
     * @return false when it was gone already
     * @throws ApiException 503 (retry) when it was changed meanwhile (the precondition failed)
     */
    boolean delete(Secret secret) {
        return delete(secret.getMetadata().getNamespace(), secret.getMetadata().getName(),
                secret.getMetadata().getResourceVersion());
    }

    boolean delete(ApiKey key) {
        return delete(key.namespace(), key.secretName(), key.resourceVersion());
    }

    private boolean delete(String namespace, String name, String resourceVersion) {
        try {
            var secret = client.secrets().inNamespace(namespace).withName(name);
            return !(resourceVersion == null ? secret : secret.lockResourceVersion(resourceVersion)).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == NOT_FOUND) {
                return false;
            }
            if (e.getCode() == CONFLICT) {
                throw ApiException.unavailable("the API key is being changed concurrently; retry", 1);
            }
            throw KubernetesFailures.translate(e, "delete secrets in namespace " + namespace);
        }
    }

    /** Undoes a create that could not complete; the request fails anyway, so a failure here is only logged. */
    void deleteQuietly(Secret secret) {
        try {
            delete(secret);
        } catch (RuntimeException e) {
            LOG.warnf("could not delete Secret %s/%s of a key whose creation failed (%s); its token, if any, was never handed out:"
                            + " its owner can delete it with DELETE /v1/api-keys/%s", secret.getMetadata().getNamespace(),
                    secret.getMetadata().getName(), e.getMessage(), secret.getMetadata().getUid());
        }
    }
}
