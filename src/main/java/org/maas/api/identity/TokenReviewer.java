package org.maas.api.identity;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.maas.api.error.KubernetesFailures;

/** Asks the API server who a token belongs to. */
@ApplicationScoped
class TokenReviewer {

    private final KubernetesClient client;

    TokenReviewer(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param audiences the token must be meant for one of these; empty means the API server's own
     * @return the caller, or empty when the API server does not authenticate the token
     */
    Optional<ReviewedUser> review(String token, List<String> audiences) {
        TokenReview review = new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences(audiences.isEmpty() ? null : audiences).endSpec()
                .build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(review);
        } catch (KubernetesClientException e) {
            throw KubernetesFailures.translate(e, "create tokenreviews.authentication.k8s.io (cluster scope)");
        }
        TokenReviewStatus status = answer == null ? null : answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null || status.getUser().getUsername().isEmpty()) {
            return Optional.empty();
        }
        List<String> groups = status.getUser().getGroups() == null ? List.of() : status.getUser().getGroups();
        return Optional.of(new ReviewedUser(status.getUser().getUsername(), groups));
    }
}
