package org.maas.api.kubernetes;

import java.util.function.Supplier;

/**
 * The shares of Kubernetes work that authenticating a caller takes ({@link KubernetesGuard} holds them): a
 * review of a token not seen before, one TokenReview, and the reviewed caller's own share of the request.
 */
public interface WorkShares {

    <T> T reviewing(Supplier<T> review);

    <T> T tokenReview(Supplier<T> call);

    void admit(String caller);
}
