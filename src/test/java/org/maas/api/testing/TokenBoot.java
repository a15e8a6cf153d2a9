package org.maas.api.testing;

/**
 * The boot of TokenResourceTest, ShippedRbacTokensTest, ApiKeyResourceTest and AdminResourceTest: the same
 * ControlPlaneResource arguments (and no profile), so the four share one start.
 */
public final class TokenBoot {

    public static final String NAMESPACE = "maas-api-rbac-tokens";
    public static final String GATEWAY = "rbac-tokens-gw";

    private TokenBoot() {
    }
}
