package org.maas.api.identity;

import java.util.List;

/** Who is calling, as the API server's TokenReview vouched for it. */
public record Caller(String username, List<String> groups) {

    public Caller {
        groups = List.copyOf(groups);
    }
}
