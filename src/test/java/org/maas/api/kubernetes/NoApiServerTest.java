package org.maas.api.kubernetes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.LogCapture;

/**
 * The jar outside a cluster with no kubeconfig (`java -Dmaas.tiers.source=file -jar ...`): the client has no
 * API server but fabric8's fallback, https://kubernetes.default.svc. Tier lookups work; every endpoint that
 * needs the Kubernetes API says that none is configured, without promising that a retry helps, and the log
 * names the URL once.
 */
@QuarkusTest
@TestProfile(NoApiServerTest.NoKubeconfig.class)
class NoApiServerTest {

    /** A service of its own whose client finds neither a kubeconfig nor a pod's service account, whatever the machine has. */
    public static class NoKubeconfig implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NotInAPodNoKubeconfig.class));
        }
    }

    /**
     * fabric8's own switches (read when the client is built, after this starts): no kubeconfig, no pod's
     * service account, no master URL left by another test's resource. Restored afterwards.
     */
    public static class NotInAPodNoKubeconfig implements QuarkusTestResourceLifecycleManager {
        private static final List<String> SWITCHES = List.of("kubernetes.auth.tryKubeConfig",
                "kubernetes.auth.tryServiceAccount");
        private static final String MASTER = "kubernetes.master";
        private final Map<String, String> before = new HashMap<>();

        @Override
        public Map<String, String> start() {
            for (String name : SWITCHES) {
                before.put(name, System.getProperty(name));
                System.setProperty(name, "false");
            }
            before.put(MASTER, System.getProperty(MASTER));
            System.clearProperty(MASTER);
            return Map.of();
        }

        @Override
        public void stop() {
            before.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }

    @Test
    void endpointsThatNeedTheApiSayNoneIsConfiguredAndTheLogNamesTheUrlOnce() {
        given().contentType(ContentType.JSON).body("{\"groups\": [\"premium-users\"]}").post("/v1/tiers/lookup")
                .then().statusCode(200).body("tier", equalTo("premium"));

        try (LogCapture log = LogCapture.start()) {
            for (String call : List.of("GET /v1/tiers/me", "POST /v1/tokens", "GET /v1/api-keys", "GET /v1/models",
                    "GET /v1/usage", "GET /v1/access", "GET /v1/admin/api-keys")) {
                String[] methodAndPath = call.split(" ");
                given().auth().oauth2("sha256~some-cluster-token").request(methodAndPath[0], methodAndPath[1])
                        .then().statusCode(503)
                        .header("Retry-After", nullValue())
                        .body("error", equalTo("unavailable"))
                        .body("message", equalTo("maas-api has no Kubernetes API server to call (it runs outside a"
                                + " cluster and found no kubeconfig), and this endpoint needs one: retrying will not"
                                + " help; start maas-api in a cluster or with a kubeconfig"));
            }
            assertEquals(List.of("org.maas.api.kubernetes.KubernetesGuard no Kubernetes API server is configured (not"
                            + " in a pod, no kubeconfig): requests that need one answer 503 at once; the client's fallback"
                            + " URL https://kubernetes.default.svc/ is not called. Run maas-api in a cluster, or give it"
                            + " a kubeconfig (KUBECONFIG, ~/.kube/config)"),
                    log.lines().stream().filter(line -> line.contains("Kubernetes API server")).toList());
        }
    }
}
