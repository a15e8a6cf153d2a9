package org.maas.api.tier;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.maas.api.http.StrictUtf8;

@Schema(name = "TierLookupRequest", description = "The groups of the user, as Authorino sends them",
        additionalProperties = Schema.False.class)
public record TierLookupRequest(
        // The bounds are in META-INF/openapi.yaml (GroupNames); a test keeps them equal to the configured ones.
        @Schema(required = true, ref = "GroupNames",
                description = "Group names; the highest-level tier holding any of them wins")
        List<String> groups) implements StrictUtf8.CheckedByItsReader {
}
