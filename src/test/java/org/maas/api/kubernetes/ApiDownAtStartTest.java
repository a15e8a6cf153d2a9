package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.maas.api.kubernetes.ApiOutageRecoveryTest.GENEROUS;
import static org.maas.api.kubernetes.ApiOutageRecoveryTest.lookup;
import static org.maas.api.kubernetes.ApiOutageRecoveryTest.millisSince;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;

/**
 * The API server is unreachable for maas-api from before start-up, then its RBAC forbids the ConfigMap
 * read: the service lives but is not ready, readiness and the log say why, and it becomes ready by itself
 * soon after both are fixed. The measured time is printed.
 */
@QuarkusTest
@TestProfile(ApiOutageRecoveryTest.ConfigMapSource.class)
@WithTestResource(ApiDownAtStartTest.DownFromTheStart.class)
class ApiDownAtStartTest {

    /**
     * The tier ConfigMap exists, but maas-api cannot reach the API server when it starts; behind the
     * outage its RBAC is missing the ConfigMap read.
     */
    public static class DownFromTheStart extends KubernetesApiStubResource {
        static volatile long downSince;

        @Override
        protected void initServer() {
            super.initServer();
            ApiOutageRecoveryTest.writeTiers(server, ApiOutageRecoveryTest.TIERS);
            server.forbid("GET", "/api/v1/namespaces/maas/configmaps");
            server.partition(503);
            downSince = System.nanoTime();
        }
    }

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void becomesReadySoonAfterTheApiIsBack() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kubernetes-informers' }.status", equalTo("DOWN"));
        await().atMost(GENEROUS).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'kubernetes-informers' }.data.'tier-config-map.lastError'",
                        equalTo("HTTP 503: the server is currently unable to handle the request")));
        lookup("premium-users").statusCode(503).body("message", equalTo("no valid tier config has been loaded yet"));

        api.partition(0); // reachable now, but the list is forbidden: the log and readiness name the permission
        try (LogCapture log = LogCapture.start()) {
            await().atMost(GENEROUS).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'kubernetes-informers' }.data.'tier-config-map.lastError'",
                            equalTo("HTTP 403: not allowed to list/watch configmaps in namespace maas (name tier-to-group-mapping)")));
            await().atMost(GENEROUS).until(() -> log.lines().stream().anyMatch(line -> line.contains(
                    "RBAC: maas-api's ServiceAccount is not allowed to list/watch configmaps in namespace maas")));
        }

        long downMs = millisSince(DownFromTheStart.downSince);
        api.recover();
        long back = System.nanoTime();
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        System.out.printf("API unreachable for the first %d ms (start-up included): ready %d ms after it was back%n",
                downMs, millisSince(back));
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
    }
}
