package org.maas.api.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One doctor check's result: what was looked at ({@code check}, one of a fixed set of names), the verdict,
 * what was seen, and the fix in one sentence (null when nothing needs fixing).
 */
@Schema(name = "DoctorCheck", description = "One check of GET /v1/admin/doctor",
        requiredProperties = {"check", "status", "seen", "fix"})
public record Check(
        @Schema(description = "The check's name, one of a fixed set", example = "gateway.programmed") String check,
        @Schema(description = "pass, warn, fail, or unknown when what it reads did not answer in time") Status status,
        @Schema(description = "What the check saw", example = "Gateway openshift-ingress/maas-default-gateway:"
                + " Programmed=True (Programmed)") String seen,
        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(description = "What to do, in one sentence; null when the check passed", nullable = true) String fix) {

    /** Lower case on the wire and in the metric's status label. */
    @Schema(name = "DoctorStatus", description = "pass, warn, fail, or unknown (what the check reads did not answer)")
    public enum Status {
        pass, warn, fail, unknown;

        /** How bad: a run's overall status is its worst check. */
        int severity() {
            return switch (this) {
                case pass -> 0;
                case warn -> 1;
                case unknown -> 2;
                case fail -> 3;
            };
        }
    }

    static Check pass(String check, String seen) {
        return new Check(check, Status.pass, seen, null);
    }

    static Check warn(String check, String seen, String fix) {
        return new Check(check, Status.warn, seen, fix);
    }

    static Check fail(String check, String seen, String fix) {
        return new Check(check, Status.fail, seen, fix);
    }

    static Check unknown(String check, String seen, String fix) {
        return new Check(check, Status.unknown, seen, fix);
    }
}
