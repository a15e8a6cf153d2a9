package org.maas.api.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import org.maas.api.identity.Caller;

/**
 * Another review's answers, allowed or denied, kept for a short TTL per (username, groups, namespace): an admin's
 * requests come in bursts (a listing, then a revoke; the doctor asked again) that would each ask the same
 * SubjectAccessReviews. An admin whose RoleBinding goes (or a caller who gains one) sees the change within the TTL.
 * A failure to ask is never kept.
 */
final class CachedAdminReview implements AdminReview {

    private record Key(String username, List<String> groups, String namespace) {
    }

    private final AdminReview reviews;
    private final Cache<Key, Boolean> answers;

    CachedAdminReview(AdminReview reviews, Duration ttl, Ticker ticker) {
        this.reviews = reviews;
        this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).build();
    }

    @Override
    public boolean allowed(Caller.Person caller, String namespace) {
        Key key = new Key(caller.username(), caller.groups().stream().sorted().toList(), namespace);
        return answers.get(key, k -> reviews.allowed(caller, namespace));
    }
}
