package org.maas.api.usage;

import java.time.Instant;
import java.util.List;

/** All live counters of one model route (a Limitador namespace), and when Limitador gave them. */
record RouteCounters(Instant fetchedAt, List<LimitadorCounter> counters) {

    RouteCounters {
        counters = List.copyOf(counters);
    }

    /** The caller's counter of this limit, or null when it has not been hit in the current window. */
    LimitadorCounter find(String userid, String limitName) {
        for (LimitadorCounter counter : counters) {
            if (userid.equals(counter.userid()) && limitName.equals(counter.name())) {
                return counter;
            }
        }
        return null;
    }
}
