package org.maas.api.openapi;

import static org.maas.api.openapi.GeneratedClients.bearer;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.maas.api.testing.ControlPlane;
import org.maas.api.testing.ControlPlane.Pool;
import org.maas.api.testing.ControlPlaneResource;
import org.maas.client.model.TierLookupRequest;

/**
 * The generated client before any tier config has loaded: the application of ConfigMapTierSourceBeforeConfigTest
 * (the same annotations, one boot), which starts before its tier ConfigMap exists and is never given a valid one.
 */
@QuarkusTest
@WithTestResource(value = ControlPlaneResource.class, initArgs = {
        @ResourceArg(name = "namespace", value = "maas-api-tier-before-config"),
        @ResourceArg(name = "gateway", value = "tier-before-config-gw"),
        @ResourceArg(name = "tier-config", value = "absent")})
class GeneratedClientBeforeTierConfigTest {

    @TestHTTPResource("/")
    URI root;

    private GeneratedClients client;

    @BeforeEach
    void freshClient() {
        client = new GeneratedClients(root);
    }

    @AfterEach
    void contractKept(TestInfo test) {
        client.verify(test.getTestMethod().orElseThrow());
    }

    @Test
    @Answers({"listTiers 503", "lookupTier 503", "getTierPolicies 503", "getMyTier 503", "mintToken 503"})
    void theTierOperationsAnswer503WithRetryAfter() throws Exception {
        String user = ControlPlane.shared().user(Pool.FREE).token();
        client.assertUnavailable(() -> client.tiers().listTiers());
        client.assertUnavailable(() -> client.tiers().lookupTier(new TierLookupRequest()
                .groups(List.of("premium-users"))));
        client.assertUnavailable(() -> client.tiers().getTierPolicies());
        client.assertUnavailable(() -> client.tiers().getMyTier(bearer(user)));
        client.assertUnavailable(() -> client.tokens().mintToken(null, bearer(user)));
    }
}
