package org.maas.api.model;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.MaasSubject;

/** {@link AccessReview} by the API server: one SubjectAccessReview, exactly the gateway's, on the given pool. */
final class SubjectAccessReviews implements AccessReview {

    private final KubernetesClient client;
    private final Executor pool;
    private final MeterProvider<Counter> reviews;

    SubjectAccessReviews(KubernetesClient client, Executor pool, MeterRegistry registry) {
        this.client = client;
        this.pool = pool;
        this.reviews = Counter.builder("maas_model_access_reviews")
                .description("SubjectAccessReviews of model access (GET /v1/models, /v1/usage, /v1/access), by outcome")
                .withRegistry(registry);
        for (String outcome : new String[] {"allowed", "denied", "failed"}) {
            reviews.withTags("outcome", outcome); // registered at 0, as before the first review
        }
    }

    @Override
    public CompletableFuture<Decision> review(MaasSubject subject, String namespace, String name) {
        return CompletableFuture.supplyAsync(() -> reviewNow(subject, namespace, name), pool);
    }

    private Decision reviewNow(MaasSubject subject, String namespace, String name) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(subject.username()).withGroups(subject.groups())
                .withNewResourceAttributes().withGroup(AccessObjects.GROUP).withResource(AccessObjects.RESOURCE)
                .withVerb(AccessObjects.VERB).withNamespace(namespace).withName(name).endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer;
        try {
            answer = client.authorization().v1().subjectAccessReview().create(review);
        } catch (KubernetesClientException e) {
            count("failed");
            return new Decision(false, null, KubernetesFailures.translate(e,
                    "create subjectaccessreviews.authorization.k8s.io"), System.nanoTime());
        } catch (RuntimeException e) {
            count("failed");
            return new Decision(false, null, new ApiException(ErrorCode.INTERNAL_ERROR,
                    "SubjectAccessReview failed: " + e), System.nanoTime());
        }
        boolean yes = answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                && !Boolean.TRUE.equals(answer.getStatus().getDenied());
        count(yes ? "allowed" : "denied");
        String reason = answer == null || answer.getStatus() == null ? null : answer.getStatus().getReason();
        return new Decision(yes, reason == null ? "" : reason, null, System.nanoTime());
    }

    private void count(String outcome) {
        reviews.withTags("outcome", outcome).increment();
    }
}
