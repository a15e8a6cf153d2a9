package org.maas.api.apikey;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;
import org.maas.api.account.Accounts;
import org.maas.api.account.Expiration;
import org.maas.api.account.GrantedToken;
import org.maas.api.account.ManagedObjects;
import org.maas.api.audit.Audit;
import org.maas.api.audit.Operation;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.tier.TierCatalog;

/**
 * Named keys: a Secret in the user's tier namespace, owned by their ServiceAccount there, and a token
 * bound to it. Deleting the Secret revokes that key alone at the API server; deleting the account
 * (revoke all, tier change, admin revocation) revokes every key with it. A key is live while its account
 * exists with the uid its Secret's ownerReference names: the garbage collector deletes the Secrets of a
 * deleted account some time later, and until then they are not listed.
 */
@ApplicationScoped
class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final int MAX_NAME = 128;
    static final int MAX_DESCRIPTION = 256;

    private final TierCatalog tiers;
    private final Accounts accounts;
    private final ApiKeyStore keys;
    private final ApiKeyMetrics metrics;
    private final Expiration expiration;
    private final int maxPerUser;
    private final ExpiredKeyCleanupSchedule cleanup;

    ApiKeyService(TierCatalog tiers, Accounts accounts, ApiKeyStore keys, ApiKeyMetrics metrics, MaasConfig config,
                  ExpiredKeyCleanupSchedule cleanup) {
        this.tiers = tiers;
        this.accounts = accounts;
        this.keys = keys;
        this.metrics = metrics;
        MaasConfig.ApiKeys settings = config.apiKeys();
        this.expiration = new Expiration(settings.minExpiration(), settings.maxExpiration(), settings.defaultExpiration());
        this.maxPerUser = settings.maxPerUser();
        this.cleanup = cleanup;
    }

    CreatedApiKey create(Caller.Person caller, CreateApiKeyRequest request) {
        cleanup.join(); // keys exist from here on: someone must delete them once long expired
        return Operation.run(scope -> {
            scope.name = request == null ? null : request.name();
            if (request == null) {
                throw ApiException.badRequest("send a JSON body with at least a name, e.g. {\"name\": \"ci-pipeline\"}");
            }
            validate(request);
            String name = KeyNames.normalize("name", request.name());
            scope.name = name;
            Duration lifetime = expiration.parse(request.expiration());
            String tier = tiers.tierOf(caller).name();
            scope.tier = tier;
            scope.namespace = accounts.namespace(tier);
            // One create of this user at a time in this replica, from the count to the token: without it, 60
            // concurrent creates all counted 49 live keys and 51 were made. (Replicas: see withinLimit.)
            return accounts.withAccount(caller.username(), tier, owner -> {
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                checkRoom(caller, owner, name, now);
                Secret secret = createSecret(ApiKeySecrets.build(owner, tier, caller.username(), name,
                        description(request), now, now.plus(lifetime)), owner, now);
                withinLimit(caller, owner, secret, now);
                return bindToken(secret, owner, lifetime, tier, now);
            });
        }, (outcome, scope, created) -> {
            Audit.keyCreate(outcome, caller.username(), scope.tier, scope.namespace,
                    created == null ? null : created.id(), scope.name,
                    created == null ? null : Instant.ofEpochSecond(created.expiresAt()));
            metrics.count("create", scope.tier, outcome);
        });
    }

    private static void validate(CreateApiKeyRequest request) {
        String name = request.name();
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("name: required, 1 to " + MAX_NAME + " characters (not only spaces)");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            throw ApiException.badRequest("name: at most " + MAX_NAME + " characters");
        }
        if (request.description() != null && request.description().codePointCount(0, request.description().length())
                > MAX_DESCRIPTION) {
            throw ApiException.badRequest("description: at most " + MAX_DESCRIPTION + " characters");
        }
    }

    private static String description(CreateApiKeyRequest request) {
        return request.description() == null ? "" : request.description();
    }

    /** Name unique among live keys and the per-user limit; concurrent creates can pass this together, see createSecret. */
    private void checkRoom(Caller.Person caller, ServiceAccount owner, String name, Instant now) {
        List<ApiKey> live = keys.liveOf(caller.username(), List.of(owner)).stream()
                .filter(key -> !key.expired(now)).toList();
        if (live.stream().anyMatch(key -> key.name().equals(name))) {
            throw nameInUse(name);
        }
        if (live.size() >= maxPerUser) {
            throw ApiException.conflict("you have " + live.size() + " live API keys, the most allowed is " + maxPerUser
                    + " (maas.api-keys.max-per-user): delete one with DELETE /v1/api-keys/{id} first");
        }
    }

    /**
     * Counted again once the Secret exists, straight from the API server: replicas do not share the lock of
     * {@link #create}, so two of them may both have counted room for one more. Of creates that overlap, the
     * later counter sees the other's Secret and withdraws its own (409): the limit is never exceeded, and in
     * one replica (where creates of a user run one by one) exactly reached.
     */
    private void withinLimit(Caller.Person caller, ServiceAccount owner, Secret secret, Instant now) {
        long live = keys.liveOf(caller.username(), List.of(owner)).stream()
                .filter(key -> !key.expired(now)).count();
        if (live > maxPerUser) {
            keys.deleteQuietly(secret);
            throw ApiException.conflict("you have " + maxPerUser + " live API keys, the most allowed"
                    + " (maas.api-keys.max-per-user; another create of yours took the last one): delete one with"
                    + " DELETE /v1/api-keys/{id} first");
        }
    }

    /**
     * The Secret's name derives from owner and key name, so of concurrent creates one wins and the others
     * get AlreadyExists. An existing Secret of that name that is no live key (expired, or of a deleted
     * account that the garbage collector has not removed yet) is replaced.
     */
    private Secret createSecret(Secret wanted, ServiceAccount owner, Instant now) {
        Secret created = keys.create(wanted);
        if (created != null) {
            return created;
        }
        String namespace = wanted.getMetadata().getNamespace();
        String name = wanted.getMetadata().getAnnotations().get(ApiKeySecrets.KEY_NAME);
        Secret existing = keys.get(namespace, wanted.getMetadata().getName());
        if (existing != null) {
            ApiKey old = ApiKey.of(existing).orElse(null);
            String username = wanted.getMetadata().getAnnotations().get(ManagedObjects.USERNAME);
            if (old == null || !old.username().equals(username) || !old.name().equals(name)) {
                LOG.errorf("Secret %s/%s is not the key %s of the caller (a hash collision or a manual edit): refusing"
                        + " to replace it", namespace, wanted.getMetadata().getName(), Audit.quote(name));
                throw ApiException.conflict("a Secret named like your key " + Audit.quote(name)
                        + " exists and is not that key (a manual edit?); no key was created: ask an administrator");
            }
            if (old.ownerUid().equals(owner.getMetadata().getUid()) && !old.expired(now)) {
                throw nameInUse(name); // a concurrent create of the same name won
            }
            keys.delete(existing);
        }
        created = keys.create(wanted);
        if (created == null) {
            throw nameInUse(name);
        }
        return created;
    }

    /** The token, bound to the Secret; when it cannot be issued the Secret goes too, so nothing is half-created. */
    private CreatedApiKey bindToken(Secret secret, ServiceAccount owner, Duration lifetime, String tier, Instant now) {
        try {
            // Empty: the account was deleted meanwhile by a revocation of this user's accounts (their own
            // revoke-all, an admin's) that won the race: the caller's doing or an admin's decision, not an outage;
            // retrying would only undo it.
            GrantedToken granted = accounts.boundToken(owner, lifetime, secret.getMetadata().getName(),
                    secret.getMetadata().getUid()).orElseThrow(() -> ApiException.conflict("your ServiceAccount was"
                    + " deleted while this key was being created (all your tokens and keys were revoked at the same"
                    + " time); no key was created"));
            Instant expiresAt = Instant.ofEpochSecond(granted.expiresAt());
            Instant issuedAt = granted.issuedAt() == null ? now : Instant.ofEpochSecond(granted.issuedAt());
            // The Secret was written with maas-api's clock and the lifetime asked for; the key's times are the
            // token's, by the API server's clock and grant (it may cap the lifetime): record them when they differ.
            if (!expiresAt.equals(now.plus(lifetime)) || !issuedAt.equals(now)) {
                keys.recordTimes(secret, issuedAt, expiresAt);
            }
            ApiKey key = ApiKey.of(secret).orElseThrow();
            return new CreatedApiKey(key.id(), key.name(), key.description(), granted.token(),
                    issuedAt.getEpochSecond(), expiresAt.getEpochSecond(), tier);
        } catch (RuntimeException e) {
            keys.deleteQuietly(secret);
            throw e;
        }
    }

    /** The caller's keys in every tier namespace, newest first, expired ones included. */
    List<ApiKeyInfo> list(Caller.Person caller) {
        Instant now = Instant.now();
        List<ApiKeyInfo> listed = liveKeys(caller.username()).stream().map(key -> key.info(now, false)).toList();
        metrics.count("list", null, "success");
        return listed;
    }

    ApiKeyInfo get(Caller.Person caller, String id) {
        return Operation.run(scope -> find(caller, id), (outcome, scope, key) ->
                metrics.count("get", key == null ? null : key.tier(), outcome)).info(Instant.now(), false);
    }

    /** Deletes the key's Secret, which revokes its token at the API server at once. */
    void delete(Caller.Person caller, String id) {
        Operation.run(scope -> {
            ApiKey key = find(caller, id);
            keys.delete(key);
            return key;
        }, (outcome, scope, key) -> {
            Audit.keyDelete(outcome, "user", caller.username(), key == null ? null : key.tier(),
                    key == null ? null : key.namespace(), id, key == null ? null : key.name());
            metrics.count("delete", key == null ? null : key.tier(), outcome);
        });
    }

    /** Another user's id answers exactly like an unknown one. */
    private ApiKey find(Caller.Person caller, String id) {
        return liveKeys(caller.username()).stream().filter(key -> key.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no API key with id " + abbreviate(id)
                        + " among yours; GET /v1/api-keys lists them"));
    }

    /** The user's live keys (their accounts straight from the API server: right after a create or revoke). */
    private List<ApiKey> liveKeys(String username) {
        return keys.liveOf(username, accounts.held(username));
    }

    private static ApiException nameInUse(String name) {
        return ApiException.conflict("you already have a live API key named " + abbreviate(name)
                + "; pick another name, or delete that key first");
    }

    private static String abbreviate(String text) {
        String quoted = Audit.quote(text);
        return quoted.length() > 80 ? quoted.substring(0, 80) + "...\"" : quoted;
    }
}
