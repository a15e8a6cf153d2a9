package org.maas.api.usage;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of GET /v1/usage. */
@Schema(name = "Usage", description = "What you used and what is left, per model you may use and per limit of your tier",
        requiredProperties = {"tier", "checkedAt", "usage"})
public record UsageReport(
        @Schema(description = "Your tier", example = "premium")
        String tier,
        @Schema(description = "When Limitador gave the oldest counters in this answer (answers"
                + " are cached for maas.usage.cache-ttl), RFC 3339", example = "2026-12-01T15:30:00Z")
        String checkedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Present, true, when Limitador did not answer for some models: those are left out",
                example = "true")
        Boolean partial,
        @Schema(description = "One entry per model and limit; empty, never null, when there is none")
        List<UsageEntry> usage) {

    public UsageReport {
        usage = List.copyOf(usage);
    }
}
