package org.maas.api.admin;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierCatalog;
import org.maas.api.account.ServiceAccountStore;
import org.maas.api.account.ManagedObjects;
import org.maas.api.account.ManagedObjectCache;
import org.maas.api.apikey.ApiKeyMetrics;
import org.maas.api.apikey.ApiKeyInfo;
import org.maas.api.apikey.ApiKeyService;
import org.maas.api.apikey.ApiKeyStore;
import org.maas.api.apikey.ApiKey;
import org.maas.api.audit.Audit;
import org.maas.api.token.TokenMetrics;
import org.maas.api.token.TokenIssuer;

/**
 * What an admin does with their own cluster token: revoke everything a user holds (their ServiceAccount in
 * every tier namespace, and with it every token and key) and list keys. The tier namespaces concerned are
 * those of the configured tiers and those where the subject has something; the caller must be allowed to
 * delete ServiceAccounts in all of them.
 */
@ApplicationScoped
class AdminRevocations {

    private final ManagedObjectCache cache;
    private final ServiceAccountStore accounts;
    private final ApiKeyStore keys;
    private final ApiKeyService apiKeys;
    private final AdminAuthorizer authorizer;
    private final ApiKeyMetrics metrics;
    private final TokenMetrics tokenMetrics;
    private final TierCatalog tiers;
    private final MaasIdentity identity;
    private final TokenIssuer issuer;

    AdminRevocations(ManagedObjectCache cache, ServiceAccountStore accounts, ApiKeyStore keys, ApiKeyService apiKeys,
                     AdminAuthorizer authorizer, ApiKeyMetrics metrics, TokenMetrics tokenMetrics, TierCatalog tiers,
                     MaasIdentity identity, TokenIssuer issuer) {
        this.issuer = issuer;
        this.cache = cache;
        this.accounts = accounts;
        this.keys = keys;
        this.apiKeys = apiKeys;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.tokenMetrics = tokenMetrics;
        this.tiers = tiers;
        this.identity = identity;
    }

    UserRevocation revoke(Caller.Person admin, String username, boolean dryRun) {
        try {
            // Decide first, on the configured tier namespaces alone: a refusal reads nothing and so costs the
            // same, and says the same, whether the user holds anything or not.
            Set<String> configured = configuredNamespaces();
            authorizer.requireDeleteServiceAccounts(admin, configured);
            List<ServiceAccount> held = cache.listServiceAccountsNamed(identity.serviceAccountName(username)).stream()
                    .filter(sa -> identity.tierOfNamespace(sa.getMetadata().getNamespace()).isPresent())
                    .filter(sa -> username.equals(ManagedObjects.owner(sa))).toList();
            if (held.isEmpty()) {
                throw ApiException.notFound("user " + Audit.quote(username) + " holds no ServiceAccount in any tier"
                        + " namespace: nothing to revoke (user names are exact and case-sensitive)");
            }
            Set<String> elsewhere = new TreeSet<>();
            held.forEach(sa -> elsewhere.add(sa.getMetadata().getNamespace()));
            elsewhere.removeAll(configured);
            authorizer.requireAlsoWhereFound(admin, elsewhere);

            Instant now = Instant.now();
            Map<String, List<ApiKeyInfo>> keysByNamespace = apiKeys.liveKeys(username).stream()
                    .collect(Collectors.groupingBy(ApiKey::namespace,
                            Collectors.mapping(key -> key.info(now, false), Collectors.toList())));
            List<UserRevocation.Account> revoked = new ArrayList<>();
            issuer.removingAccounts(identity.serviceAccountName(username), () -> held.forEach(sa -> {
                String namespace = sa.getMetadata().getNamespace();
                String tier = ManagedObjects.tier(sa);
                List<ApiKeyInfo> ofAccount = keysByNamespace.getOrDefault(namespace, List.of());
                if (!dryRun) {
                    accounts.delete(sa);
                    tokenMetrics.revoked(tier, "admin");
                }
                Audit.adminRevoke(dryRun ? "dry_run" : "success", admin.username(), username, tier, namespace,
                        sa.getMetadata().getName(), ofAccount.size(), dryRun);
                metrics.count("admin_revoke", tier, dryRun ? "dry_run" : "success");
                revoked.add(new UserRevocation.Account(tier, namespace, sa.getMetadata().getName(), ofAccount));
            }));
            return new UserRevocation(username, dryRun, revoked);
        } catch (ApiException e) {
            Audit.adminRevoke(Audit.outcome(e), admin.username(), username, null, null, null, 0, dryRun);
            metrics.count("admin_revoke", null, Audit.outcome(e));
            throw e;
        }
    }

    /** Keys of one user, of one tier, or all; live ones (their account exists), newest first, with their owner. */
    List<ApiKeyInfo> list(Caller.Person admin, Optional<String> user, Optional<String> tier) {
        try {
            tier.ifPresent(AdminRevocations::checkTierName);
            boolean knownTier = tier.map(t -> tiers.served().tiers().stream().anyMatch(c -> c.name().equals(t)))
                    .orElse(false);
            // Decide first, before any read: the given tier's namespace, else (no tier, or a typo) every configured one.
            Set<String> configured = knownTier ? new TreeSet<>(Set.of(identity.tierNamespace(tier.get())))
                    : configuredNamespaces();
            authorizer.requireDeleteServiceAccounts(admin, configured);
            if (tier.isPresent() && !knownTier) {
                throw ApiException.notFound("no tier named " + Audit.quote(tier.get()) + " is configured;"
                        + " GET /v1/tiers lists them");
            }
            Map<String, String> accountUids = new HashMap<>();
            for (ServiceAccount sa : user.map(u -> cache.listServiceAccountsNamed(identity.serviceAccountName(u)))
                    .orElseGet(keys::listAccounts)) {
                if (user.map(u -> u.equals(ManagedObjects.owner(sa))).orElse(true)) {
                    accountUids.put(sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(),
                            sa.getMetadata().getUid());
                }
            }
            if (user.isPresent() && accountUids.keySet().stream()
                    .noneMatch(at -> identity.tierOfNamespace(at.substring(0, at.indexOf('/'))).isPresent())) {
                throw ApiException.notFound("user " + Audit.quote(user.get()) + " holds no ServiceAccount in any"
                        + " tier namespace, so no API key (user names are exact and case-sensitive)");
            }
            List<Secret> secrets = user.map(u -> keys.listOwned(identity.serviceAccountName(u))).orElseGet(keys::listAll);
            Instant now = Instant.now();
            List<ApiKey> found = secrets.stream().map(ApiKey::of).flatMap(Optional::stream)
                    .filter(key -> identity.tierOfNamespace(key.namespace()).isPresent())
                    .filter(key -> user.map(key.username()::equals).orElse(true))
                    .filter(key -> tier.map(t -> identity.tierNamespace(t).equals(key.namespace())).orElse(true))
                    .filter(key -> key.ownerUid() != null && key.ownerUid().equals(accountUids.get(
                            key.namespace() + "/" + identity.serviceAccountName(key.username()))))
                    .sorted(ApiKeyService.NEWEST_FIRST).toList();
            Set<String> elsewhere = new TreeSet<>();
            found.forEach(key -> elsewhere.add(key.namespace()));
            elsewhere.removeAll(configured);
            authorizer.requireAlsoWhereFound(admin, elsewhere);
            Audit.adminList("success", admin.username(), user.orElse(null), tier.orElse(null), found.size());
            metrics.count("admin_list", tier.orElse(null), "success");
            return found.stream().map(key -> key.info(now, true)).toList();
        } catch (ApiException e) {
            Audit.adminList(Audit.outcome(e), admin.username(), user.orElse(null), tier.orElse(null), 0);
            metrics.count("admin_list", null, Audit.outcome(e));
            throw e;
        }
    }

    private Set<String> configuredNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        for (Tier tier : tiers.served().tiers()) {
            namespaces.add(identity.tierNamespace(tier.name()));
        }
        return namespaces;
    }

    private static void checkTierName(String tier) {
        if (!tier.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw ApiException.badRequest("tier: not a tier name (a DNS-1123 label)");
        }
    }
}
