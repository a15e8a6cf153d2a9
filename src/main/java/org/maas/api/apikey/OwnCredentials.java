package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.Optional;
import org.maas.api.account.ManagedObjects;

/**
 * What maas-api wrote about a caller's own MaaS token or API key, read back for GET /v1/access: the owner
 * recorded on the ServiceAccount, the key recorded on its Secret. Only for the caller's own objects.
 */
public final class OwnCredentials {

    /** An API key as its Secret records it. */
    public record Key(String id, String name, Instant expiresAt, String ownerServiceAccount) {
    }

    private OwnCredentials() {
    }

    /** The username a ServiceAccount (or key Secret) maas-api manages was made for, if it says so. */
    public static Optional<String> owner(HasMetadata object) {
        return Optional.ofNullable(ManagedObjects.owner(object));
    }

    /** The key a Secret stands for, when it is one maas-api wrote. */
    public static Optional<Key> key(Secret secret) {
        return ApiKey.of(secret).map(key -> new Key(key.id(), key.name(), key.expiresAt(),
                secret.getMetadata().getLabels() == null ? null
                        : secret.getMetadata().getLabels().get(ApiKeySecrets.OWNER_LABEL)));
    }
}
