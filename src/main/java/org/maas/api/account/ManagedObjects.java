package org.maas.api.account;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * The labels and annotation that mark what maas-api manages: defined here once, for the tier namespaces and
 * users' ServiceAccounts (with the tier), key Secrets, and the model and policy objects (managed-by alone).
 */
public final class ManagedObjects {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "maas-api";
    public static final String TIER = "maas.opendatahub.io/tier";
    /** Usernames do not fit label values (length, characters), so they go in an annotation. */
    public static final String USERNAME = "maas.opendatahub.io/username";

    private ManagedObjects() {
    }

    public static Map<String, String> labels(String tier) {
        return Map.of(MANAGED_BY, MANAGER, TIER, tier);
    }

    /** The username the object was made for, or null. */
    public static String owner(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(USERNAME);
    }

    public static String tier(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null || labels.get(TIER) == null ? "unknown" : labels.get(TIER);
    }
}
