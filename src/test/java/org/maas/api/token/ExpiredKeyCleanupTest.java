package org.maas.api.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.token.ApiKeys.created;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;
import org.maas.api.testing.LogCapture;

/** One pass of the cleanup; scheduling it (on the leader) is not part of it. */
@QuarkusTest
@WithTestResource(KubernetesApiStubResource.class)
class ExpiredKeyCleanupTest {

    /** maas.api-keys.cleanup-grace's default. */
    private static final Duration GRACE = Duration.ofHours(24);

    @KubernetesTestServer
    KubernetesApiStub api;

    @Inject
    ExpiredKeyCleanup cleanup;

    @Test
    void onePassDeletesTheKeysExpiredLongerThanTheGraceAgo() {
        String bearer = api.addUser("cleanup-user", "system:authenticated");
        ApiKeys.Created longGone = created(bearer, "long-gone");
        ApiKeys.Created recent = created(bearer, "recently-expired");
        ApiKeys.Created active = created(bearer, "active");
        Instant now = Instant.now();
        ApiKeys.setExpiry(api, longGone.id(), now.minus(GRACE).minusSeconds(1));
        ApiKeys.setExpiry(api, recent.id(), now.minus(GRACE).plusSeconds(60));

        List<String> audit;
        try (LogCapture log = LogCapture.start()) {
            assertEquals(1, cleanup.runOnce(now));
            audit = log.lines().stream().filter(l -> l.startsWith("maas.audit ")).toList();
        }
        assertNull(ApiKeys.secret(api, longGone.id()));
        assertNotNull(ApiKeys.secret(api, recent.id()), "still within the grace: listed as expired");
        assertNotNull(ApiKeys.secret(api, active.id()));
        ApiKeys.get(bearer, recent.id()).statusCode(200).body("status", org.hamcrest.Matchers.equalTo("expired"));
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=api_key_delete outcome=success reason=expired")
                && l.contains("id=\"" + longGone.id() + "\"")), audit.toString());
        given().when().get("/q/metrics").then()
                .body(containsString("maas_api_key_operations_total{operation=\"cleanup\",outcome=\"success\",tier=\"free\"}"));

        assertEquals(0, cleanup.runOnce(now), "a second pass finds nothing more");
    }
}
