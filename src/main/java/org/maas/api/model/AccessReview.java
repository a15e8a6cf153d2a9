package org.maas.api.model;

import java.util.concurrent.CompletableFuture;
import org.maas.api.error.ApiException;
import org.maas.api.identity.MaasSubject;

/**
 * The gateway's question about a model (policies/gateway-auth-policy.yaml, {@code model-access}): may this
 * subject {@code post} to {@code llminferenceservices.serving.kserve.io} of that name in that namespace? Asked
 * of the API server by {@link SubjectAccessReviews}, through a cache by {@link CachedAccessReview}.
 */
interface AccessReview {

    /** The answer, or why there is none: never a failed future (a failure is a value, logged by whoever asked). */
    CompletableFuture<Decision> review(MaasSubject subject, String namespace, String name);

    /**
     * A review's answer, or why there is none. {@code reason} is the API server's own ({@code status.reason}: the
     * RBAC authorizer names the binding that allowed), empty when it gave none. {@code reviewedAt} (nanoTime)
     * dates the answer.
     */
    record Decision(boolean allowed, String reason, ApiException failure, long reviewedAt) {

        boolean failed() {
            return failure != null;
        }
    }
}
