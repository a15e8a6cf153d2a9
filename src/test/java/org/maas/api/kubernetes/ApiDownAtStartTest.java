package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.maas.api.kubernetes.ApiOutageRecoveryTest.GENEROUS;
import static org.maas.api.kubernetes.ApiOutageRecoveryTest.lookup;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ApiFaults;
import org.maas.api.testing.ApiFaultsResource;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.LogCapture;

/**
 * The kube-apiserver answers maas-api 503 from before start-up (the fault proxy), then its RBAC forbids the
 * tier ConfigMap read: the service lives but is not ready, readiness and the log say why, and it becomes
 * ready by itself once both are fixed. A boot of its own: what differs is the start.
 */
@QuarkusTest
@WithTestResource(value = ApiFaultsResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = ApiDownAtStartTest.NAMESPACE),
        @ResourceArg(name = "gateway", value = "down-at-start-gw"),
        @ResourceArg(name = "fault", value = "UNAVAILABLE_503")})
class ApiDownAtStartTest {

    static final String NAMESPACE = "maas-api-down-at-start";
    private static final ControlPlane PLANE = ControlPlane.shared();

    ApiFaults faults;

    @Test
    void becomesReadyOnceTheApiIsBackAndTheReadIsGranted() throws Exception {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'tier-config' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kubernetes-informers' }.status", equalTo("DOWN"));
        await().atMost(GENEROUS).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'kubernetes-informers' }.data.'tier-config-map.lastError'",
                        equalTo("HTTP 503: the server is currently unable to handle the request")));
        lookup("premium-users").statusCode(503).body("message", equalTo("no valid tier config has been loaded yet"));

        // Reachable now, but the shipped binding that grants the read is gone: the log and readiness name the permission.
        var bindings = PLANE.admin().rbac().roleBindings().inNamespace(NAMESPACE);
        RoleBinding grant = bindings.withName("maas-api-tier-config").get();
        bindings.withName("maas-api-tier-config").delete();
        try (LogCapture log = LogCapture.start()) {
            faults.recover();
            await().atMost(GENEROUS).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'kubernetes-informers' }.data.'tier-config-map.lastError'",
                            equalTo("HTTP 403: not allowed to list/watch configmaps in namespace " + NAMESPACE
                                    + " (name tier-to-group-mapping)")));
            await().atMost(GENEROUS).until(() -> log.lines().stream().anyMatch(line -> line.contains(
                    "RBAC: maas-api's ServiceAccount is not allowed to list/watch configmaps in namespace " + NAMESPACE)));
        }

        grant.getMetadata().setResourceVersion(null);
        grant.getMetadata().setUid(null);
        bindings.resource(grant).create();
        await().atMost(GENEROUS).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        lookup("premium-users").statusCode(200).body("tier", equalTo("premium"));
    }
}
