package org.maas.api.identity;

import java.util.List;
import java.util.Optional;

/** Who is calling, as the API server's TokenReview vouched for it. */
public record Caller(String username, List<String> groups) {

    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    public Caller {
        groups = List.copyOf(groups);
    }

    /** The namespace of a ServiceAccount caller ({@code system:serviceaccount:<ns>:<name>}), else empty. */
    public Optional<String> serviceAccountNamespace() {
        if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return Optional.empty();
        }
        String rest = username.substring(SERVICE_ACCOUNT_PREFIX.length());
        int colon = rest.indexOf(':');
        return colon > 0 ? Optional.of(rest.substring(0, colon)) : Optional.empty();
    }
}
