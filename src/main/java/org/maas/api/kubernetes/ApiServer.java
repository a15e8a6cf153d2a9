package org.maas.api.kubernetes;

import io.fabric8.kubernetes.client.Config;

/**
 * The Kubernetes API server maas-api's client calls, and whether one is configured at all. Not in a pod and
 * without a kubeconfig, fabric8 falls back to {@value Config#DEFAULT_MASTER_URL}, a name that resolves only
 * inside a cluster (where the client uses the pod's KUBERNETES_SERVICE_HOST instead): every call would fail,
 * after its retries, however often a client retried.
 */
record ApiServer(String url, boolean configured) {

    static ApiServer of(Config config) {
        String url = config.getMasterUrl();
        boolean fallback = url == null || url.replaceAll("/+$", "").equals(Config.DEFAULT_MASTER_URL);
        return new ApiServer(url, !fallback);
    }
}
