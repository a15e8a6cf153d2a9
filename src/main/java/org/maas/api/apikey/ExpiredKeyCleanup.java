package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.audit.Audit;
import org.maas.api.audit.Operation;

/**
 * Deletes the Secrets of keys that expired more than {@code maas.api-keys.cleanup-grace} ago: their
 * tokens stopped working at expiry; the grace keeps them listed as {@code expired} for a while so their
 * owners see what lapsed. One pass per {@link #runOnce}: who runs it, how often and on which replica (the
 * leader) is decided by the caller.
 */
@ApplicationScoped
public class ExpiredKeyCleanup {

    private static final Logger LOG = Logger.getLogger(ExpiredKeyCleanup.class);

    private final ApiKeyStore keys;
    private final ApiKeyMetrics metrics;
    private final MaasIdentity identity;
    private final Duration grace;

    ExpiredKeyCleanup(ApiKeyStore keys, ApiKeyMetrics metrics, MaasIdentity identity, MaasConfig config) {
        this.keys = keys;
        this.metrics = metrics;
        this.identity = identity;
        this.grace = config.apiKeys().cleanupGrace();
    }

    /**
     * One pass: lists every key Secret and deletes those expired before {@code now - grace}.
     *
     * @return how many were deleted; a failed list or delete is logged and the pass goes on (next pass retries)
     */
    public int runOnce(Instant now) {
        Instant cutoff = now.minus(grace);
        int deleted = 0;
        try {
            for (Secret secret : keys.listAll()) {
                Optional<ApiKey> key = ApiKey.of(secret).filter(k -> identity.tierOfNamespace(k.namespace()).isPresent());
                if (key.isPresent() && key.get().expiresAt().isBefore(cutoff) && delete(key.get())) {
                    deleted++;
                }
            }
        } catch (ApiException e) {
            LOG.warnf("cleanup of expired API keys could not list them (%s); the next pass retries", e.getMessage());
            metrics.count("cleanup", null, Operation.outcome(e));
        }
        return deleted;
    }

    /** @return whether this pass deleted it; a failure is reported (the next pass retries) */
    private boolean delete(ApiKey key) {
        try {
            return Operation.run(scope -> keys.delete(key), (outcome, scope, deleted) -> {
                String tag = Boolean.FALSE.equals(deleted) ? "gone" : outcome;
                Audit.keyDelete(tag, "expired", key.username(), key.tier(), key.namespace(), key.id(), key.name());
                metrics.count("cleanup", key.tier(), tag);
            });
        } catch (ApiException e) {
            return false;
        }
    }
}
