package org.maas.api.token;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The labels and annotation that mark the namespaces and ServiceAccounts maas-api manages. */
final class ManagedObjects {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "maas-api";
    static final String TIER = "maas.opendatahub.io/tier";
    /** Usernames do not fit label values (length, characters), so they go in an annotation. */
    static final String USERNAME = "maas.opendatahub.io/username";

    private ManagedObjects() {
    }

    static Map<String, String> labels(String tier) {
        return Map.of(MANAGED_BY, MANAGER, TIER, tier);
    }

    static String owner(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(USERNAME);
    }

    static String tier(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null || labels.get(TIER) == null ? "unknown" : labels.get(TIER);
    }
}
