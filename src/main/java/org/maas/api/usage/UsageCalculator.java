package org.maas.api.usage;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.error.KubernetesFailures;
import org.maas.api.model.Model;
import org.maas.api.policy.PolicyRenderer;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierLimits;

/**
 * The caller's usage: for each model they may use and each limit of their tier, the caller's counter in
 * the model route's Limitador namespace, matched by the limit's name (PolicyRenderer) and the userid the
 * gateway counts by. Waits at most {@code maas.usage.limitador-timeout} for all routes together; a route
 * whose counters did not come in time, or failed, is left out and the answer is marked partial. Only when
 * no route answered at all is it 503 with Retry-After.
 */
@ApplicationScoped
public class UsageCalculator {

    private static final Logger LOG = Logger.getLogger(UsageCalculator.class);

    private final LimitadorClient limitador;

    UsageCalculator(LimitadorClient limitador) {
        this.limitador = limitador;
    }

    public UsageReport report(Tier tier, String userid, List<Model> models) {
        Map<String, CompletableFuture<RouteCounters>> reads = new LinkedHashMap<>();
        for (Model model : models) {
            reads.computeIfAbsent(model.route(), limitador::counters);
        }
        awaitAll(reads.values(), limitador.timeout());
        Instant now = Instant.now();
        Instant oldest = now;
        List<UsageEntry> usage = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String firstFailure = null;
        for (Model model : models) {
            CompletableFuture<RouteCounters> read = reads.get(model.route());
            RouteCounters counters = read.isDone() && !read.isCompletedExceptionally() ? read.join() : null;
            if (counters == null) {
                missing.add(model.route());
                firstFailure = firstFailure != null ? firstFailure : failure(read);
                continue;
            }
            oldest = counters.fetchedAt().isBefore(oldest) ? counters.fetchedAt() : oldest;
            long age = Duration.between(counters.fetchedAt(), now).toSeconds();
            add(usage, model, tier, PolicyRenderer.REQUESTS, tier.limits().requests(), userid, counters, age);
            add(usage, model, tier, PolicyRenderer.TOKENS, tier.limits().tokens(), userid, counters, age);
        }
        if (!missing.isEmpty()) {
            LOG.warnf("GET /v1/usage: Limitador gave no counters for %d of %d model route(s), first %s: %s",
                    missing.size(), models.size(), missing.get(0), firstFailure);
            if (missing.size() == models.size()) {
                throw ApiException.unavailable("the rate limiter (Limitador) did not answer; retry shortly",
                        KubernetesFailures.RETRY_AFTER_SECONDS);
            }
        }
        return new UsageReport(tier.name(), oldest.toString(), missing.isEmpty() ? null : Boolean.TRUE, usage);
    }

    private static void add(List<UsageEntry> usage, Model model, Tier tier, String kind, List<TierLimits.Rate> rates,
                            String userid, RouteCounters counters, long age) {
        for (TierLimits.Rate rate : rates) {
            String name = PolicyRenderer.limitName(tier.name(), kind, rate.window());
            LimitadorCounter counter = counters.find(userid, name);
            if (counter == null) {
                usage.add(new UsageEntry(model.id(), name, kind, rate.window(), rate.limit(), 0, rate.limit(), null));
            } else {
                Long resets = counter.expiresInSeconds() == null ? null : Math.max(0, counter.expiresInSeconds() - age);
                usage.add(new UsageEntry(model.id(), name, kind, rate.window(), rate.limit(), counter.used(rate.limit()),
                        counter.left(rate.limit()), resets));
            }
        }
    }

    private static void awaitAll(java.util.Collection<CompletableFuture<RouteCounters>> reads, Duration timeout) {
        try {
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the reads still running are reported missing; they fill the cache when they end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the rate limiter (Limitador) did not answer; retry shortly",
                    KubernetesFailures.RETRY_AFTER_SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // allOf(...).exceptionally(...) does not fail
        }
    }

    private static String failure(CompletableFuture<RouteCounters> read) {
        if (!read.isDone()) {
            return "no answer within maas.usage.limitador-timeout";
        }
        try {
            read.join();
            return "none";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause.getMessage();
        }
    }
}
