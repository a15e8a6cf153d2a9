package org.maas.api.account;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.maas.api.audit.Audit;
import org.maas.api.error.ApiException;
import org.maas.api.identity.MaasIdentity;

/**
 * The one home of "a user's ServiceAccount in a tier namespace": finding a user's accounts, making one (after the
 * accounts of the user's other tiers are gone), issuing its tokens and deleting accounts. Every path that creates
 * or deletes a user's account runs under the user's lock ({@link OneTierAtATime}), so a user holds accounts in one
 * tier namespace at a time whichever path runs; nothing else deletes a ServiceAccount.
 *
 * <p>A user's account is a ServiceAccount named {@link MaasIdentity#serviceAccountName} in a tier namespace,
 * labelled {@link ManagedObjects#labels} and annotated with the username: "the user's accounts" are those, in a
 * namespace that is a tier namespace, whose annotation is the exact username.
 */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);

    private final ServiceAccountStore store;
    private final ManagedObjectCache cache;
    private final MaasIdentity identity;
    private final AccountMetrics metrics;
    private final OneTierAtATime oneTier = new OneTierAtATime();

    @Inject
    Accounts(ServiceAccountStore store, ManagedObjectCache cache, MaasIdentity identity, AccountMetrics metrics) {
        this.store = store;
        this.cache = cache;
        this.identity = identity;
        this.metrics = metrics;
    }

    /** Without the informer caches (a test's replica): every read goes to the API server. */
    public Accounts(KubernetesClient client, MaasIdentity identity, AccountMetrics metrics) {
        this(client, new ManagedObjectCache(null), identity, metrics);
    }

    private Accounts(KubernetesClient client, ManagedObjectCache cache, MaasIdentity identity, AccountMetrics metrics) {
        this(new ServiceAccountStore(client, cache), cache, identity, metrics);
    }

    /** The tier's namespace, where its users' accounts live. */
    public String namespace(String tier) {
        return identity.tierNamespace(tier);
    }

    /**
     * A token for the user's account in the tier's namespace, bound to the gateway's audience: the account is made
     * if missing, and the user's accounts in other tiers' namespaces are deleted first.
     */
    public GrantedToken issue(String username, String tier, Duration lifetime) {
        String account = identity.serviceAccountName(username);
        String namespace = identity.tierNamespace(tier);
        cache.start();
        TokenRequest granted;
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            leaveOtherTiers(username, account, namespace);
            store.ensure(namespace, account, tier, username);
            oneTier.made(account, namespace);
            granted = store.requestToken(namespace, account, identity.audience(), lifetime);
            if (granted == null) { // the cache still had an account someone deleted: recreate it once
                store.recreate(namespace, account, tier, username);
                granted = store.requestToken(namespace, account, identity.audience(), lifetime);
            }
        }
        if (granted == null) {
            throw ApiException.unavailable("the ServiceAccount is being changed concurrently; retry", 1);
        }
        return GrantedToken.of(granted);
    }

    /**
     * Runs {@code work} with the user's account in the tier's namespace as the API server has it now (made if
     * missing, the other tiers' accounts deleted first; a current uid, which a lagging cache could get wrong),
     * while the user's other mints, key creates and revokes in this replica wait.
     */
    public <T> T withAccount(String username, String tier, Function<ServiceAccount, T> work) {
        String account = identity.serviceAccountName(username);
        String namespace = identity.tierNamespace(tier);
        cache.start();
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            leaveOtherTiers(username, account, namespace);
            ServiceAccount owner = store.current(namespace, account, tier, username);
            oneTier.made(account, namespace);
            return work.apply(owner);
        }
    }

    /**
     * A token for the account bound to a Secret as well: the API server authenticates it only while that Secret
     * exists with that uid (and the account with its own), so deleting the Secret revokes this token alone.
     *
     * @return empty when the account does not exist (any more)
     */
    public Optional<GrantedToken> boundToken(ServiceAccount account, Duration lifetime, String secretName,
                                             String secretUid) {
        return Optional.ofNullable(store.requestToken(account.getMetadata().getNamespace(),
                account.getMetadata().getName(), identity.audience(), lifetime,
                new ServiceAccountStore.BoundSecret(secretName, secretUid))).map(GrantedToken::of);
    }

    /** The user's accounts, straight from the API server: for revocation, which must not miss a new one. */
    public List<ServiceAccount> held(String username) {
        return own(store.listNamed(identity.serviceAccountName(username)), username);
    }

    /** The managed accounts of one namespace, every owner's. */
    public List<ServiceAccount> inNamespace(String namespace) {
        return store.listIn(namespace);
    }

    /** Every managed account in any namespace. */
    public List<ServiceAccount> all() {
        return store.listAll();
    }

    /** The account as the informer has it now. */
    public Optional<ServiceAccount> cached(String namespace, String name) {
        return cache.serviceAccount(namespace, name);
    }

    /** Tells {@code listener} every managed account the informer adds (on its thread), starting the informer. */
    public void whenAdded(Consumer<ServiceAccount> listener) {
        cache.whenServiceAccountAdded(listener);
        cache.start();
    }

    /**
     * Deletes every account of the user (read under the lock), which invalidates all their tokens and keys;
     * {@code deleted} hears of each one once it is gone.
     *
     * @return the accounts deleted
     */
    public List<ServiceAccount> deleteAll(String username, Consumer<ServiceAccount> deleted) {
        String account = identity.serviceAccountName(username);
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            List<ServiceAccount> own = held(username);
            oneTier.removed(account);
            for (ServiceAccount old : own) {
                store.delete(old);
                deleted.accept(old);
            }
            return own;
        }
    }

    /**
     * Deletes these accounts of the user (gone already is fine) while the user's mints and key creates wait;
     * {@code deleted} hears of each one once it is gone.
     */
    public void delete(String username, Collection<ServiceAccount> accounts, Consumer<ServiceAccount> deleted) {
        String account = identity.serviceAccountName(username);
        try (OneTierAtATime.Held held = oneTier.lock(account)) {
            for (ServiceAccount old : accounts) {
                store.delete(old);
                oneTier.removed(account, old.getMetadata().getNamespace());
                deleted.accept(old);
            }
        }
    }

    /**
     * A user in a new tier loses the accounts (and so the tokens and keys) of the old one: those the cache knows,
     * and one this replica made so recently that the cache may not show it yet.
     */
    private void leaveOtherTiers(String username, String account, String namespace) {
        List<ServiceAccount> known = new ArrayList<>(own(cache.ownedBy(username)
                .orElseGet(() -> store.listNamed(account)), username));
        oneTier.lastNamespace(account)
                .filter(recent -> known.stream().noneMatch(sa -> sa.getMetadata().getNamespace().equals(recent)))
                .ifPresent(recent -> known.add(new ServiceAccountBuilder().withNewMetadata().withNamespace(recent)
                        .withName(account).withLabels(ManagedObjects.labels(identity.tierOfNamespace(recent)
                                .orElse("unknown"))).endMetadata().build()));
        for (ServiceAccount old : known) {
            String oldNamespace = old.getMetadata().getNamespace();
            if (!oldNamespace.equals(namespace)) {
                store.delete(old);
                LOG.infof("tier change for %s: deleted ServiceAccount %s/%s of tier %s; tokens of that tier stop"
                                + " working, the new ones are in %s", Audit.quote(username), oldNamespace,
                        account, ManagedObjects.tier(old), namespace);
                Audit.revoke("tier_change", username, ManagedObjects.tier(old), oldNamespace, account);
                metrics.revoked(ManagedObjects.tier(old), "tier_change");
            }
        }
    }

    /** The user's accounts among these: their name, in a tier namespace, annotated with this exact username. */
    private List<ServiceAccount> own(List<ServiceAccount> accounts, String username) {
        String name = identity.serviceAccountName(username);
        return accounts.stream()
                .filter(sa -> name.equals(sa.getMetadata().getName()))
                .filter(sa -> identity.tierOfNamespace(sa.getMetadata().getNamespace()).isPresent())
                .filter(sa -> username.equals(ManagedObjects.owner(sa)))
                .toList();
    }
}
