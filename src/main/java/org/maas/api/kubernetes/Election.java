package org.maas.api.kubernetes;

/**
 * Joining a leader election and asking whether this replica leads: what a controller needs of
 * {@link Leadership}, so a test can decide leadership itself.
 */
public interface Election {

    /** Takes part as {@code feature}: {@code gained} and {@code lost} run whenever this replica gains or loses the lead. */
    void join(String feature, Runnable gained, Runnable lost);

    boolean isLeader();
}
