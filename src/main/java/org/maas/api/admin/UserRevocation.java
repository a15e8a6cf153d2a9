package org.maas.api.admin;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.maas.api.apikey.ApiKeyInfo;

@Schema(name = "UserRevocation", description = "What an admin revocation revoked, or would revoke (dryRun)")
public record UserRevocation(
        @Schema(required = true, example = "alice")
        String user,
        @Schema(required = true, description = "true: nothing was changed")
        boolean dryRun,
        @Schema(required = true, description = "The user's ServiceAccounts (one per tier namespace), each with its keys;"
                + " deleting one invalidates every token and key of it")
        List<Account> accounts) {

    @Schema(name = "RevokedAccount")
    public record Account(
            @Schema(required = true, example = "free") String tier,
            @Schema(required = true, example = "maas-default-gateway-tier-free") String namespace,
            @Schema(required = true, example = "alice-0v4c3k2m9q1s7t5u8e6r") String serviceAccount,
            @Schema(required = true) List<ApiKeyInfo> apiKeys) {
    }
}
