package org.maas.api.apikey;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.maas.api.testing.ApiKeys.created;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.api.testing.LogCapture;
import org.maas.api.testing.LeaderWork;
import org.maas.api.testing.TokenChecks;
import org.maas.api.testing.ApiKeys;

/**
 * The running service deletes long-expired keys on its own, once it has served a key request and leads (the
 * cleanup runs every second in this boot, GroupRevocationTest's).
 */
@QuarkusTest
@TestProfile(LeaderWork.class)
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = LeaderWork.NAMESPACE),
        @ResourceArg(name = "gateway", value = LeaderWork.GATEWAY),
        @ResourceArg(name = "overlays", value = LeaderWork.OVERLAYS)})
class ExpiredKeyCleanupTest {

    /** maas.api-keys.cleanup-grace's default. */
    private static final Duration GRACE = Duration.ofHours(24);
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String CLEANED = "maas_api_key_operations_total{operation=\"cleanup\",outcome=\"success\",tier=\"free\"}";

    @Test
    void theLeaderDeletesTheKeysExpiredLongerThanTheGraceAgoAndNoOthers() {
        String bearer = ControlPlane.shared().user(Pool.FREE).token();
        ApiKeys.Created longGone = created(bearer, "long-gone");
        ApiKeys.Created later = created(bearer, "gone-later");
        ApiKeys.Created recent = created(bearer, "recently-expired");
        ApiKeys.Created active = created(bearer, "active");
        double cleanedBefore = TokenChecks.metric(CLEANED);

        List<String> audit;
        try (LogCapture log = LogCapture.start()) {
            Instant now = Instant.now();
            ApiKeys.setExpiry(recent.id(), now.minus(GRACE).plus(Duration.ofHours(1)));
            ApiKeys.setExpiry(longGone.id(), now.minus(GRACE).minusSeconds(1));
            await("the long-expired key's Secret is deleted").atMost(WITHIN).until(() -> ApiKeys.secret(longGone.id()) == null);
            // One more deletion in a later pass: the pass that took the first one has ended by then.
            ApiKeys.setExpiry(later.id(), now.minus(Duration.ofDays(2)));
            await("a later pass deletes the next one").atMost(WITHIN).until(() -> ApiKeys.secret(later.id()) == null);
            audit = log.lines().stream().filter(l -> l.startsWith("maas.audit ")).toList();
        }
        assertNotNull(ApiKeys.secret(recent.id()), "still within the grace: listed as expired");
        assertNotNull(ApiKeys.secret(active.id()));
        ApiKeys.get(bearer, recent.id()).statusCode(200).body("status", equalTo("expired"));
        ApiKeys.get(bearer, active.id()).statusCode(200).body("status", equalTo("active"));
        assertTrue(audit.stream().anyMatch(l -> l.contains("event=api_key_delete outcome=success reason=expired")
                && l.contains("id=\"" + longGone.id() + "\"")), audit.toString());
        assertEquals(2, TokenChecks.metric(CLEANED) - cleanedBefore, CLEANED);
    }
}
