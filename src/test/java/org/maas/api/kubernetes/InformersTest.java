package org.maas.api.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maas.api.error.ApiException;
import org.maas.api.testing.ControlPlane;

/**
 * The owner's lifecycle on the real control plane, as maas-api's own ServiceAccount with the shipped RBAC
 * (which allows the one tier ConfigMap by name): lazy, once per name, reported, closed in reverse order.
 */
class InformersTest {

    private static final String NAMESPACE = "maas-api-informers";
    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        ControlPlane plane = ControlPlane.shared();
        client = plane.clientAs(plane.maasApi(NAMESPACE), NAMESPACE);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Test
    void nothingTouchesTheClusterUntilTheFirstStart() {
        AtomicInteger resolved = new AtomicInteger();
        Informers informers = new Informers(() -> {
            resolved.incrementAndGet();
            return client;
        });
        informers.own("work", () -> { });
        assertEquals(List.of(), informers.states());
        assertEquals(0, resolved.get());
        informers.start(Informers.Spec.reporting("configmaps", "list/watch configmaps"), this::configMaps);
        assertEquals(1, resolved.get());
        informers.closeAll();
    }

    @Test
    void aNameStartsOnceAndItsStateIsReported() {
        Informers informers = new Informers(() -> client);
        AtomicInteger built = new AtomicInteger();
        SharedIndexInformer<ConfigMap> first = informers.start(Informers.Spec.gating("configmaps", "list/watch configmaps"),
                c -> { built.incrementAndGet(); return configMaps(c); });
        SharedIndexInformer<ConfigMap> second = informers.start(Informers.Spec.gating("configmaps", "list/watch configmaps"),
                c -> { built.incrementAndGet(); return configMaps(c); });
        assertSame(first, second);
        assertEquals(1, built.get());
        await().atMost(Duration.ofSeconds(60)).until(() -> informers.states().get(0).watching());
        Informers.State state = informers.states().get(0);
        assertEquals(new Informers.State("configmaps", true, true, true, null), state);
        informers.closeAll();
    }

    @Test
    void shutdownClosesEverythingLastInFirstOutAndRefusesNewStarts() {
        Informers informers = new Informers(() -> client);
        List<String> closed = new ArrayList<>();
        informers.own("first", () -> closed.add("first"));
        SharedIndexInformer<ConfigMap> informer =
                informers.start(Informers.Spec.reporting("configmaps", "list/watch configmaps"), this::configMaps);
        informers.own("last", () -> closed.add("last"));

        informers.closeAll();

        assertEquals(List.of("last", "first"), closed);
        assertTrue(informer.stopped().toCompletableFuture().isDone());
        assertFalse(informer.isRunning());
        ApiException refused = assertThrows(ApiException.class, () -> informers.start(
                Informers.Spec.reporting("late", "list/watch configmaps"), this::configMaps));
        assertEquals(503, refused.status());
        informers.own("after shutdown", () -> closed.add("after shutdown")); // closed at once
        assertEquals(List.of("last", "first", "after shutdown"), closed);
        assertFalse(informer.isWatching());
    }

    @Test
    void onlyAGatingInformerThatNeverListedMakesTheReplicaUnready() {
        // A closed loopback port: every list is refused, so nothing ever syncs.
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
            Informers informers = new Informers(() -> unreachable);
            InformersHealthCheck check = new InformersHealthCheck(informers);
            informers.start(Informers.Spec.reporting("cache", "list/watch configmaps"), this::configMaps);
            await().atMost(Duration.ofSeconds(60)).until(() -> informers.states().get(0).lastError() != null);
            HealthCheckResponse withCache = check.call();
            assertEquals(HealthCheckResponse.Status.UP, withCache.getStatus());
            assertEquals(false, withCache.getData().orElseThrow().get("cache.synced"));

            informers.start(Informers.Spec.gating("tier-config-map", "list/watch configmaps"), this::configMaps);
            assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
            informers.closeAll();
        }
    }

    private SharedIndexInformer<ConfigMap> configMaps(KubernetesClient c) {
        return c.configMaps().inNamespace(NAMESPACE).withName("tier-to-group-mapping").runnableInformer(0);
    }
}
