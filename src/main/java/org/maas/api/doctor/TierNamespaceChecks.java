package org.maas.api.doctor;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.function.Supplier;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.TierIndex;
import org.maas.api.revocation.GroupRevocationPreview;
import org.maas.api.revocation.GroupRevocationPreview;

/**
 * ServiceAccounts in the tier namespaces whose owners no longer map to that tier: what group revocation would
 * revoke now ({@link GroupRevocationPreview}), even while it is off. Their tokens and keys still carry the old
 * tier at the gateway until they expire or are revoked.
 */
final class TierNamespaceChecks implements CheckGroup {

    static final String STALE = "tier-namespaces.stale-accounts";
    private static final int NAMED = 5;

    private final KubernetesClient client;
    private final Supplier<TierIndex> tiers;
    private final MaasIdentity identity;
    private final boolean revocationOn;

    TierNamespaceChecks(KubernetesClient client, Supplier<TierIndex> tiers, MaasIdentity identity,
                        boolean revocationOn) {
        this.client = client;
        this.tiers = tiers;
        this.identity = identity;
        this.revocationOn = revocationOn;
    }

    @Override
    public List<String> checks() {
        return List.of(STALE);
    }

    @Override
    public String reads() {
        return "OpenShift Groups and maas-api's ServiceAccounts in the tier namespaces";
    }

    @Override
    public List<Check> run() {
        List<GroupRevocationPreview.Stale> stale;
        try {
            stale = GroupRevocationPreview.of(client, tiers.get(), identity);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return List.of(Check.unknown(STALE, "maas-api may not list Groups (user.openshift.io), so who left a"
                        + " tier cannot be seen", "apply overlays/group-revocation (it grants list and watch on"
                        + " groups; maas.revocation.on-group-change may stay off)"));
            }
            if (e.getCode() == 404) {
                return List.of(Check.warn(STALE, "the API server serves no OpenShift Groups (user.openshift.io):"
                        + " tier membership cannot be seen, so no account can be proven stale", "none on a cluster"
                        + " without OpenShift Groups; revoke a user who left with DELETE /v1/admin/users/{user}/tokens"));
            }
            throw e;
        }
        if (stale.isEmpty()) {
            return List.of(Check.pass(STALE, "no ServiceAccount in a tier namespace belongs to a user who left its"
                    + " tier (as far as Group objects show)"));
        }
        String named = String.join("; ", stale.subList(0, Math.min(NAMED, stale.size())).stream()
                .map(s -> s.namespace() + "/" + s.serviceAccount() + " of " + s.owner() + " (tier " + s.tier()
                        + ", now " + s.newTier() + ")").toList())
                + (stale.size() > NAMED ? "; and " + (stale.size() - NAMED) + " more" : "");
        return List.of(Check.warn(STALE, stale.size() + " ServiceAccounts belong to users in none of their tier's"
                + " Groups; their tokens and keys keep the old tier until they expire: " + named, revocationOn
                ? "group revocation is on and will revoke them at its next pass; check its log if they stay"
                : "revoke them with DELETE /v1/admin/users/{user}/tokens, or turn on"
                + " maas.revocation.on-group-change (overlays/group-revocation)"));
    }
}
