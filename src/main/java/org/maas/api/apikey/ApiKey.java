package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.maas.api.account.ManagedObjects;

/**
 * A named API key as read from its Secret. The id is the Secret's uid: unique per creation (a key made
 * again under the same name has another id), unguessable, and meaningless to anyone but its owner.
 *
 * @param ownerUid the uid of the ServiceAccount the Secret belongs to: a key lives only while that account does
 */
public record ApiKey(String id, String name, String description, Instant createdAt, Instant expiresAt, String tier,
              String username, String namespace, String secretName, String ownerUid, String resourceVersion) {

    /** Newest first; the id breaks ties of keys created within one second. */
    public static final Comparator<ApiKey> NEWEST_FIRST =
            Comparator.comparing(ApiKey::createdAt).reversed().thenComparing(ApiKey::id);

    /** Expired keys are listed (status expired) until {@link ExpiredKeyCleanup} deletes their Secret. */
    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public ApiKeyInfo info(Instant now, boolean withUser) {
        return new ApiKeyInfo(id, name, description, createdAt.getEpochSecond(), expiresAt.getEpochSecond(), tier,
                expired(now) ? ApiKeyInfo.Status.expired : ApiKeyInfo.Status.active, withUser ? username : null);
    }

    /** The key a Secret stands for, or empty when it is not one maas-api wrote (a manual edit, a partial object). */
    public static Optional<ApiKey> of(Secret secret) {
        var metadata = secret.getMetadata();
        Map<String, String> annotations = metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations();
        String username = annotations.get(ManagedObjects.USERNAME);
        String name = annotations.get(ApiKeySecrets.KEY_NAME);
        OwnerReference owner = metadata.getOwnerReferences() == null ? null : metadata.getOwnerReferences().stream()
                .filter(ref -> "ServiceAccount".equals(ref.getKind())).findFirst().orElse(null);
        try {
            Instant created = Instant.parse(annotations.get(ApiKeySecrets.CREATED_AT));
            Instant expires = Instant.parse(annotations.get(ApiKeySecrets.EXPIRES_AT));
            if (username == null || name == null || owner == null || metadata.getUid() == null) {
                return Optional.empty();
            }
            return Optional.of(new ApiKey(metadata.getUid(), name, annotations.getOrDefault(ApiKeySecrets.DESCRIPTION, ""),
                    created, expires, ManagedObjects.tier(secret), username, metadata.getNamespace(), metadata.getName(),
                    owner.getUid(), metadata.getResourceVersion()));
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
