package org.maas.api.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;

/**
 * Bounds the Kubernetes work of one request: one deadline for all of its API calls (reviews, reads,
 * writes, the client's retries), and at most a fixed number of such requests at once.
 *
 * <p>Why a SmallRye Fault Tolerance guard and not the client's settings alone: fabric8's synchronous calls
 * park the calling worker thread in {@code OperationSupport.waitForResult}, a {@code CompletableFuture.get()}
 * without a timeout, and the client's own limits cannot bound a whole request: they apply per attempt,
 * retries multiply them, and one request makes several calls (a mint: up to two reviews, a list, creates,
 * the TokenRequest). The guard's timeout interrupts the waiting thread at the deadline; fabric8 turns the
 * interrupt into an exception at once and the guard clears the flag, so the worker thread is free again,
 * whatever the failure. The HTTP exchange left behind ends on the event loop (client timeouts), holding no
 * thread. The bulkhead answers 503 at once beyond its limit, so requests waiting on a dead API server never
 * hold more than that many of the worker threads that health, metrics and the other endpoints need. No
 * circuit breaker: it would need its own recovery delay, and the deadline already bounds what an outage
 * costs a caller.
 *
 * <p>With no API server configured at all ({@link ApiServer}: outside a cluster, no kubeconfig) the work is
 * not tried: the answer is a 503 that says so, without Retry-After, and the log names the URL once.
 */
@ApplicationScoped
public class KubernetesGuard {

    private static final Logger LOG = Logger.getLogger(KubernetesGuard.class);

    /** Work that may throw what the caller's method declares (e.g. a body that is not JSON). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final Guard guard;
    private final ApiServer apiServer;
    private final AtomicBoolean noApiServerLogged = new AtomicBoolean();
    private final Duration deadline;
    private final int limit;
    private final Counter deadlineSpent;
    private final Counter tooManyWaiting;

    KubernetesGuard(MaasConfig config, MeterRegistry registry, KubernetesClient client) {
        this.apiServer = ApiServer.of(client.getConfiguration());
        this.deadline = config.kubernetes().requestDeadline();
        this.limit = config.kubernetes().maxConcurrentRequests();
        this.guard = Guard.create()
                .withDescription("Kubernetes work of one request")
                .withTimeout().duration(deadline.toMillis(), ChronoUnit.MILLIS).done()
                .withBulkhead().limit(limit).done()
                .build();
        this.deadlineSpent = refused(registry, "deadline_spent");
        this.tooManyWaiting = refused(registry, "too_many_waiting");
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("maas_kubernetes_requests_refused")
                .description("Requests answered 503 because their Kubernetes work ran out of time or too many waited")
                .tag("reason", reason).register(registry);
    }

    /**
     * Runs a request's Kubernetes work within the deadline.
     *
     * @throws ApiException 503 with Retry-After when the deadline is spent or too many requests wait already;
     *                      503 without it, at once, when no API server is configured (README, "no cluster");
     *                      any answer of the work itself unchanged
     */
    @SuppressWarnings("unchecked")
    public <T, E extends Exception> T call(Work<T, E> work) throws E {
        if (!apiServer.configured()) {
            throw noApiServer();
        }
        try {
            return guard.call((Callable<T>) work::run, (Class<T>) Object.class);
        } catch (TimeoutException e) {
            deadlineSpent.increment();
            LOG.warnf("the Kubernetes API did not complete a request's work within %s"
                    + " (maas.kubernetes.request-deadline): answered 503", deadline);
            throw unavailable();
        } catch (BulkheadException e) {
            tooManyWaiting.increment();
            LOG.debugf("%d requests already wait on the Kubernetes API (maas.kubernetes.max-concurrent-requests):"
                    + " answered 503", limit);
            throw unavailable();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw (E) e;
        }
    }

    private ApiException noApiServer() {
        if (noApiServerLogged.compareAndSet(false, true)) {
            LOG.warnf("no Kubernetes API server is configured (not in a pod, no kubeconfig): requests that need one"
                    + " answer 503 at once; the client's fallback URL %s is not called. Run maas-api in a cluster, or"
                    + " give it a kubeconfig (KUBECONFIG, ~/.kube/config)", apiServer.url());
        }
        return ApiException.unavailableUntilReconfigured("maas-api has no Kubernetes API server to call (it runs"
                + " outside a cluster and found no kubeconfig), and this endpoint needs one: retrying will not help;"
                + " start maas-api in a cluster or with a kubeconfig");
    }

    private static ApiException unavailable() {
        return ApiException.unavailable("the Kubernetes API is unavailable; retry shortly",
                KubernetesFailures.RETRY_AFTER_SECONDS);
    }
}
