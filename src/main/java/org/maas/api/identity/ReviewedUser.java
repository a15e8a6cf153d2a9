package org.maas.api.identity;

import java.util.List;

/** The user a TokenReview authenticated, before maas-api tells what kind of {@link Caller} it is. */
record ReviewedUser(String username, List<String> groups) {

    ReviewedUser {
        groups = List.copyOf(groups);
    }
}
