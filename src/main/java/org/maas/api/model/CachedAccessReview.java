package org.maas.api.model;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.maas.api.cache.RefreshAheadCache;
import org.maas.api.identity.MaasSubject;

/**
 * An {@link AccessReview} that remembers its delegate's answers, allowed or denied, per (subject, model) for the
 * TTL ({@link RefreshAheadCache}: shared in-flight reviews, refreshed ahead of expiry, a failed refresh keeps the
 * old answer). A failure is never remembered: it answers only the requests that waited for it.
 */
final class CachedAccessReview implements AccessReview {

    private record Key(MaasSubject subject, String namespace, String name) {
    }

    private final RefreshAheadCache<Key, Decision> decisions;

    CachedAccessReview(AccessReview delegate, Duration ttl, long maxEntries, Executor executor) {
        this.decisions = new RefreshAheadCache<>(ttl, maxEntries, executor, decision -> !decision.failed(),
                key -> delegate.review(key.subject(), key.namespace(), key.name()));
    }

    @Override
    public CompletableFuture<Decision> review(MaasSubject subject, String namespace, String name) {
        return decisions.get(new Key(subject, namespace, name));
    }
}
