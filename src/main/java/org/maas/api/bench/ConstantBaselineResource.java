package org.maas.api.bench;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.tier.TierLookupResponse;

/**
 * Baseline for {@code make bench}: the same server, the same JSON stack and an answer of the same size
 * as a lookup, without resolving anything. Off unless {@code maas.tiers.benchmark-baseline=true}.
 */
@Path("/bench/constant")
public class ConstantBaselineResource {

    private static final TierLookupResponse CONSTANT = new TierLookupResponse("premium", "Premium Tier");

    private final boolean enabled;

    ConstantBaselineResource(MaasConfig config) {
        this.enabled = config.tiers().benchmarkBaseline();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    @Operation(hidden = true)
    public TierLookupResponse constant() {
        if (!enabled) {
            throw ApiException.notFound("no such resource");
        }
        return CONSTANT;
    }
}
