package org.maas.api.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.maas.api.config.MaasConfig;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaults.Fault;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.LogCapture;
import org.maas.api.testing.TimedHttp;
import org.maas.api.testing.TimedHttp.Answer;

/**
 * An API server that fails in any way is a 503 with Retry-After in the JSON shape, within
 * {@code maas.kubernetes.request-deadline}, with the client settings that ship (the test changes only the API
 * server URL, to a fault proxy in front of the stub). Answer times are printed; the only timed assertion is
 * a generous bound that proves nothing hangs.
 */
@QuarkusTest
@WithTestResource(ApiFaultsResource.class)
class KubernetesUnavailableTest {

    private static final String LOOKUP = "{\"groups\": [\"system:authenticated\", \"premium-users\"]}";
    private static final AtomicInteger USERS = new AtomicInteger();

    @KubernetesTestServer
    KubernetesApiStub api;

    @KubernetesTestServer
    ApiFaults faults;

    @Inject
    MaasConfig config;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void recover() throws IOException {
        faults.recover();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyKubernetesBoundRequestIs503WithinTheDeadline(Fault fault) throws Exception {
        String known = user(); // reviewed and minted before the outage: its review is cached
        assertEquals(201, call("POST", "v1/tokens", known).status());
        String fresh = user();
        faults.set(fault);
        long attempts = faults.failedRequests();

        // all at once, so that an API server that never answers costs the test one deadline
        CompletableFuture<Answer> post = send("POST", "v1/tokens", fresh, null);
        CompletableFuture<Answer> delete = send("DELETE", "v1/tokens", user(), null);
        CompletableFuture<Answer> me = send("GET", "v1/tiers/me", user(), null);
        CompletableFuture<Answer> cachedPost = send("POST", "v1/tokens", known, null);
        CompletableFuture<Answer> cachedDelete = send("DELETE", "v1/tokens", known, null);
        List<CompletableFuture<Answer>> mints = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            mints.add(send("POST", "v1/tokens", i % 2 == 0 ? user() : known, null));
        }
        Answer lookup = send("POST", "v1/tiers/lookup", null, LOOKUP).join();
        if (fault == Fault.SILENT || fault == Fault.SLOW_BODY) { // the probe below sees parked workers
            await().atMost(config.kubernetes().requestDeadline()).until(() -> !workerThreadsWaitingOnTheApi().isEmpty());
        }

        expect503(fault, "POST /v1/tokens (review)", post.join());
        expect503(fault, "DELETE /v1/tokens (review)", delete.join());
        expect503(fault, "GET /v1/tiers/me (review)", me.join());
        expect503(fault, "POST /v1/tokens (cached review)", cachedPost.join());
        expect503(fault, "DELETE /v1/tokens (cached review)", cachedDelete.join());
        Duration slowest = Duration.ZERO;
        for (CompletableFuture<Answer> mint : mints) {
            Answer answer = mint.join();
            assertUnavailable(answer);
            slowest = answer.took().compareTo(slowest) > 0 ? answer.took() : slowest;
        }
        System.out.printf("fault %s: 30 concurrent mints all answered 503, slowest in %.2f s; lookup %d in %s;"
                + " %d attempts answered with an error status%n", fault, slowest.toNanos() / 1e9, lookup.status(),
                lookup.seconds(), faults.failedRequests() - attempts);
        assertEquals(200, lookup.status(), lookup.body());
        assertEquals(List.of(), workerThreadsWaitingOnTheApi(), "every answer was sent, so no worker may still wait");

        faults.recover();
        await().atMost(doesNotHang()).untilAsserted(() -> assertEquals(201, call("POST", "v1/tokens", fresh).status()));
        assertEquals(201, call("POST", "v1/tokens", known).status());
    }

    @Test
    void aRestartedApiServerIsPickedUpWithoutRestartingMaasApi() throws Exception {
        assertEquals(201, call("POST", "v1/tokens", user()).status());
        faults.set(Fault.REFUSED); // the API server goes away ...
        String fresh = user();
        try (LogCapture log = LogCapture.start()) {
            expect503(Fault.REFUSED, "POST /v1/tokens while the API server is down", call("POST", "v1/tokens", fresh));
            assertEquals(List.of(), log.lines().stream().filter(line -> line.startsWith("com.github.benmanes.caffeine"))
                    .toList(), "the failed review is logged once, by maas-api, not again by the review cache");
        }
        faults.recover(); // ... and comes back on the same address
        Answer mint = call("POST", "v1/tokens", fresh);
        System.out.printf("restarted API server: a fresh bearer's mint answered %d in %s%n", mint.status(), mint.seconds());
        assertEquals(201, mint.status(), mint.body());
    }

    /** 250 mints waiting on an API server that never answers hold at most the guard's limit of worker threads. */
    @Test
    void waitingMintsDoNotStarveHealthMetricsAndTheTierEndpoints() throws Exception {
        faults.set(Fault.SILENT);
        List<CompletableFuture<Answer>> mints = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            // half of them unknown to the API server, shaped like real (OpenShift) tokens: each needs a review
            mints.add(send("POST", "v1/tokens", i % 2 == 0 ? user() : "sha256~" + UUID.randomUUID(), null));
        }
        await().atMost(doesNotHang()).until(() -> mints.stream().filter(CompletableFuture::isDone).count() > 0);
        long waiting = mints.stream().filter(m -> !m.isDone()).count();

        List<String> probes = List.of("GET q/health/ready", "GET q/health/live", "GET q/metrics", "GET v1/tiers",
                "POST v1/tiers/lookup", "GET v1/tiers/policies", "POST v1/tokens");
        for (String probe : probes) {
            String[] methodAndPath = probe.split(" ");
            Answer answer = send(methodAndPath[0], methodAndPath[1], null,
                    probe.endsWith("lookup") ? LOOKUP : null).join();
            long stillWaiting = mints.stream().filter(m -> !m.isDone()).count();
            System.out.printf("%d mints waiting on a silent API server: %s (no Authorization) answered %d in %s,"
                    + " %d mints still waiting%n", waiting, probe, answer.status(), answer.seconds(), stillWaiting);
            if (probe.startsWith("POST v1/tokens")) {
                assertTrue(answer.status() == 401 || answer.status() == 503, answer.body());
                assertNotNull(answer.json().get("error"), answer.body());
            } else {
                assertEquals(200, answer.status(), probe + ": " + answer.body());
            }
            // Answered before the waiting mints' deadline: they did not hold the threads this needed.
            assertTrue(answer.took().compareTo(config.kubernetes().requestDeadline()) < 0,
                    probe + " took " + answer.seconds());
        }
        Duration slowest = Duration.ZERO;
        for (CompletableFuture<Answer> mint : mints) {
            Answer answer = mint.join();
            assertUnavailable(answer);
            slowest = answer.took().compareTo(slowest) > 0 ? answer.took() : slowest;
        }
        System.out.printf("250 mints against a silent API server: all answered 503, slowest in %.2f s%n",
                slowest.toNanos() / 1e9);
        assertEquals(List.of(), workerThreadsWaitingOnTheApi(), "every answer was sent, so no worker may still wait");
    }

    /** Worker threads parked in fabric8's blocking wait for an API answer (this test runs in the service's JVM). */
    private static List<String> workerThreadsWaitingOnTheApi() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().startsWith("executor-thread"))
                .filter(thread -> Arrays.stream(thread.getValue()).anyMatch(frame -> frame.getMethodName().equals("waitForResult")))
                .map(thread -> thread.getKey().getName())
                .toList();
    }

    private String user() {
        return api.addUser("user-" + USERS.incrementAndGet(), "system:authenticated");
    }

    private Answer call(String method, String path, String bearer) {
        return send(method, path, bearer, null).join();
    }

    private CompletableFuture<Answer> send(String method, String path, String bearer, String body) {
        return TimedHttp.send(base.resolve(path), method, bearer, body, doesNotHang());
    }

    private void expect503(Fault fault, String what, Answer answer) {
        System.out.printf("fault %s: %s answered %d in %s%n", fault, what, answer.status(), answer.seconds());
        assertUnavailable(answer);
    }

    private void assertUnavailable(Answer answer) {
        assertEquals(503, answer.status(), answer.body());
        assertNotNull(answer.retryAfter(), "Retry-After");
        assertTrue(Integer.parseInt(answer.retryAfter()) > 0, answer.retryAfter());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("unavailable", answer.json().path("error").asText(), answer.body());
        assertTrue(answer.took().compareTo(doesNotHang()) < 0, "took " + answer.seconds());
    }

    /** Twice the deadline and 2 s: generous for a busy machine, far below what a hang would take. */
    private Duration doesNotHang() {
        return config.kubernetes().requestDeadline().multipliedBy(2).plusSeconds(2);
    }
}
