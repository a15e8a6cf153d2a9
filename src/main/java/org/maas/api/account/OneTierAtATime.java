package org.maas.api.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;

/**
 * A user holds accounts in one tier namespace at a time, even when tokens of theirs that resolve to
 * different tiers mint at once. In this replica a user's mints and revokes run one after the other
 * (striped locks, taken interruptibly so the request deadline still ends a wait), and the namespace of
 * each account made here is remembered briefly, so the next mint finds it even before the informer has
 * seen it. Replicas do not coordinate: two mints of different tiers at the same moment on two replicas
 * can both succeed, and the next mint of that user removes the other tier's account.
 */
final class OneTierAtATime {

    /** Longer than an informer takes to see an account: after that, the cache knows it. */
    private static final Duration REMEMBERED = Duration.ofMinutes(2);
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Cache<String, String> lastNamespace = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBERED).maximumSize(10_000).build();

    OneTierAtATime() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Holds the user's stripe until closed; a request deadline that interrupts the wait ends it with a 503. */
    Held lock(String account) {
        ReentrantLock lock = stripes[Math.floorMod(account.hashCode(), STRIPES)];
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("another request of yours is still being answered; retry shortly",
                    KubernetesFailures.RETRY_AFTER_SECONDS);
        }
        return lock::unlock;
    }

    /** The namespace of the account last made here for this ServiceAccount name, if recent. */
    Optional<String> lastNamespace(String account) {
        return Optional.ofNullable(lastNamespace.getIfPresent(account));
    }

    void made(String account, String namespace) {
        lastNamespace.put(account, namespace);
    }

    void removed(String account) {
        lastNamespace.invalidate(account);
    }

    /** The account in this namespace is gone: forgotten if it is the one remembered. */
    void removed(String account, String namespace) {
        lastNamespace.asMap().remove(account, namespace);
    }

    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
