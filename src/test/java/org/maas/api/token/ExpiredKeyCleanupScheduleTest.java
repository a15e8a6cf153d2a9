package org.maas.api.token;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.maas.api.token.ApiKeys.created;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.KubernetesApiStub;
import org.maas.api.testing.KubernetesApiStubResource;

/** The running service deletes long-expired keys on its own, once it has served a key request and leads. */
@QuarkusTest
@TestProfile(ExpiredKeyCleanupScheduleTest.EverySecond.class)
@WithTestResource(KubernetesApiStubResource.class)
class ExpiredKeyCleanupScheduleTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("maas.api-keys.cleanup-interval", "1s");
        }
    }

    @KubernetesTestServer
    KubernetesApiStub api;

    @Test
    void theLeaderDeletesAKeyExpiredLongerThanTheGraceAgo() {
        String bearer = api.addUser("scheduled-cleanup-user", "system:authenticated");
        ApiKeys.Created keep = created(bearer, "still-good");
        ApiKeys.Created gone = created(bearer, "long-gone");
        ApiKeys.setExpiry(api, gone.id(), Instant.now().minus(Duration.ofDays(2))); // grace: 24h
        await("the expired key's Secret is deleted").atMost(Duration.ofSeconds(60))
                .until(() -> ApiKeys.secret(api, gone.id()) == null);
        assertNotNull(ApiKeys.secret(api, keep.id()), "a live key stays");
    }
}
