package org.maas.api.admin;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.Caller;

/** The review asked of the API server: a SubjectAccessReview for the caller's reviewed username and groups. */
final class SubjectAccessAdminReview implements AdminReview {

    static final String VERB = "delete";
    static final String RESOURCE = "serviceaccounts";

    private final KubernetesClient client;

    SubjectAccessAdminReview(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean allowed(Caller.Person caller, String namespace) {
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
