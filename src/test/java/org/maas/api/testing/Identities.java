package org.maas.api.testing;

import org.maas.api.identity.MaasIdentity;

/** MaaS identities as MaasConfig's defaults derive them from a gateway's name. */
public final class Identities {

    private Identities() {
    }

    public static MaasIdentity forGateway(String gatewayName) {
        return new MaasIdentity(gatewayName + "-tier-", gatewayName + "-sa");
    }
}
