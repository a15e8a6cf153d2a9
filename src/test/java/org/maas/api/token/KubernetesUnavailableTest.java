package org.maas.api.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.maas.api.config.MaasConfig;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaults.Fault;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.LogCapture;
import org.maas.api.testing.TimedHttp;
import org.maas.api.testing.TimedHttp.Answer;

/**
 * A kube-apiserver that fails in any way makes every request that needs it a 503 with Retry-After in the
 * JSON shape, with the client settings that ship: the real control plane behind a fault proxy (only the
 * API server URL changes). How long the answers take is bench/faults.sh's to measure; here a generous
 * HTTP timeout only catches a hang.
 */
@QuarkusTest
@TestProfile(ApiFaultsResource.SharedBoot.class)
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-faults"),
        @ResourceArg(name = "gateway", value = "faults-gw")})
class KubernetesUnavailableTest {

    private static final String LOOKUP = "{\"groups\": [\"system:authenticated\", \"premium-users\"]}";
    private static final Duration HANG = Duration.ofSeconds(90);
    private static final ControlPlane PLANE = ControlPlane.shared();

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
    void everyKubernetesBoundRequestIs503(Fault fault) throws Exception {
        String known = user(); // reviewed and minted before the outage: its review is cached
        assertEquals(201, call("POST", "v1/tokens", known).status());
        String fresh = user();
        faults.set(fault);

        // all at once, so that an API server that never answers costs the test one deadline
        CompletableFuture<Answer> post = send("POST", "v1/tokens", fresh, null);
        CompletableFuture<Answer> delete = send("DELETE", "v1/tokens", unknownToTheCache(), null);
        CompletableFuture<Answer> me = send("GET", "v1/tiers/me", unknownToTheCache(), null);
        CompletableFuture<Answer> cachedPost = send("POST", "v1/tokens", known, null);
        CompletableFuture<Answer> cachedDelete = send("DELETE", "v1/tokens", known, null);
        List<CompletableFuture<Answer>> mints = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // the known caller's requests: their share (8), no more (FairSharesTest: 429)
            mints.add(send("POST", "v1/tokens", i < 6 ? known : unknownToTheCache(), null));
        }
        Answer lookup = send("POST", "v1/tiers/lookup", null, LOOKUP).join();

        assertUnavailable(post.join());
        assertUnavailable(delete.join());
        assertUnavailable(me.join());
        assertUnavailable(cachedPost.join());
        assertUnavailable(cachedDelete.join());
        mints.forEach(mint -> assertUnavailable(mint.join()));
        assertEquals(200, lookup.status(), lookup.body());
        assertEquals(List.of(), workerThreadsWaitingOnTheApi(), "every answer was sent, so no worker may still wait");

        faults.recover();
        await().atMost(HANG).untilAsserted(() -> assertEquals(201, call("POST", "v1/tokens", fresh).status()));
        assertEquals(201, call("POST", "v1/tokens", known).status());
    }

    @Test
    void aRestartedApiServerIsPickedUpWithoutRestartingMaasApi() throws Exception {
        assertEquals(201, call("POST", "v1/tokens", user()).status());
        faults.set(Fault.REFUSED); // the API server goes away ...
        String fresh = user();
        try (LogCapture log = LogCapture.start()) {
            assertUnavailable(call("POST", "v1/tokens", fresh));
            assertEquals(List.of(), log.lines().stream().filter(line -> line.startsWith("com.github.benmanes.caffeine"))
                    .toList(), "the failed review is logged once, by maas-api, not again by the review cache");
        }
        faults.recover(); // ... and comes back on the same address
        Answer mint = call("POST", "v1/tokens", fresh);
        assertEquals(201, mint.status(), mint.body());
    }

    /**
     * 250 mints with tokens nobody has reviewed on an API server that never answers: the share of such reviews
     * waits (maas.kubernetes.max-concurrent-reviews), each holding a worker thread, the others are answered 503
     * at once; health, metrics and the endpoints that need no API server answer while those wait, and a request
     * without a token is 401.
     */
    @Test
    void waitingMintsDoNotStarveHealthMetricsAndTheTierEndpoints() throws Exception {
        faults.set(Fault.SILENT);
        List<CompletableFuture<Answer>> mints = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            mints.add(send("POST", "v1/tokens", unknownToTheCache(), null)); // each needs a review
        }
        int limit = config.kubernetes().maxConcurrentReviews();
        await("exactly the review share waits on the API, every other mint is answered").atMost(HANG)
                .untilAsserted(() -> assertEquals(limit + " waiting, " + (mints.size() - limit) + " answered",
                        workerThreadsWaitingOnTheApi().size() + " waiting, "
                                + mints.stream().filter(CompletableFuture::isDone).count() + " answered"));

        List<String> probes = List.of("GET q/health/ready", "GET q/health/live", "GET q/metrics", "GET v1/tiers",
                "POST v1/tiers/lookup", "GET v1/tiers/policies", "POST v1/tokens");
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (String probe : probes) { // sent while the others wait
            String[] methodAndPath = probe.split(" ");
            answers.add(send(methodAndPath[0], methodAndPath[1], null, probe.endsWith("lookup") ? LOOKUP : null));
        }
        for (int i = 0; i < probes.size(); i++) {
            Answer answer = answers.get(i).join();
            if (probes.get(i).equals("POST v1/tokens")) { // no Authorization: 401, whatever the shares hold
                assertEquals(401, answer.status(), answer.body());
                assertEquals("unauthorized", answer.json().path("error").asText(), answer.body());
            } else {
                assertEquals(200, answer.status(), probes.get(i) + ": " + answer.body());
            }
        }
        mints.forEach(mint -> assertUnavailable(mint.join()));
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

    /** A real user of the cluster, whose review is not cached yet. */
    private static String user() {
        return PLANE.user(Pool.FREE).token();
    }

    /** A token shaped like an OpenShift one that no cache knows: only the API server can tell what it is. */
    private static String unknownToTheCache() {
        return "sha256~" + UUID.randomUUID();
    }

    private Answer call(String method, String path, String bearer) {
        return send(method, path, bearer, null).join();
    }

    private CompletableFuture<Answer> send(String method, String path, String bearer, String body) {
        return TimedHttp.send(base.resolve(path), method, bearer, body, HANG);
    }

    private static void assertUnavailable(Answer answer) {
        assertEquals(503, answer.status(), answer.body());
        assertNotNull(answer.retryAfter(), "Retry-After");
        assertTrue(Integer.parseInt(answer.retryAfter()) > 0, answer.retryAfter());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("unavailable", answer.json().path("error").asText(), answer.body());
    }
}
