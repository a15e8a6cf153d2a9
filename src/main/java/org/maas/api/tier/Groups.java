package org.maas.api.tier;

import java.util.List;

/** Group lists in messages: short enough for a log line and for Authorino's ~1 KB cache entries. */
public final class Groups {

    private static final int SHOWN = 8;

    private Groups() {
    }

    public static String abbreviate(List<String> groups) {
        return groups.size() <= SHOWN ? groups.toString()
                : groups.subList(0, SHOWN) + " and " + (groups.size() - SHOWN) + " more";
    }
}
