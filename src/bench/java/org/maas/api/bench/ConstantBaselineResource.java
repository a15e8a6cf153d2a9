package org.maas.api.bench;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.maas.api.tier.TierLookupResponse;

/**
 * Baseline for {@code make bench}: the same server, the same JSON stack and an answer of the same size
 * as a lookup, without resolving anything. Only the bench build holds it (pom.xml's {@code bench} profile
 * adds src/bench/java), so the production jar has no such endpoint.
 */
@Path("/bench/constant")
public class ConstantBaselineResource {

    private static final TierLookupResponse CONSTANT = new TierLookupResponse("premium", "Premium Tier");

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    @Operation(hidden = true)
    public TierLookupResponse constant() {
        return CONSTANT;
    }
}
