package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaasIdentityTest {

    private final MaasIdentity identity = new MaasIdentity("maas-default-gateway-tier-", "maas-default-gateway-sa");

    @Test
    void tierNamespacesAndTheirGroupsComeFromThePrefix() {
        assertEquals("maas-default-gateway-sa", identity.audience());
        assertEquals("maas-default-gateway-tier-premium", identity.tierNamespace("premium"));
        assertEquals("system:serviceaccounts:maas-default-gateway-tier-premium", identity.tierGroup("premium"));
        MaasIdentity custom = new MaasIdentity("llm-", "models");
        assertEquals("llm-free", custom.tierNamespace("free"));
        assertEquals(Optional.of("free"), custom.tierOfNamespace("llm-free"));
    }

    @Test
    void aTokensUsernameLeadsBackToItsTier() {
        String username = identity.serviceAccountUsername("premium", "Alice@Example.com");
        assertTrue(username.startsWith("system:serviceaccount:maas-default-gateway-tier-premium:alice-example-com-"),
                username);
        assertEquals(Optional.of("premium"), identity.tierOfUsername(username));
        assertEquals("system:serviceaccount:maas-default-gateway-tier-premium:" + identity.serviceAccountName(
                "Alice@Example.com"), username);
    }

    @Test
    void otherIdentitiesAreNoMaasTokens() {
        assertEquals(Optional.empty(), identity.tierOfUsername("alice"));
        assertEquals(Optional.empty(), identity.tierOfUsername("system:serviceaccount:team-a:builder"));
        assertEquals(Optional.empty(), identity.tierOfUsername("system:serviceaccount:maas-default-gateway-tier-"));
        assertEquals(Optional.empty(), identity.tierOfNamespace("maas-default-gateway-tier-"));
        assertEquals(Optional.empty(), identity.tierOfNamespace("openshift-ingress"));
    }
}
