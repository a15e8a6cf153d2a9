package org.maas.api.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.maas.api.error.ApiException;

/**
 * The one owner of maas-api's informers and other long-running Kubernetes work: starts each informer on
 * first use (nothing touches the cluster until a feature asks, so the file tier source needs no cluster),
 * handles their failures the same way, reports their state for readiness, and closes everything on
 * shutdown.
 *
 * <p>Recovery is fabric8's: an informer whose list or watch fails asks {@link #retrying} and, told to
 * retry, lists again after {@code watch-reconnect-interval} doubled per failure (capped at 32 times the
 * interval) and resets that backoff once a list and watch succeed; a watch that drops is reconnected by
 * fabric8's watch manager on the same schedule, without asking (the readiness data shows it as not
 * watching). With the shipped 250ms interval an informer is back within about 8 s of the API server,
 * however long the outage (docs/performance.md). Always retrying is right for all of
 * ours: a 403 ends when someone fixes the RBAC, anything else when the API server is back, and neither
 * should need a restart of maas-api.
 */
@ApplicationScoped
public class Informers {

    private static final Logger LOG = Logger.getLogger(Informers.class);

    /**
     * What to watch. {@code permission} is the RBAC rule it needs, as a log line names it;
     * {@code gatesReadiness}: the replica is not ready until this informer has listed once.
     */
    public record Spec(String name, String permission, boolean gatesReadiness) {

        /** An informer the service cannot answer without: readiness waits for its first list. */
        public static Spec gating(String name, String permission) {
            return new Spec(name, permission, true);
        }

        /** A cache that only saves calls: reported, never makes the replica unready. */
        public static Spec reporting(String name, String permission) {
            return new Spec(name, permission, false);
        }
    }

    /** One informer's state, for the readiness data. */
    public record State(String name, boolean gatesReadiness, boolean synced, boolean watching, String lastError) {
    }

    private final Supplier<KubernetesClient> client;
    private final Map<String, Running> informers = new LinkedHashMap<>();
    private final Deque<Owned> owned = new ArrayDeque<>();
    private boolean closed;

    @Inject
    Informers(Instance<KubernetesClient> client) {
        this((Supplier<KubernetesClient>) client::get); // resolved on the first start, never before
    }

    Informers(Supplier<KubernetesClient> client) {
        this.client = client;
    }

    /**
     * Starts the informer with this spec's name unless it runs already, and returns it. {@code build}
     * gets the application's client and returns the informer with its handlers and indexers added, not
     * yet started ({@code runnableInformer}). Does not wait for the first list.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> start(
            Spec spec, Function<KubernetesClient, SharedIndexInformer<T>> build) {
        Running running = informers.get(spec.name());
        if (running != null) {
            return (SharedIndexInformer<T>) running.informer();
        }
        if (closed) {
            throw ApiException.unavailable("maas-api is shutting down", 1);
        }
        SharedIndexInformer<T> informer = build.apply(client.get());
        Running started = new Running(spec, informer);
        informer.exceptionHandler((wasStarted, error) -> started.retrying(error));
        informers.put(spec.name(), started);
        owned.push(new Owned(spec.name(), informer::close));
        informer.start();
        LOG.infof("informer %s started (%s)", spec.name(), spec.permission());
        return informer;
    }

    /** Other long-running Kubernetes work (a leader election, its thread) to close on shutdown, last in first out. */
    public synchronized void own(String name, AutoCloseable work) {
        if (closed) {
            close(new Owned(name, work));
            return;
        }
        owned.push(new Owned(name, work));
    }

    /** Every informer started so far, in start order. */
    public synchronized List<State> states() {
        List<State> states = new ArrayList<>();
        for (Running running : informers.values()) {
            states.add(running.state());
        }
        return states;
    }

    void shutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    @PreDestroy
    synchronized void closeAll() {
        closed = true;
        while (!owned.isEmpty()) {
            close(owned.pop());
        }
    }

    private static void close(Owned work) {
        try {
            work.closeable().close();
        } catch (Exception e) {
            LOG.warnf("closing %s failed: %s", work.name(), e.toString());
        }
    }

    private record Owned(String name, AutoCloseable closeable) {
    }

    private static final class Running {

        private static final long OUTAGE_GAP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

        private final Spec spec;
        private final SharedIndexInformer<?> informer;
        private volatile String lastError;
        /** When the last failure was seen (nanoTime), 0 before the first: one WARN per outage, not per retry. */
        private volatile long lastFailure;

        Running(Spec spec, SharedIndexInformer<?> informer) {
            this.spec = spec;
            this.informer = informer;
        }

        SharedIndexInformer<?> informer() {
            return informer;
        }

        /** fabric8's exception handler: true means list again after its backoff. */
        boolean retrying(Throwable error) {
            KubernetesClientException failure = kubernetesFailure(error);
            if (failure != null && failure.getCode() == 403) {
                lastError = "HTTP 403: not allowed to " + spec.permission();
                LOG.errorf("RBAC: maas-api's ServiceAccount is not allowed to %s; informer %s retries until it is",
                        spec.permission(), spec.name());
            } else {
                lastError = describe(failure == null ? error : failure);
                long now = System.nanoTime();
                // fabric8 retries at most 8 s apart (watch-reconnect-interval 250ms, doubled up to 32 times): a
                // failure within OUTAGE_GAP of the last one is the same outage, logged at DEBUG with its trace.
                // fabric8 tells only failures, not recoveries, so the gap is what ends an outage.
                if (lastFailure == 0 || now - lastFailure > OUTAGE_GAP_NANOS) {
                    LOG.warnf("informer %s (%s) failed: %s; retrying (repeats at DEBUG until it recovers)",
                            spec.name(), spec.permission(), lastError);
                } else {
                    LOG.debugf(error, "informer %s (%s) failed again: %s", spec.name(), spec.permission(), lastError);
                }
                lastFailure = now;
            }
            return true;
        }

        /** fabric8 hands over its failures wrapped in CompletionExceptions. */
        private static KubernetesClientException kubernetesFailure(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof KubernetesClientException k) {
                    return k;
                }
            }
            return null;
        }

        /** One short line: the HTTP status and the server's message, or what broke the connection. */
        private static String describe(Throwable error) {
            if (error instanceof KubernetesClientException k && k.getCode() > 0) {
                String message = k.getStatus() == null ? null : k.getStatus().getMessage();
                return "HTTP " + k.getCode() + (message == null ? "" : ": " + message);
            }
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.toString();
        }

        State state() {
            boolean watching = informer.isWatching();
            return new State(spec.name(), spec.gatesReadiness(), informer.hasSynced(), watching,
                    watching ? null : lastError);
        }
    }
}
