package org.maas.api.doctor;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;
import org.maas.api.kubernetes.KubernetesGuard;

/**
 * Runs every group of checks at once, each bounded: its Kubernetes calls through {@link KubernetesGuard} (the
 * request deadline and the bulkhead every endpoint shares), and the whole group by {@code maas.doctor.check-deadline},
 * past which its thread is interrupted and its checks are reported {@code unknown}. A failing dependency therefore
 * costs a run at most the deadline and never an error. The gauge {@code maas_doctor_check{check,status}} is 1 for
 * each check's latest status and 0 for the others; its labels come only from the groups' fixed names.
 */
final class Doctor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Doctor.class);

    /** What a group throws when its dependency did not answer: the message is the reason shown. */
    static final class Unanswered extends RuntimeException {
        Unanswered(String message) {
            super(message);
        }
    }

    /** A run: the worst status and every check in the groups' order. */
    record Report(Check.Status status, List<Check> checks) {
    }

    private final List<CheckGroup> groups;
    private final KubernetesGuard kubernetes;
    private final Duration deadline;
    private final ExecutorService threads;
    private final Map<String, Map<Check.Status, AtomicInteger>> gauge = new LinkedHashMap<>();

    Doctor(List<CheckGroup> groups, KubernetesGuard kubernetes, Duration deadline, MeterRegistry registry) {
        this.groups = List.copyOf(groups);
        this.kubernetes = kubernetes;
        this.deadline = deadline;
        AtomicInteger count = new AtomicInteger();
        // One thread per group and a few runs at once; more runs queue, and their deadline still holds.
        this.threads = Executors.newFixedThreadPool(groups.size() * 2, task -> {
            Thread thread = new Thread(task, "maas-doctor-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (CheckGroup group : groups) {
            for (String check : group.checks()) {
                Map<Check.Status, AtomicInteger> values = new LinkedHashMap<>();
                for (Check.Status status : Check.Status.values()) {
                    AtomicInteger value = new AtomicInteger();
                    values.put(status, value);
                    Gauge.builder("maas_doctor_check", value, AtomicInteger::get).tag("check", check)
                            .tag("status", status.name())
                            .description("1 when the check had this status at the latest GET /v1/admin/doctor")
                            .register(registry);
                }
                gauge.put(check, values);
            }
        }
    }

    /** Every check's names, in report order. */
    List<String> checks() {
        return groups.stream().flatMap(g -> g.checks().stream()).toList();
    }

    Report run() {
        long until = System.nanoTime() + deadline.toNanos();
        List<Future<List<Check>>> running = new ArrayList<>();
        for (CheckGroup group : groups) {
            try {
                running.add(threads.submit(() -> kubernetes.call(group::run)));
            } catch (RejectedExecutionException e) {
                running.add(null);
            }
        }
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            checks.addAll(outcome(groups.get(i), running.get(i), until));
        }
        update(checks);
        Check.Status worst = checks.stream().map(Check::status).max(Comparator.comparingInt(Check.Status::severity))
                .orElse(Check.Status.pass);
        return new Report(worst, checks);
    }

    private List<Check> outcome(CheckGroup group, Future<List<Check>> future, long until) {
        if (future == null) {
            return unknown(group, "not run: maas-api is shutting down");
        }
        try {
            List<Check> checks = future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (checks.size() != group.checks().size()) {
                throw new IllegalStateException(group.getClass().getSimpleName() + " reported " + checks.size()
                        + " checks, not " + group.checks().size());
            }
            return checks;
        } catch (TimeoutException e) {
            future.cancel(true); // interrupts its blocking call: fabric8 and the JDK HTTP client give up at once
            return unknown(group, "no answer within " + deadline.toMillis() + " ms (maas.doctor.check-deadline)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return unknown(group, "interrupted");
        } catch (ExecutionException e) {
            return unknown(group, reason(e.getCause()));
        } catch (RuntimeException e) {
            return unknown(group, reason(e));
        }
    }

    private static String reason(Throwable cause) {
        if (cause instanceof ApiException || cause instanceof Unanswered) {
            return cause.getMessage();
        }
        if (cause instanceof KubernetesClientException k8s) {
            return k8s.getCode() == 403 ? "maas-api may not read it (403): " + k8s.getStatus().getMessage()
                    : "the Kubernetes API answered " + (k8s.getCode() == 0 ? "nothing" : "HTTP " + k8s.getCode()) + ": "
                    + (k8s.getStatus() != null && k8s.getStatus().getMessage() != null ? k8s.getStatus().getMessage()
                    : k8s.getMessage());
        }
        LOG.warnf(cause, "a doctor check failed unexpectedly");
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static List<Check> unknown(CheckGroup group, String why) {
        String seen = group.reads() + ": " + why;
        return group.checks().stream().map(check -> Check.unknown(check, seen, "run the doctor again once "
                + "that answers; if it stays unknown, check maas-api's log and permissions (check permissions.*)"))
                .toList();
    }

    private void update(List<Check> checks) {
        for (Check check : checks) {
            gauge.get(check.check()).forEach((status, value) -> value.set(status == check.status() ? 1 : 0));
        }
    }

    @PreDestroy
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
