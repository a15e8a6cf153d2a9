package org.maas.api.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Interner;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.identity.MaasSubject;

/**
 * Which models a MaaS subject may use ({@link org.maas.api.identity.MaasIdentity#subject}): the question the
 * gateway's AuthPolicy asks before letting a MaaS token through, asked per model through an {@link AccessReview}:
 * the API server's SubjectAccessReview ({@link SubjectAccessReviews}) behind a cache ({@link CachedAccessReview},
 * {@code maas.models.access-cache-ttl}, at most {@code maas.models.access-cache-max-entries}). Never a probe of
 * the model itself.
 *
 * <p>Reviews run on a pool of {@code maas.models.max-concurrent-reviews} threads for the whole replica, so a
 * caller who sees a thousand models cannot send a thousand reviews at once. Fail closed: a model whose review
 * failed is left out of the answer (logged once per request, counted in {@code maas_models_left_out}); only
 * when no review the request waited for succeeded and every failure is the API server being unavailable does
 * the request answer 503 (the list would be a guess), decisions from the cache aside.
 *
 * <p>{@link #visible} remembers its last answer per subject (at most {@code maas.models.access-cache-max-entries}
 * models in all): the same list of models is answered again without asking the cache a thousand times (the
 * cost of a warm GET /v1/models) while the decisions it rests on cannot have changed: until the oldest of them
 * reaches half the TTL, when the decision cache would start refreshing it. So the answer is what the decision
 * cache would give (unless its size bound evicted a decision, which would be reviewed again), and never older
 * than the TTL.
 */
@ApplicationScoped
public class ModelAccess {

    private static final Logger LOG = Logger.getLogger(ModelAccess.class);

    /**
     * One model's answer for GET /v1/access: {@code allowed} null when the review failed ({@code failure} says
     * why); {@code reason} is the API server's {@code status.reason}, verbatim.
     */
    public record Verdict(Model model, Boolean allowed, String reason, String failure) {
    }

    /** {@code allowed} of {@code models} (the catalog's list, compared by identity), until {@code freshUntil} (nanoTime). */
    private record Visible(List<Model> models, List<Model> allowed, long freshUntil) {
    }

    private final ExecutorService pool;
    private final AccessReview reviews;
    private final Counter leftOut;
    private final long freshNanos;
    private final Cache<MaasSubject, Visible> lastVisible;
    /** Equal answers (a tier's callers granted through its group) are one list: GET /v1/models encodes it once. */
    private final Interner<List<Model>> answers = Interner.newWeakInterner();

    @Inject
    ModelAccess(KubernetesClient client, MaasConfig config, MeterRegistry registry) {
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.models().maxConcurrentReviews(), task -> {
            Thread thread = new Thread(task, "maas-model-access-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.reviews = new CachedAccessReview(new SubjectAccessReviews(client, pool, registry),
                config.models().accessCacheTtl(), config.models().accessCacheMaxEntries(), pool);
        // refreshAfterWrite of the decisions (RefreshAheadCache): no decision younger than this changes
        this.freshNanos = config.models().accessCacheTtl().dividedBy(2).toNanos();
        this.lastVisible = Caffeine.newBuilder()
                .maximumWeight(config.models().accessCacheMaxEntries())
                .weigher((MaasSubject subject, Visible visible) -> visible.allowed().size() + 1)
                .expireAfterWrite(Duration.ofNanos(freshNanos)) // no use after freshUntil, at most this after the write
                .build();
        this.leftOut = Counter.builder("maas_models_left_out")
                .description("Models left out of a GET /v1/models, /v1/usage or /v1/access answer because their access review failed (fail closed)")
                .withRegistry(registry).withTags("reason", "review_failed");
    }

    /**
     * The models this subject may use, in the given order (GET /v1/models, /v1/usage). Waits for the reviews it
     * needs; the request's deadline (KubernetesGuard) interrupts the wait.
     */
    public List<Model> visible(MaasSubject subject, List<Model> models) {
        Visible last = lastVisible.getIfPresent(subject);
        if (last != null && last.models() == models && System.nanoTime() - last.freshUntil() < 0) {
            return last.allowed();
        }
        List<AccessReview.Decision> decisions = decide(subject, models, "GET /v1/models");
        List<Model> allowed = new ArrayList<>();
        long oldest = 0;
        boolean complete = true;
        for (int i = 0; i < models.size(); i++) {
            AccessReview.Decision decision = decisions.get(i);
            complete &= !decision.failed();
            if (i == 0 || decision.reviewedAt() - oldest < 0) {
                oldest = decision.reviewedAt();
            }
            if (decision.allowed()) {
                allowed.add(models.get(i));
            }
        }
        if (!complete || models.isEmpty()) { // a failed review is asked again by the next request
            return List.copyOf(allowed);
        }
        List<Model> answer = answers.intern(List.copyOf(allowed));
        lastVisible.put(subject, new Visible(models, answer, oldest + freshNanos));
        return answer;
    }

    /**
     * Every model's verdict for this subject with the API server's reason; a failed review is a verdict without
     * an answer, and 503 as said above. {@code asker} names who asks in the log line of a failure.
     */
    public List<Verdict> verdicts(MaasSubject subject, List<Model> models, String asker) {
        List<AccessReview.Decision> decisions = decide(subject, models, asker);
        List<Verdict> verdicts = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            AccessReview.Decision decision = decisions.get(i);
            verdicts.add(decision.failed() ? new Verdict(models.get(i), null, null, decision.failure().getMessage())
                    : new Verdict(models.get(i), decision.allowed(), decision.reason(), null));
        }
        return verdicts;
    }

    /** Every model's decision, in order; the failures counted, logged, and 503 as said above. */
    private List<AccessReview.Decision> decide(MaasSubject subject, List<Model> models, String asker) {
        long start = System.nanoTime();
        List<CompletableFuture<AccessReview.Decision>> pending = new ArrayList<>(models.size());
        for (Model model : models) {
            pending.add(reviews.review(subject, model.namespace(), model.name()));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KubernetesFailures.unavailable();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // an AccessReview answers every failure as a Decision
        }
        List<AccessReview.Decision> decisions = new ArrayList<>(models.size());
        List<String> failedModels = new ArrayList<>();
        ApiException firstFailure = null;
        boolean allUnavailable = true;
        boolean reviewedNow = false; // a review this request waited for succeeded
        for (int i = 0; i < models.size(); i++) {
            AccessReview.Decision decision = pending.get(i).join();
            decisions.add(decision);
            if (!decision.failed()) {
                reviewedNow |= decision.reviewedAt() - start >= 0;
                continue;
            }
            failedModels.add(models.get(i).key());
            firstFailure = firstFailure == null ? decision.failure() : firstFailure;
            allUnavailable &= decision.failure().status() == 503;
        }
        if (!failedModels.isEmpty()) {
            leftOut.increment(failedModels.size());
            if (allUnavailable && !reviewedNow) {
                throw KubernetesFailures.unavailable();
            }
            LOG.warnf("%s left out %d model(s) whose access review failed for %s (fail closed),"
                    + " first %s: %s", asker, failedModels.size(), subject.username(), failedModels.get(0),
                    firstFailure.getMessage());
        }
        return decisions;
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }
}
