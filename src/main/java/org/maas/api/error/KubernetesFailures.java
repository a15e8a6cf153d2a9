package org.maas.api.error;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import org.jboss.logging.Logger;

/**
 * Turns a failed Kubernetes API call into the answer a client gets. An API server that cannot be
 * reached, is overloaded or fails is a 503 the client may retry; a call that RBAC forbids is our
 * deployment's fault, so the client gets a 500 and the log names the permission to grant.
 */
public final class KubernetesFailures {

    private static final Logger LOG = Logger.getLogger(KubernetesFailures.class);
    public static final int RETRY_AFTER_SECONDS = 5;

    private KubernetesFailures() {
    }

    /** The one answer for a Kubernetes API that does not answer in time, is overloaded or fails: 503, retry. */
    public static ApiException unavailable() {
        return ApiException.unavailable("the Kubernetes API is unavailable; retry shortly", RETRY_AFTER_SECONDS);
    }

    /**
     * @param permission what maas-api tried, in RBAC terms, e.g. {@code create serviceaccounts/token in namespace x}
     */
    public static ApiException translate(KubernetesClientException e, String permission) {
        int code = e.getCode();
        if (interrupted(e)) { // the request's deadline was spent: KubernetesGuard answers and logs it
            return unavailable();
        }
        if (code <= 0 || code == 429 || code >= 500) { // no HTTP answer at all: -1 or 0
            LOG.warnf("Kubernetes API unavailable (%s) while trying to %s", describe(e), permission);
            return unavailable();
        }
        if (code == 403 && isAuthorizationRefusal(e)) {
            LOG.errorf("RBAC: maas-api's ServiceAccount is not allowed to %s; grant that permission (%s)",
                    permission, describe(e));
        } else if (code == 403) { // admission (a policy, a webhook, a namespace being deleted), not RBAC
            LOG.errorf("the Kubernetes API refused to %s (%s)", permission, describe(e));
        } else if (code == 401) {
            LOG.errorf("the Kubernetes API rejected maas-api's own credentials while trying to %s", permission);
        } else {
            LOG.errorf("the Kubernetes API answered %d while trying to %s (%s)", code, permission, describe(e));
        }
        return ApiException.internal();
    }

    /**
     * The authorizer's refusal reads {@code User "..." cannot <verb> resource ...}; admission refusals (a
     * ValidatingAdmissionPolicy, a webhook, a terminating namespace) are 403 Forbidden too but say otherwise.
     */
    private static boolean isAuthorizationRefusal(KubernetesClientException e) {
        String message = e.getStatus() == null ? null : e.getStatus().getMessage();
        return message == null || message.contains("\" cannot ");
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedIOException || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line: the HTTP status and the API server's own status message (for a 403, the verb, resource and
     * namespace it refused, and to whom), never the request, which may carry a token.
     */
    public static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            // An escalation refusal lists the permissions not held on lines of their own.
            return "HTTP " + e.getCode() + ": " + e.getStatus().getMessage().replaceAll("\\s*\\R\\s*", " ");
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (e.getCode() > 0 ? " HTTP " + e.getCode() : " (no answer)");
    }
}
