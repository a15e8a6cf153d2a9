package org.maas.api.model;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.ErrorCode;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;

/**
 * Whether a MaaS identity may use a model: the question the gateway's AuthPolicy asks before letting a
 * MaaS token through (policies/gateway-auth-policy.yaml, {@code model-access}): a SubjectAccessReview for
 * the identity's user and groups, verb {@code post} on {@code llminferenceservices.serving.kserve.io}
 * named like the model in its namespace. Never a probe of the model itself.
 *
 * <p>Decisions, allowed or denied, are cached per (identity, model) for {@code maas.models.access-cache-ttl};
 * concurrent requests for the same decision share one review. A decision read in the second half of its life is
 * reviewed again in the background while the cached one answers, so a caller who polls (a usage dashboard)
 * waits for reviews only on first use, not every TTL; a background review that fails leaves the old decision
 * to expire on schedule. Reviews run on a pool of
 * {@code maas.models.max-concurrent-reviews} threads for the whole replica, so a caller who sees a thousand
 * models cannot send a thousand reviews at once. Fail closed: a model whose review failed is left out of
 * the answer (logged once per request, counted in {@code maas_models_left_out}) and nothing is cached for
 * it; only when every review a request waited for failed because the API server is unavailable does
 * the request answer 503 (the API server is down: the list would be a guess), decisions from the cache aside.
 */
@ApplicationScoped
public class ModelAccess {

    private static final Logger LOG = Logger.getLogger(ModelAccess.class);

    /** Who asks: a MaaS token's user and groups, as the gateway's TokenReview gives them. */
    public record Identity(String username, List<String> groups) {
        public Identity {
            groups = List.copyOf(groups);
        }
    }

    /**
     * The identity the gateway reviews for this caller: a MaaS token is its own ServiceAccount; a person
     * calling with their own cluster token is asked about as the ServiceAccount a mint would give them in
     * their current tier's namespace, with the groups the API server gives every ServiceAccount there.
     */
    public static Identity identityOf(Caller caller, String tier, MaasIdentity maas) {
        if (caller instanceof Caller.MaasToken token) {
            return new Identity(token.username(), token.groups());
        }
        return new Identity(maas.serviceAccountUsername(tier, caller.username()),
                List.of("system:serviceaccounts", maas.tierGroup(tier), "system:authenticated"));
    }

    private record Key(Identity identity, String namespace, String name) {
    }

    /**
     * A review's answer, or why there is none (kept as a value: a failed future would be logged with its trace).
     * {@code reason} is the API server's own ({@code status.reason}: the RBAC authorizer names the binding that
     * allowed), empty when it gave none. {@code reviewedAt} (nanoTime) dates the answer, whichever write
     * stores it: a kept decision does not live longer for having been kept.
     */
    private record Decision(boolean allowed, String reason, ApiException failure, long reviewedAt) {
    }

    /**
     * One model's answer for GET /v1/access: {@code allowed} null when the review failed ({@code failure} says
     * why); {@code reason} is the API server's {@code status.reason}, verbatim.
     */
    public record Verdict(Model model, Boolean allowed, String reason, String failure) {
    }

    /**
     * Answers live for the TTL from their review; a failure expires at once, so only the requests waiting for it
     * share it. Caffeine's times are System.nanoTime, like {@code reviewedAt}.
     */
    private static final class DecisionExpiry implements Expiry<Key, Decision> {
        private final long ttlNanos;

        DecisionExpiry(Duration ttl) {
            this.ttlNanos = ttl.toNanos();
        }

        @Override
        public long expireAfterCreate(Key key, Decision decision, long currentTime) {
            return decision.failure() == null ? Math.max(0, decision.reviewedAt() + ttlNanos - currentTime) : 0;
        }

        @Override
        public long expireAfterUpdate(Key key, Decision decision, long currentTime, long currentDuration) {
            return expireAfterCreate(key, decision, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Decision decision, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    private final KubernetesClient client;
    private final ExecutorService reviews;
    private final AsyncLoadingCache<Key, Decision> decisions;
    private final Counter allowed;
    private final Counter denied;
    private final Counter failed;
    private final Counter leftOut;

    @Inject
    ModelAccess(KubernetesClient client, MaasConfig config, MeterRegistry registry) {
        this.client = client;
        this.reviews = Executors.newFixedThreadPool(config.models().maxConcurrentReviews(), new ReviewThreads());
        Duration ttl = config.models().accessCacheTtl();
        this.decisions = Caffeine.newBuilder()
                .expireAfter(new DecisionExpiry(ttl))
                .refreshAfterWrite(ttl.dividedBy(2))
                .maximumSize(config.models().accessCacheMaxEntries())
                .executor(reviews)
                .buildAsync(new Reviews());
        this.allowed = reviewCounter(registry, "allowed");
        this.denied = reviewCounter(registry, "denied");
        this.failed = reviewCounter(registry, "failed");
        this.leftOut = Counter.builder("maas_models_left_out")
                .description("Models left out of a GET /v1/models, /v1/usage or /v1/access answer because their access review failed (fail closed)")
                .tag("reason", "review_failed").register(registry);
    }

    private static Counter reviewCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("maas_model_access_reviews")
                .description("SubjectAccessReviews of model access (GET /v1/models, /v1/usage, /v1/access), by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /**
     * The models this identity may use, in the given order. Waits for the reviews it needs; the request's
     * deadline (KubernetesGuard) interrupts the wait.
     */
    public List<Model> visible(Identity identity, List<Model> models) {
        List<Decision> decisions = decide(identity, models, "GET /v1/models");
        List<Model> visible = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (decisions.get(i).failure() == null && decisions.get(i).allowed()) {
                visible.add(models.get(i));
            }
        }
        return visible;
    }

    /**
     * Every model's decision for this identity with the API server's reason, from the same cache and reviews
     * as {@link #visible}; a failed review is a verdict without an answer, and 503 as for {@link #visible}.
     */
    public List<Verdict> verdicts(Identity identity, List<Model> models) {
        List<Decision> decisions = decide(identity, models, "GET /v1/access");
        List<Verdict> verdicts = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            Decision decision = decisions.get(i);
            verdicts.add(decision.failure() == null
                    ? new Verdict(models.get(i), decision.allowed(), decision.reason(), null)
                    : new Verdict(models.get(i), null, null, decision.failure().getMessage()));
        }
        return verdicts;
    }

    private List<Decision> decide(Identity identity, List<Model> models, String endpoint) {
        List<CompletableFuture<Decision>> pending = new ArrayList<>(models.size());
        AtomicInteger started = new AtomicInteger(); // reviews of this request, not from the cache
        for (Model model : models) {
            pending.add(decisions.get(new Key(identity, model.namespace(), model.name()), (key, executor) -> {
                started.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> review(key), executor);
            }));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the Kubernetes API is unavailable; retry shortly",
                    KubernetesFailures.RETRY_AFTER_SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // review() answers every failure as a Decision
        }
        List<Decision> answers = new ArrayList<>(models.size());
        List<String> failedModels = new ArrayList<>();
        ApiException firstFailure = null;
        boolean allUnavailable = true;
        for (int i = 0; i < models.size(); i++) {
            Decision decision = pending.get(i).join();
            answers.add(decision);
            if (decision.failure() == null) {
                continue;
            }
            failedModels.add(models.get(i).key());
            firstFailure = firstFailure == null ? decision.failure() : firstFailure;
            allUnavailable &= decision.failure().status() == 503;
        }
        if (!failedModels.isEmpty()) {
            leftOut.increment(failedModels.size());
            if (allUnavailable && failedModels.size() >= started.get()) {
                throw ApiException.unavailable("the Kubernetes API is unavailable; retry shortly",
                        KubernetesFailures.RETRY_AFTER_SECONDS);
            }
            LOG.warnf("%s left out %d model(s) whose access review failed for %s (fail closed),"
                    + " first %s: %s", endpoint, failedModels.size(), identity.username(), failedModels.get(0),
                    firstFailure.getMessage());
        }
        return answers;
    }

    /** First reviews go through {@link #decide}, which counts them; this loader serves the background refreshes. */
    private final class Reviews implements AsyncCacheLoader<Key, Decision> {
        @Override
        public CompletableFuture<Decision> asyncLoad(Key key, Executor executor) {
            return CompletableFuture.supplyAsync(() -> review(key), executor);
        }

        /** A failed refresh keeps the old decision until its own expiry, without Caffeine's log line for a failure. */
        @Override
        public CompletableFuture<Decision> asyncReload(Key key, Decision old, Executor executor) {
            return CompletableFuture.supplyAsync(() -> {
                Decision fresh = review(key);
                return fresh.failure() == null ? fresh : old;
            }, executor);
        }
    }

    /** One SubjectAccessReview, exactly the gateway's. */
    private Decision review(Key key) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(key.identity().username()).withGroups(key.identity().groups())
                .withNewResourceAttributes().withGroup(KServe.GROUP).withResource("llminferenceservices")
                .withVerb("post").withNamespace(key.namespace()).withName(key.name()).endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer;
        try {
            answer = client.authorization().v1().subjectAccessReview().create(review);
        } catch (KubernetesClientException e) {
            failed.increment();
            return new Decision(false, null, failure(e), System.nanoTime());
        } catch (RuntimeException e) {
            failed.increment();
            return new Decision(false, null, new ApiException(ErrorCode.INTERNAL_ERROR, "SubjectAccessReview failed: " + e),
                    System.nanoTime());
        }
        boolean yes = answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                && !Boolean.TRUE.equals(answer.getStatus().getDenied());
        (yes ? allowed : denied).increment();
        String reason = answer == null || answer.getStatus() == null ? null : answer.getStatus().getReason();
        return new Decision(yes, reason == null ? "" : reason, null, System.nanoTime());
    }

    /** Logged once per request by {@link #visible}, not per review: a thousand models would be a thousand lines. */
    private static ApiException failure(KubernetesClientException e) {
        int code = e.getCode();
        String status = e.getStatus() == null || e.getStatus().getMessage() == null ? ""
                : ": " + e.getStatus().getMessage();
        if (code <= 0 || code == 429 || code >= 500) {
            return ApiException.unavailable("the Kubernetes API is unavailable (" + (code > 0 ? "HTTP " + code : "no answer")
                    + status + ")", KubernetesFailures.RETRY_AFTER_SECONDS);
        }
        return new ApiException(ErrorCode.INTERNAL_ERROR, "create subjectaccessreviews.authorization.k8s.io answered HTTP " + code + status
                + (code == 403 ? " (RBAC: grant maas-api create on subjectaccessreviews)" : ""));
    }

    @PreDestroy
    void close() {
        reviews.shutdownNow();
    }

    private static final class ReviewThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "maas-model-access-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
