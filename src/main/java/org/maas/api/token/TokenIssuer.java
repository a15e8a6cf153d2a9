package org.maas.api.token;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.maas.api.account.AccountMetrics;
import org.maas.api.account.Accounts;
import org.maas.api.account.Expiration;
import org.maas.api.account.GrantedToken;
import org.maas.api.account.ManagedObjects;
import org.maas.api.audit.Audit;
import org.maas.api.audit.Operation;
import org.maas.api.config.MaasConfig;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.TierCatalog;

/**
 * Mints a user's token in their tier's namespace and revokes all of them. The tier comes from the caller's
 * reviewed groups; the account and its TokenRequest are {@link Accounts}'.
 */
@ApplicationScoped
class TokenIssuer {

    private final TierCatalog tiers;
    private final Accounts accounts;
    private final TokenMetrics metrics;
    private final AccountMetrics revoked;
    private final Expiration expiration;
    private final MaasIdentity identity;

    TokenIssuer(TierCatalog tiers, Accounts accounts, TokenMetrics metrics, AccountMetrics revoked, MaasConfig config,
                MaasIdentity identity) {
        this.tiers = tiers;
        this.accounts = accounts;
        this.metrics = metrics;
        this.revoked = revoked;
        MaasConfig.Tokens tokens = config.tokens();
        this.expiration = new Expiration(tokens.minExpiration(), tokens.maxExpiration(), tokens.defaultExpiration());
        this.identity = identity;
    }

    TokenResponse mint(Caller.Person caller, MintTokenRequest request) {
        long start = System.nanoTime();
        String account = identity.serviceAccountName(caller.username());
        return Operation.run(scope -> {
            Duration lifetime = expiration.parse(request == null ? null : request.expiration());
            scope.tier = tiers.tierOf(caller).name();
            scope.namespace = identity.tierNamespace(scope.tier);
            return response(accounts.issue(caller.username(), scope.tier, lifetime));
        }, (outcome, scope, response) -> {
            Audit.mint(outcome, caller.username(), scope.tier, scope.namespace, account,
                    response == null ? null : Instant.ofEpochSecond(response.expiresAt()));
            metrics.minted(scope.tier == null ? "none" : scope.tier, outcome, start);
        });
    }

    /** Deletes the caller's account in every tier namespace, which invalidates all their tokens. */
    void revoke(Caller.Person caller) {
        String account = identity.serviceAccountName(caller.username());
        Operation.run(scope -> accounts.deleteAll(caller.username(), old -> {
            Audit.revoke("success", caller.username(), ManagedObjects.tier(old), old.getMetadata().getNamespace(),
                    account);
            revoked.revoked(ManagedObjects.tier(old), "success");
        }), (outcome, scope, deleted) -> {
            if (deleted == null || deleted.isEmpty()) {
                String tag = deleted == null ? outcome : "nothing_to_revoke";
                Audit.revoke(tag, caller.username(), null, null, account);
                revoked.revoked("none", tag);
            }
        });
    }

    /** Expiry as the API server granted it; issue time and id from the token it issued. */
    private static TokenResponse response(GrantedToken granted) {
        long issuedAt = granted.issuedAt() != null ? granted.issuedAt() : Instant.now().getEpochSecond();
        return new TokenResponse(granted.token(), Expiration.format(Duration.ofSeconds(Math.max(0,
                granted.expiresAt() - issuedAt))), granted.expiresAt(), issuedAt, granted.jti());
    }
}
