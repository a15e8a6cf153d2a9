package org.maas.api.doctor;

import java.util.List;

/**
 * Checks that read the same things, run together under one deadline: when what they read does not answer,
 * each of {@link #checks} is reported {@code unknown} with the reason.
 */
interface CheckGroup {

    /** The names of the checks this group reports, fixed (they label the maas_doctor_check metric). */
    List<String> checks();

    /** What the group reads, for the unknown verdict ("... did not answer"). */
    String reads();

    /** One result per name of {@link #checks}, in that order. May block; runs within its deadline. */
    List<Check> run();
}
