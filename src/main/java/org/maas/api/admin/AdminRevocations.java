package org.maas.api.admin;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.maas.api.account.AccountMetrics;
import org.maas.api.account.Accounts;
import org.maas.api.account.ManagedObjects;
import org.maas.api.apikey.ApiKey;
import org.maas.api.apikey.ApiKeyInfo;
import org.maas.api.apikey.ApiKeyMetrics;
import org.maas.api.apikey.ApiKeyStore;
import org.maas.api.audit.Audit;
import org.maas.api.audit.Operation;
import org.maas.api.config.DnsNames;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.TierCatalog;

/**
 * What an admin does with their own cluster token: revoke everything a user holds (their ServiceAccount in
 * every tier namespace, and with it every token and key) and list keys. The tier namespaces concerned are
 * those of the configured tiers and those where the subject has something; the caller must be allowed to
 * delete ServiceAccounts in all of them, and is asked before anything is read.
 */
@ApplicationScoped
class AdminRevocations {

    private final Accounts accounts;
    private final ApiKeyStore keys;
    private final AdminAuthorizer authorizer;
    private final ApiKeyMetrics metrics;
    private final AccountMetrics revoked;
    private final TierCatalog tiers;
    private final MaasIdentity identity;

    AdminRevocations(Accounts accounts, ApiKeyStore keys, AdminAuthorizer authorizer, ApiKeyMetrics metrics,
                     AccountMetrics revoked, TierCatalog tiers, MaasIdentity identity) {
        this.accounts = accounts;
        this.keys = keys;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.revoked = revoked;
        this.tiers = tiers;
        this.identity = identity;
    }

    UserRevocation revoke(Caller.Person admin, String username, boolean dryRun) {
        return Operation.run(scope -> {
            // Decide first, on the configured tier namespaces alone: a refusal reads nothing and so costs the
            // same, and says the same, whether the user holds anything or not.
            Set<String> configured = authorizer.configuredNamespaces();
            authorizer.requireDeleteServiceAccounts(admin, configured);
            List<ServiceAccount> held = accounts.held(username);
            if (held.isEmpty()) {
                throw ApiException.notFound("user " + Audit.quote(username) + " holds no ServiceAccount in any tier"
                        + " namespace: nothing to revoke (user names are exact and case-sensitive)");
            }
            Set<String> elsewhere = new TreeSet<>();
            held.forEach(sa -> elsewhere.add(sa.getMetadata().getNamespace()));
            elsewhere.removeAll(configured);
            authorizer.requireAlsoWhereFound(admin, elsewhere);

            Instant now = Instant.now();
            Map<String, List<ApiKeyInfo>> keysByNamespace = keys.liveOf(username, held).stream()
                    .collect(Collectors.groupingBy(ApiKey::namespace,
                            Collectors.mapping(key -> key.info(now, false), Collectors.toList())));
            List<UserRevocation.Account> done = new ArrayList<>();
            Consumer<ServiceAccount> report = sa -> {
                String namespace = sa.getMetadata().getNamespace();
                String tier = ManagedObjects.tier(sa);
                List<ApiKeyInfo> ofAccount = keysByNamespace.getOrDefault(namespace, List.of());
                if (!dryRun) {
                    revoked.revoked(tier, "admin");
                }
                Audit.adminRevoke(dryRun ? "dry_run" : "success", admin.username(), username, tier, namespace,
                        sa.getMetadata().getName(), ofAccount.size(), dryRun);
                metrics.count("admin_revoke", tier, dryRun ? "dry_run" : "success");
                done.add(new UserRevocation.Account(tier, namespace, sa.getMetadata().getName(), ofAccount));
            };
            if (dryRun) {
                held.forEach(report);
            } else {
                accounts.delete(username, held, report);
            }
            return new UserRevocation(username, dryRun, done);
        }, (outcome, scope, result) -> {
            if (result == null) { // each account revoked was reported as it went
                Audit.adminRevoke(outcome, admin.username(), username, null, null, null, 0, dryRun);
                metrics.count("admin_revoke", null, outcome);
            }
        });
    }

    /** Keys of one user, of one tier, or all; live ones (their account exists), newest first, with their owner. */
    List<ApiKeyInfo> list(Caller.Person admin, Optional<String> user, Optional<String> tier) {
        return Operation.run(scope -> {
            tier.ifPresent(AdminRevocations::checkTierName);
            boolean knownTier = tier.map(t -> tiers.served().tiers().stream().anyMatch(c -> c.name().equals(t)))
                    .orElse(false);
            // Decide first, before any read: the given tier's namespace, else (no tier, or a typo) every configured one.
            Optional<String> tierNamespace = tier.filter(t -> knownTier).map(identity::tierNamespace);
            Set<String> configured = tierNamespace.map(ns -> (Set<String>) new TreeSet<>(Set.of(ns)))
                    .orElseGet(authorizer::configuredNamespaces);
            authorizer.requireDeleteServiceAccounts(admin, configured);
            if (tier.isPresent() && !knownTier) {
                throw ApiException.notFound("no tier named " + Audit.quote(tier.get()) + " is configured;"
                        + " GET /v1/tiers lists them");
            }
            List<ApiKey> found;
            if (user.isPresent()) {
                List<ServiceAccount> held = accounts.held(user.get());
                if (held.isEmpty()) {
                    throw ApiException.notFound("user " + Audit.quote(user.get()) + " holds no ServiceAccount in any"
                            + " tier namespace, so no API key (user names are exact and case-sensitive)");
                }
                found = keys.liveOf(user.get(), held).stream()
                        .filter(key -> tierNamespace.map(key.namespace()::equals).orElse(true)).toList();
                authorizer.requireAlsoWhereFound(admin, elsewhere(found, configured));
            } else {
                // The keys of the namespaces decided on (or all), then, once the caller may see where they are, the
                // accounts of those namespaces only: whose uids tell live keys from those of deleted accounts.
                List<Secret> secrets = tierNamespace.map(keys::listIn).orElseGet(keys::listAll);
                Set<String> where = new TreeSet<>();
                secrets.forEach(secret -> where.add(secret.getMetadata().getNamespace()));
                where.removeIf(namespace -> identity.tierOfNamespace(namespace).isEmpty());
                Set<String> elsewhere = new TreeSet<>(where);
                elsewhere.removeAll(configured);
                authorizer.requireAlsoWhereFound(admin, elsewhere);
                List<ServiceAccount> owners = new ArrayList<>();
                where.forEach(namespace -> owners.addAll(accounts.inNamespace(namespace)));
                found = keys.live(secrets, owners);
            }
            Instant now = Instant.now();
            return found.stream().map(key -> key.info(now, true)).toList();
        }, (outcome, scope, listed) -> {
            Audit.adminList(outcome, admin.username(), user.orElse(null), tier.orElse(null),
                    listed == null ? 0 : listed.size());
            metrics.count("admin_list", listed == null ? null : tier.orElse(null), outcome);
        });
    }

    private static Set<String> elsewhere(List<ApiKey> found, Set<String> configured) {
        Set<String> elsewhere = new TreeSet<>();
        found.forEach(key -> elsewhere.add(key.namespace()));
        elsewhere.removeAll(configured);
        return elsewhere;
    }

    private static void checkTierName(String tier) {
        if (!DnsNames.isLabel(tier)) {
            throw ApiException.badRequest("tier: not a tier name (a DNS-1123 label)");
        }
    }
}
