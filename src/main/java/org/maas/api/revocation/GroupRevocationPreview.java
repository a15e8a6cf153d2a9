package org.maas.api.revocation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierIndex;
import org.maas.api.account.ManagedObjects;

/**
 * What group revocation ({@link GroupRevoker}) would revoke now, whether it is on or not, by the same rule
 * ({@link GroupRevocationRule}): read once (one list of Group objects, one list of maas-api's ServiceAccounts per
 * tier namespace), changing nothing. For the doctor.
 */
public final class GroupRevocationPreview {

    /** A ServiceAccount whose owner provably left its tier. */
    public record Stale(String namespace, String serviceAccount, String owner, String tier, String newTier) {
    }

    private GroupRevocationPreview() {
    }

    /** @throws io.fabric8.kubernetes.client.KubernetesClientException 403 without overlays/group-revocation */
    public static List<Stale> of(KubernetesClient client, TierIndex index, MaasIdentity identity) {
        Map<String, Set<String>> groupsByUser = new HashMap<>();
        Set<String> groupObjects = new HashSet<>();
        for (GenericKubernetesResource group : client.genericKubernetesResources(GroupRevoker.GROUPS).list().getItems()) {
            groupObjects.add(group.getMetadata().getName());
            for (String user : GroupRevoker.users(group)) {
                groupsByUser.computeIfAbsent(user, u -> new HashSet<>()).add(group.getMetadata().getName());
            }
        }
        List<Stale> stale = new ArrayList<>();
        for (Tier tier : index.tiers()) {
            String namespace = identity.tierNamespace(tier.name());
            for (ServiceAccount account : client.serviceAccounts().inNamespace(namespace)
                    .withLabel(ManagedObjects.MANAGED_BY, ManagedObjects.MANAGER).list().getItems()) {
                String owner = ManagedObjects.owner(account);
                if (owner == null) {
                    continue;
                }
                GroupRevocationRule.Verdict verdict = GroupRevocationRule.judge(index, tier.name(),
                        groupsByUser.getOrDefault(owner, Set.of()), groupObjects::contains);
                if (verdict.revoke()) {
                    stale.add(new Stale(namespace, account.getMetadata().getName(), owner, tier.name(), verdict.newTier()));
                }
            }
        }
        return stale;
    }
}
