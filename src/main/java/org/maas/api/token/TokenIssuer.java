package org.maas.api.token;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.identity.JwtClaims;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.TierCatalog;
import org.maas.api.account.ServiceAccountStore;
import org.maas.api.account.ManagedObjects;
import org.maas.api.account.OneTierAtATime;
import org.maas.api.account.ManagedObjectCache;
import org.maas.api.account.Expiration;
import org.maas.api.audit.Audit;

/**
 * Mints a user's token in their tier's namespace and revokes all of them. The tier comes from the
 * caller's reviewed groups; each user has one ServiceAccount per tier namespace, and a token is a
 * TokenRequest for it, bound to the gateway's audience.
 */
@ApplicationScoped
public class TokenIssuer {

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class);

    private final TierCatalog tiers;
    private final ManagedObjectCache cache;
    private final ServiceAccountStore accounts;
    private final TokenMetrics metrics;
    private final Expiration expiration;
    private final MaasIdentity identity;
    private final OneTierAtATime oneTier = new OneTierAtATime();

    public TokenIssuer(TierCatalog tiers, ManagedObjectCache cache, ServiceAccountStore accounts, TokenMetrics metrics,
                MaasConfig config, MaasIdentity identity) {
        this.tiers = tiers;
        this.cache = cache;
        this.accounts = accounts;
        this.metrics = metrics;
        MaasConfig.Tokens tokens = config.tokens();
        this.expiration = new Expiration(tokens.minExpiration(), tokens.maxExpiration(), tokens.defaultExpiration());
        this.identity = identity;
    }

    public TokenResponse mint(Caller.Person caller, MintTokenRequest request) {
        long start = System.nanoTime();
        String account = identity.serviceAccountName(caller.username());
        String tier = null;
        String namespace = null;
        try {
            Duration lifetime = expiration.parse(request == null ? null : request.expiration());
            tier = tiers.match(caller.groups()).requireTier().name();
            namespace = identity.tierNamespace(tier);
            cache.start();
            TokenRequest granted;
            try (OneTierAtATime.Held held = oneTier.lock(account)) {
                leaveOtherTiers(caller, account, namespace);
                accounts.ensure(namespace, account, tier, caller.username());
                oneTier.made(account, namespace);
                granted = accounts.requestToken(namespace, account, identity.audience(), lifetime);
                if (granted == null) { // the cache still had an account someone deleted: recreate it once
                    accounts.recreate(namespace, account, tier, caller.username());
                    granted = accounts.requestToken(namespace, account, identity.audience(), lifetime);
                }
            }
            if (granted == null) {
                throw ApiException.unavailable("the ServiceAccount is being changed concurrently; retry", 1);
            }
            TokenResponse response = response(granted);
            Audit.mint("success", caller.username(), tier, namespace, account,
                    Instant.ofEpochSecond(response.expiresAt()));
            metrics.minted(tier, "success", start);
            return response;
        } catch (ApiException e) {
            String outcome = Audit.outcome(e);
            Audit.mint(outcome, caller.username(), tier, namespace, account, null);
            metrics.minted(tier == null ? "none" : tier, outcome, start);
            throw e;
        }
    }

    /**
     * The user's account in this tier namespace, made by {@code ensure} while the user's other mints, key
     * creates and revokes wait, after the accounts of other tiers are gone: so a user holds accounts in one
     * tier namespace at a time, whichever path creates one.
     */
    public ServiceAccount inOneTier(Caller.Person caller, String account, String namespace,
                             java.util.function.Supplier<ServiceAccount> ensure) {
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            leaveOtherTiers(caller, account, namespace);
            ServiceAccount made = ensure.get();
            oneTier.made(account, namespace);
            return made;
        }
    }

    /** Runs {@code work} while the user's other mints, key creates and revokes in this replica wait. */
    public <T> T alone(String account, java.util.function.Supplier<T> work) {
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            return work.get();
        }
    }

    /** Runs deletions of the user's accounts (admin revocation) while the user's mints and key creates wait. */
    public void removingAccounts(String account, Runnable delete) {
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            delete.run();
            oneTier.removed(account);
        }
    }

    /**
     * A user in a new tier loses the accounts (and so the tokens and keys) of the old one: those the cache knows,
     * and one this replica made so recently that the cache may not show it yet.
     */
    private void leaveOtherTiers(Caller.Person caller, String account, String namespace) {
        List<ServiceAccount> known = new ArrayList<>(ownAccounts(cache.serviceAccountsNamed(account), caller));
        oneTier.lastNamespace(account)
                .filter(recent -> known.stream().noneMatch(sa -> sa.getMetadata().getNamespace().equals(recent)))
                .ifPresent(recent -> known.add(new ServiceAccountBuilder().withNewMetadata().withNamespace(recent)
                        .withName(account).withLabels(ManagedObjects.labels(identity.tierOfNamespace(recent)
                                .orElse("unknown"))).endMetadata().build()));
        for (ServiceAccount old : known) {
            String oldNamespace = old.getMetadata().getNamespace();
            if (!oldNamespace.equals(namespace)) {
                accounts.delete(old);
                LOG.infof("tier change for %s: deleted ServiceAccount %s/%s of tier %s; tokens of that tier stop"
                                + " working, the new ones are in %s", Audit.quote(caller.username()), oldNamespace,
                        account, ManagedObjects.tier(old), namespace);
                Audit.revoke("tier_change", caller.username(), ManagedObjects.tier(old), oldNamespace, account);
                metrics.revoked(ManagedObjects.tier(old), "tier_change");
            }
        }
    }

    /** Deletes the caller's account in every tier namespace, which invalidates all their tokens. */
    public void revoke(Caller.Person caller) {
        String account = identity.serviceAccountName(caller.username());
        List<ServiceAccount> own;
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            own = ownAccounts(cache.listServiceAccountsNamed(account), caller);
            oneTier.removed(account);
            for (ServiceAccount old : own) {
                accounts.delete(old);
                Audit.revoke("success", caller.username(), ManagedObjects.tier(old),
                        old.getMetadata().getNamespace(), account);
                metrics.revoked(ManagedObjects.tier(old), "success");
            }
        } catch (ApiException e) {
            Audit.revoke(Audit.outcome(e), caller.username(), null, null, account);
            metrics.revoked("none", Audit.outcome(e));
            throw e;
        }
        if (own.isEmpty()) {
            Audit.revoke("nothing_to_revoke", caller.username(), null, null, account);
            metrics.revoked("none", "nothing_to_revoke");
        }
    }

    /** Accounts in tier namespaces annotated with the caller's exact username. */
    private List<ServiceAccount> ownAccounts(List<ServiceAccount> named, Caller.Person caller) {
        return named.stream()
                .filter(sa -> identity.tierOfNamespace(sa.getMetadata().getNamespace()).isPresent())
                .filter(sa -> caller.username().equals(ManagedObjects.owner(sa)))
                .toList();
    }

    /** Expiry as the API server granted it; issue time and id from the token it issued. */
    private static TokenResponse response(TokenRequest granted) {
        String token = granted.getStatus() == null ? null : granted.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            LOG.error("the API server answered a TokenRequest without a token");
            throw ApiException.internal();
        }
        JwtClaims claims = JwtClaims.peek(token).orElse(null);
        long expiresAt = expiresAt(granted, claims);
        long issuedAt = claims != null && claims.issuedAt() != null ? claims.issuedAt() : Instant.now().getEpochSecond();
        return new TokenResponse(token, Expiration.format(Duration.ofSeconds(Math.max(0, expiresAt - issuedAt))),
                expiresAt, issuedAt, claims == null ? null : claims.id());
    }

    /** When the granted token expires (Unix seconds), as the API server set it. */
    public static long expiresAt(TokenRequest granted) {
        String token = granted.getStatus() == null ? null : granted.getStatus().getToken();
        if (token == null || token.isEmpty()) {
            LOG.error("the API server answered a TokenRequest without a token");
            throw ApiException.internal();
        }
        return expiresAt(granted, JwtClaims.peek(token).orElse(null));
    }

    private static long expiresAt(TokenRequest granted, JwtClaims claims) {
        try {
            return Instant.parse(granted.getStatus().getExpirationTimestamp()).getEpochSecond();
        } catch (DateTimeParseException | NullPointerException e) {
            if (claims != null && claims.expiresAt() != null) {
                return claims.expiresAt();
            }
            LOG.error("the API server answered a TokenRequest without an expiration time");
            throw ApiException.internal();
        }
    }
}
