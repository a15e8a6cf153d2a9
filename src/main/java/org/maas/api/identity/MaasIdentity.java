package org.maas.api.identity;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.maas.api.config.MaasConfig;

/**
 * Who a MaaS token is, in Kubernetes terms: the one place that knows how a tier and a user become a
 * namespace, a ServiceAccount, a username and groups, and which audience the gateway reviews. The
 * AuthPolicy's {@code userid} (the ServiceAccount's name) and the rate-limit counters rest on this.
 */
@Singleton
public final class MaasIdentity {

    static final String SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:";
    static final String SERVICE_ACCOUNT_GROUP_PREFIX = "system:serviceaccounts:";

    private final String tierNamespacePrefix;
    private final String audience;

    @Inject
    public MaasIdentity(MaasConfig config) {
        this(config.gateway().tierNamespacePrefix(), config.tokens().audience());
    }

    /**
     * @param tierNamespacePrefix tier namespaces are {@code <prefix><tier>}
     * @param audience            of every minted token, what the gateway's AuthPolicy reviews
     */
    public MaasIdentity(String tierNamespacePrefix, String audience) {
        this.tierNamespacePrefix = tierNamespacePrefix;
        this.audience = audience;
    }

    public String tierNamespacePrefix() {
        return tierNamespacePrefix;
    }

    /** The audience of every token maas-api mints. */
    public String audience() {
        return audience;
    }

    public String tierNamespace(String tier) {
        return tierNamespacePrefix + tier;
    }

    /** The tier whose namespace this is, if it is one. */
    public Optional<String> tierOfNamespace(String namespace) {
        return namespace.startsWith(tierNamespacePrefix) && namespace.length() > tierNamespacePrefix.length()
                ? Optional.of(namespace.substring(tierNamespacePrefix.length())) : Optional.empty();
    }

    /** The group every ServiceAccount in the tier's namespace has; it resolves to that tier. */
    public String tierGroup(String tier) {
        return SERVICE_ACCOUNT_GROUP_PREFIX + tierNamespace(tier);
    }

    /** The user's ServiceAccount name, the same in every tier namespace (so counters follow the user). */
    public String serviceAccountName(String username) {
        return ServiceAccountNames.forUser(username);
    }

    /** The Kubernetes username of the user's MaaS tokens in that tier. */
    public String serviceAccountUsername(String tier, String username) {
        return SERVICE_ACCOUNT_USER_PREFIX + tierNamespace(tier) + ":" + serviceAccountName(username);
    }

    /**
     * The subject the gateway reviews for this caller in {@code tier}: a MaaS token is its own ServiceAccount; a
     * person calling with their own cluster token is the ServiceAccount a mint would give them there.
     */
    public MaasSubject subject(Caller caller, String tier) {
        return caller instanceof Caller.MaasToken token ? new MaasSubject(token.username(), token.groups())
                : tokenSubject(tier, caller.username());
    }

    /** A MaaS token of {@code username} in {@code tier}: its ServiceAccount, with the groups every ServiceAccount there has. */
    public MaasSubject tokenSubject(String tier, String username) {
        return new MaasSubject(serviceAccountUsername(tier, username),
                List.of("system:serviceaccounts", tierGroup(tier), "system:authenticated"));
    }

    /** The gateway's {@code auth.identity.userid} for the caller: their ServiceAccount's name, the same in every tier. */
    public String userid(Caller caller) {
        return caller instanceof Caller.MaasToken token ? token.serviceAccount() : serviceAccountName(caller.username());
    }

    /** The tier of a reviewed username that is a ServiceAccount in a tier namespace, i.e. a MaaS token. */
    public Optional<String> tierOfUsername(String username) {
        if (!username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
            return Optional.empty();
        }
        String rest = username.substring(SERVICE_ACCOUNT_USER_PREFIX.length());
        int colon = rest.indexOf(':');
        return colon > 0 ? tierOfNamespace(rest.substring(0, colon)) : Optional.empty();
    }
}
