package org.maas.api.admin;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.TreeSet;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.Caller;

/**
 * Admin endpoints are authorized by the cluster's own RBAC: the caller must be allowed to delete
 * ServiceAccounts in every tier namespace concerned, asked as a SubjectAccessReview for the caller's
 * reviewed username and groups. No role of maas-api's own to configure. Public for the doctor
 * (org.maas.api.doctor), which admins reach under the same rule.
 */
@ApplicationScoped
public class AdminAuthorizer {

    static final String VERB = "delete";
    static final String RESOURCE = "serviceaccounts";

    private final KubernetesClient client;

    AdminAuthorizer(KubernetesClient client) {
        this.client = client;
    }

    /**
     * For the configured tier namespaces (derived from the gateway and the public tier names), asked before
     * anything is read: the answer does not depend on what exists.
     *
     * @throws ApiException 403 naming the permission and the first namespace where it is missing
     */
    public void requireDeleteServiceAccounts(Caller.Person caller, Collection<String> namespaces) {
        for (String namespace : new TreeSet<>(namespaces)) {
            if (!allowed(caller, namespace)) {
                throw ApiException.forbidden("you may not " + VERB + " " + RESOURCE + " in namespace " + namespace
                        + ", which this admin action needs (in every tier namespace concerned)");
            }
        }
    }

    /**
     * For namespaces found by reading (of tiers no longer configured, where the user still has something),
     * asked only of a caller who passed {@link #requireDeleteServiceAccounts}: the 403 names none of them.
     */
    void requireAlsoWhereFound(Caller.Person caller, Collection<String> found) {
        for (String namespace : new TreeSet<>(found)) {
            if (!allowed(caller, namespace)) {
                throw ApiException.forbidden("you may not " + VERB + " " + RESOURCE + " in every namespace where this"
                        + " admin action found something (a tier namespace of a tier no longer configured)");
            }
        }
    }

    private boolean allowed(Caller.Person caller, String namespace) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(caller.username()).withGroups(caller.groups())
                .withNewResourceAttributes().withGroup("").withResource(RESOURCE).withVerb(VERB)
                .withNamespace(namespace).endResourceAttributes().endSpec().build();
        try {
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "create subjectaccessreviews (cluster scope)");
        }
    }
}
