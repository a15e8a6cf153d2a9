package org.maas.api.tier;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "TierLookupRequest", description = "The groups of the user, as Authorino sends them")
public record TierLookupRequest(
        @Schema(required = true, description = "Group names; the highest-level tier holding any of them wins",
                example = "[\"system:authenticated\", \"premium-users\"]")
        List<String> groups) {
}
