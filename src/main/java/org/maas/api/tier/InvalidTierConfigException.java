package org.maas.api.tier;

import java.util.List;

/** A tier config that must not be served; carries every problem found, not just the first. */
public class InvalidTierConfigException extends Exception {

    private final List<String> problems;

    public InvalidTierConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
