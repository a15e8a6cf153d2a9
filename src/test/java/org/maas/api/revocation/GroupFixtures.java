package org.maas.api.revocation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.account.ManagedObjects;

/** OpenShift Group objects ({@code user.openshift.io/v1}, cluster-scoped, a top-level {@code users} list) and managed accounts. */
final class GroupFixtures {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private GroupFixtures() {
    }

    static Resource<GenericKubernetesResource> group(KubernetesClient client, String name) {
        return client.genericKubernetesResources(GroupRevoker.GROUPS).withName(name);
    }

    /** Creates the Group with these users, or replaces its users. */
    static void setUsers(KubernetesClient client, String name, String... users) {
        Resource<GenericKubernetesResource> group = group(client, name);
        if (group.get() == null) {
            client.genericKubernetesResources(GroupRevoker.GROUPS).resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("user.openshift.io/v1").withKind("Group").withNewMetadata().withName(name)
                    .endMetadata().withAdditionalProperties(Map.of("users", List.of(users))).build()).create();
        } else {
            // A merge patch that names the list: an edit's JSON diff drops an emptied `users`, which the Group
            // schema requires (the API server answers 422).
            group.patch(PatchContext.of(PatchType.JSON_MERGE), JSON.valueToTree(Map.of("users", List.of(users))).toString());
        }
    }

    static void join(KubernetesClient client, String name, String user) {
        GenericKubernetesResource live = group(client, name).get();
        List<String> users = new ArrayList<>(live == null ? List.of() : GroupRevoker.users(live));
        if (!users.contains(user)) {
            users.add(user);
        }
        setUsers(client, name, users.toArray(String[]::new));
    }

    static void leave(KubernetesClient client, String name, String user) {
        List<String> users = new ArrayList<>(GroupRevoker.users(group(client, name).get()));
        users.remove(user);
        setUsers(client, name, users.toArray(String[]::new));
    }

    /** The account maas-api creates at a mint (ServiceAccountStore), made by hand: a leftover from an earlier tier. */
    static ServiceAccount managedAccount(KubernetesClient client, MaasIdentity identity, String tier, String user) {
        String namespace = identity.tierNamespace(tier);
        return client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withNamespace(namespace).withName(identity.serviceAccountName(user))
                .withLabels(ManagedObjects.labels(tier)).withAnnotations(Map.of(ManagedObjects.USERNAME, user))
                .endMetadata().build()).create();
    }

    static ServiceAccount account(KubernetesClient client, MaasIdentity identity, String tier, String user) {
        return client.serviceAccounts().inNamespace(identity.tierNamespace(tier))
                .withName(identity.serviceAccountName(user)).get();
    }
}
