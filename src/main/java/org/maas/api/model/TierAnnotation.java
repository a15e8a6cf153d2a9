package org.maas.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierIndex;

/**
 * Upstream's annotation {@code alpha.maas.opendatahub.io/tiers}, with upstream's meaning: a JSON array of
 * tier names, {@code []} for every tier, absent for no MaaS access. Entries that name no tier of the
 * served config, and a value that is not such an array, grant nothing and are reported.
 */
public record TierAnnotation(Set<String> tiers, List<Problem> problems) {

    public static final String KEY = "alpha.maas.opendatahub.io/tiers";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is wrong with (part of) an annotation; {@code reason} tags the metric. */
    public record Problem(String reason, String message) {
    }

    static TierAnnotation none() {
        return new TierAnnotation(Set.of(), List.of());
    }

    public static TierAnnotation parse(String value, TierIndex index) {
        JsonNode array;
        try {
            array = JSON.readTree(value);
        } catch (IOException e) {
            array = null;
        }
        if (array == null || !array.isArray()) {
            return new TierAnnotation(Set.of(), List.of(new Problem("malformed",
                    KEY + " must be a JSON array of tier names (e.g. [\"free\",\"premium\"], [] for every tier), not "
                            + abbreviate(value) + ": no tier is granted")));
        }
        Set<String> tiers = new TreeSet<>();
        if (array.isEmpty()) {
            index.tiers().stream().map(Tier::name).forEach(tiers::add);
            return new TierAnnotation(tiers, List.of());
        }
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            if (!entry.isTextual()) {
                problems.add(new Problem("malformed", KEY + " entry " + i + " (" + abbreviate(entry.toString())
                        + ") is not a tier name: not granted"));
            } else if (index.tier(entry.asText()).isEmpty()) {
                problems.add(new Problem("unknown_tier", KEY + " names tier \"" + abbreviate(entry.asText())
                        + "\", which the tier config does not have: not granted"));
            } else {
                tiers.add(entry.asText());
            }
        }
        return new TierAnnotation(tiers, problems);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
