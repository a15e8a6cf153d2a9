package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.maas.api.account.ManagedObjects;

/**
 * How a key is written as a Secret: no data, only metadata. Labels select (managed-by, tier, the key
 * marker, the owner's ServiceAccount name, which is a label-safe hash of the username); annotations carry
 * what labels cannot hold (username, key name, description, times).
 */
final class ApiKeySecrets {

    static final String TYPE = "maas.opendatahub.io/api-key";
    static final String KEY_LABEL = "maas.opendatahub.io/api-key";
    static final String KEY_LABEL_VALUE = "true";
    /** The owner's ServiceAccount name (MaasIdentity.serviceAccountName): the same for a user in every tier. */
    static final String OWNER_LABEL = "maas.opendatahub.io/owner";
    static final String KEY_NAME = "maas.opendatahub.io/key-name";
    static final String DESCRIPTION = "maas.opendatahub.io/key-description";
    static final String CREATED_AT = "maas.opendatahub.io/created-at";
    static final String EXPIRES_AT = "maas.opendatahub.io/expires-at";
    private static final String NAME_PREFIX = "maas-api-key-";

    private ApiKeySecrets() {
    }

    /**
     * Derived from the owner and the key name, so two concurrent creates of one name race for one Secret
     * name and the API server's AlreadyExists picks the winner. 160 bits of SHA-256, in hex.
     */
    static String secretName(String username, String keyName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((username + "\n" + keyName).getBytes(StandardCharsets.UTF_8));
            return NAME_PREFIX + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The Secret of a new key, owned by the account (the garbage collector deletes it with the account). */
    static Secret build(ServiceAccount owner, String tier, String username, String keyName, String description,
                        Instant createdAt, Instant expiresAt) {
        Map<String, String> labels = new HashMap<>(ManagedObjects.labels(tier));
        labels.put(KEY_LABEL, KEY_LABEL_VALUE);
        labels.put(OWNER_LABEL, owner.getMetadata().getName());
        return new SecretBuilder().withType(TYPE).withNewMetadata()
                .withNamespace(owner.getMetadata().getNamespace())
                .withName(secretName(username, keyName))
                .withLabels(labels)
                .withAnnotations(Map.of(ManagedObjects.USERNAME, username, KEY_NAME, keyName, DESCRIPTION, description,
                        CREATED_AT, createdAt.toString(), EXPIRES_AT, expiresAt.toString()))
                .addNewOwnerReference().withApiVersion("v1").withKind("ServiceAccount")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).endOwnerReference()
                .endMetadata().build();
    }
}
