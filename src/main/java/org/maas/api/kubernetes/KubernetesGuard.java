package org.maas.api.kubernetes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.faulttolerance.api.RateLimitType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;

/**
 * Bounds the Kubernetes work of one request: one deadline for all of its API calls (reviews, reads, writes,
 * the client's retries), and shares of the replica's Kubernetes work, so that no caller can take all of it.
 *
 * <p>Shares (issue 24): a request holds nothing until its caller is known.
 * <ul>
 * <li>A bearer token the review cache has not seen is reviewed within its own share,
 * {@code max-concurrent-reviews} at once and {@code reviews-per-second} TokenReviews in any rolling second:
 * a flood of junk tokens costs the API server at most that, and never holds the share of reviewed callers.
 * Beyond it: 503 with Retry-After. Not 429: nobody is identified yet, so the refusal says that the replica
 * cannot review new tokens right now (a capacity every new caller shares), not that this caller sent too much.</li>
 * <li>A reviewed caller (cached or just reviewed) is admitted ({@link #admit}) to at most
 * {@code max-concurrent-requests-per-caller} requests at once, 429 with Retry-After beyond it (that caller
 * sent too many), and all callers together to {@code max-concurrent-requests}, 503 beyond it. A request whose
 * review is cached never waits behind unknown tokens.</li>
 * </ul>
 * No share per source address: maas-api sits behind the gateway, so the peer is the gateway for every
 * caller, and X-Forwarded-For holds whatever the client wrote to its left, with no number of trusted hops
 * that maas-api could verify; per-source limits belong in the gateway (its RateLimitPolicy), which sees the
 * client. A request without a bearer token needs no Kubernetes work at all: 401, whatever the shares hold.
 *
 * <p>Why a SmallRye Fault Tolerance guard for the deadline and not the client's settings alone: fabric8's
 * synchronous calls park the calling worker thread in {@code OperationSupport.waitForResult}, a
 * {@code CompletableFuture.get()} without a timeout, and the client's own limits cannot bound a whole request:
 * they apply per attempt, retries multiply them, and one request makes several calls (a mint: up to two
 * reviews, a list, creates, the TokenRequest). The guard's timeout interrupts the waiting thread at the
 * deadline; fabric8 turns the interrupt into an exception at once and the guard clears the flag, so the worker
 * thread is free again, whatever the failure. The HTTP exchange left behind ends on the event loop (client
 * timeouts), holding no thread. The shares answer at once beyond their limit (no queue), so requests waiting
 * on a dead API server never hold more than max-concurrent-requests plus max-concurrent-reviews of the worker
 * threads that health, metrics and the other endpoints need. No circuit breaker: it would need its own
 * recovery delay, and the deadline already bounds what an outage costs a caller.
 *
 * <p>With no API server configured at all ({@link ApiServer}: outside a cluster, no kubeconfig) the work is
 * not tried: the answer is a 503 that says so, without Retry-After, and the log names the URL once.
 */
@ApplicationScoped
public class KubernetesGuard implements WorkShares {

    private static final Logger LOG = Logger.getLogger(KubernetesGuard.class);
    /** What the request running on this thread holds; the guard's timeout runs the work on the calling thread. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();
    private static final int CALLER_RETRY_AFTER_SECONDS = 1;

    /** Work that may throw what the caller's method declares (e.g. a body that is not JSON). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final Guard deadlineGuard;
    private final Guard reviewRate;
    private final ApiServer apiServer;
    private final AtomicBoolean noApiServerLogged = new AtomicBoolean();
    private final Duration deadline;
    private final MaasConfig.Kubernetes limits;
    private final Semaphore reviewed;
    private final Semaphore unreviewed;
    /**
     * A semaphore per caller while any request of theirs holds or wants it: weak values, so a caller with
     * nothing in flight costs nothing (no permit is taken from a semaphore nobody references).
     */
    private final Cache<String, Semaphore> perCaller = Caffeine.newBuilder().weakValues().build();
    private final Counter deadlineSpent;
    private final Counter tooManyWaiting;
    private final Counter callerShareFull;
    private final Counter reviewShareFull;
    private final Counter reviewRateSpent;

    KubernetesGuard(MaasConfig config, MeterRegistry registry, KubernetesClient client) {
        this.apiServer = ApiServer.of(client.getConfiguration());
        this.limits = config.kubernetes();
        this.deadline = limits.requestDeadline();
        this.deadlineGuard = Guard.create()
                .withDescription("Kubernetes work of one request")
                .withTimeout().duration(deadline.toMillis(), ChronoUnit.MILLIS).done()
                .build();
        this.reviewRate = Guard.create()
                .withDescription("TokenReviews of bearer tokens the review cache has not seen")
                .withRateLimit().limit(limits.reviewsPerSecond()).window(1, ChronoUnit.SECONDS)
                .type(RateLimitType.ROLLING).done()
                .build();
        this.reviewed = new Semaphore(limits.maxConcurrentRequests());
        this.unreviewed = new Semaphore(limits.maxConcurrentReviews());
        MeterProvider<Counter> refused = Counter.builder("maas_kubernetes_requests_refused")
                .description("Requests refused (503, or 429 for caller_share_full) because their Kubernetes work ran"
                        + " out of time or a share of it was full")
                .withRegistry(registry);
        // every reason registered now, so that each is exposed (at 0) before its first refusal
        this.deadlineSpent = refused.withTags("reason", "deadline_spent");
        this.tooManyWaiting = refused.withTags("reason", "too_many_waiting");
        this.callerShareFull = refused.withTags("reason", "caller_share_full");
        this.reviewShareFull = refused.withTags("reason", "review_share_full");
        this.reviewRateSpent = refused.withTags("reason", "review_rate_spent");
    }

    /**
     * Runs a request's Kubernetes work within the deadline. The work authenticates its caller first, which
     * takes the shares ({@link #reviewing}, {@link #admit}); they are given back when the work ends.
     *
     * @throws ApiException 503 with Retry-After when the deadline is spent or a share is full, 429 with
     *                      Retry-After when the caller's own share is; any answer of the work itself unchanged
     */
    @SuppressWarnings("unchecked")
    public <T, E extends Exception> T call(Work<T, E> work) throws E {
        Held outer = HELD.get();
        Held held = new Held();
        HELD.set(held);
        try {
            return deadlineGuard.call((Callable<T>) work::run, (Class<T>) Object.class);
        } catch (TimeoutException e) {
            deadlineSpent.increment();
            LOG.warnf("the Kubernetes API did not complete a request's work within %s"
                    + " (maas.kubernetes.request-deadline): answered 503", deadline);
            throw KubernetesFailures.unavailable();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw (E) e;
        } finally {
            HELD.set(outer);
            held.release();
        }
    }

    /**
     * The review of a bearer token the review cache has not seen, within the share of such reviews.
     *
     * @throws ApiException 503 with Retry-After when that share is full; 503 without it when there is no API server
     */
    @Override
    public <T> T reviewing(Supplier<T> review) {
        requireApiServer();
        if (!unreviewed.tryAcquire()) {
            reviewShareFull.increment();
            LOG.debugf("%d reviews of unknown tokens already wait (maas.kubernetes.max-concurrent-reviews): answered 503",
                    limits.maxConcurrentReviews());
            throw ApiException.unavailable("maas-api is reviewing as many new tokens as it may at once; retry shortly"
                    + " (a token it has reviewed recently is not affected)", CALLER_RETRY_AFTER_SECONDS);
        }
        try {
            return review.get();
        } finally {
            unreviewed.release();
        }
    }

    /**
     * One TokenReview, within {@code reviews-per-second}.
     *
     * @throws ApiException 503 with Retry-After (when the next one may go) beyond that rate
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T tokenReview(Supplier<T> call) {
        try {
            return reviewRate.call((Callable<T>) call::get, (Class<T>) Object.class);
        } catch (RateLimitException e) {
            reviewRateSpent.increment();
            LOG.debugf("%d TokenReviews were sent in the last second (maas.kubernetes.reviews-per-second): answered 503",
                    limits.reviewsPerSecond());
            throw ApiException.unavailable("maas-api has sent as many TokenReviews as it may this second; retry"
                    + " shortly (a token it has reviewed recently is not affected)", seconds(e.getRetryAfterMillis()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // a Supplier throws nothing checked
            throw new IllegalStateException(e);
        }
    }

    /**
     * Admits the reviewed caller of the request running on this thread to its Kubernetes work: one of their own
     * {@code max-concurrent-requests-per-caller}, and one of everybody's {@code max-concurrent-requests}, held
     * until {@link #call} ends. A second admission in the same request takes nothing more.
     *
     * @throws ApiException 429 with Retry-After when the caller's own share is full, 503 with Retry-After when
     *                      the replica's is
     */
    @Override
    public void admit(String caller) {
        Held held = HELD.get();
        if (held == null) {
            throw new IllegalStateException("admit outside KubernetesGuard.call: nothing would give the share back");
        }
        if (held.admitted) {
            return;
        }
        Semaphore own = perCaller.get(caller, name -> new Semaphore(limits.maxConcurrentRequestsPerCaller()));
        if (!own.tryAcquire()) {
            callerShareFull.increment();
            throw ApiException.tooManyRequests("you already have " + limits.maxConcurrentRequestsPerCaller()
                    + " requests in progress, the most one caller may have at once"
                    + " (maas.kubernetes.max-concurrent-requests-per-caller); retry when one has been answered",
                    CALLER_RETRY_AFTER_SECONDS);
        }
        held.hold(own);
        if (!reviewed.tryAcquire()) {
            tooManyWaiting.increment();
            LOG.debugf("%d requests already wait on the Kubernetes API (maas.kubernetes.max-concurrent-requests):"
                    + " answered 503", limits.maxConcurrentRequests());
            throw KubernetesFailures.unavailable();
        }
        held.hold(reviewed);
        held.admitted = true;
    }

    private void requireApiServer() {
        if (!apiServer.configured()) {
            throw noApiServer();
        }
    }

    private static int seconds(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }

    /** The permits a request holds, given back once when its work ends. */
    private static final class Held {
        private final List<Semaphore> permits = new ArrayList<>(2);
        private boolean admitted;

        void hold(Semaphore permit) {
            permits.add(permit);
        }

        void release() {
            permits.forEach(Semaphore::release);
            permits.clear();
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
}
