package org.maas.api.tier;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a tier's optional {@code limits: {requests: [{limit, window}], tokens: [...]}}. Windows follow
 * the pattern Kuadrant's CRDs enforce, so a config that parses here renders policies the API server
 * accepts; limits are positive integers (a zero would silently deny the tier).
 */
final class TierLimitsParser {

    /** The {@code rates[].window} pattern of the RateLimitPolicy and TokenRateLimitPolicy CRDs. */
    static final Pattern WINDOW = Pattern.compile("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
    private static final Set<String> LIMITS_KEYS = Set.of("requests", "tokens");
    private static final Set<String> RATE_KEYS = Set.of("limit", "window");

    private TierLimitsParser() {
    }

    /** The limits, or {@link TierLimits#NONE} when absent; problems are added with {@code at} in front. */
    static TierLimits parse(JsonNode node, String at, List<String> problems) {
        if (node == null || node.isNull()) {
            return TierLimits.NONE;
        }
        if (!node.isObject()) {
            problems.add(at + "limits must be a mapping with requests and/or tokens, found " + describe(node));
            return TierLimits.NONE;
        }
        unknownKeys(node, LIMITS_KEYS, at + "limits: ", "requests, tokens", problems);
        return new TierLimits(rates(node.get("requests"), at, "limits.requests", problems),
                rates(node.get("tokens"), at, "limits.tokens", problems));
    }

    private static List<TierLimits.Rate> rates(JsonNode node, String at, String field, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(at + field + " must be a list of {limit, window}, found " + describe(node));
            return List.of();
        }
        List<TierLimits.Rate> rates = new ArrayList<>();
        Set<String> windows = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String where = at + field + "[" + i + "]";
            TierLimits.Rate rate = rate(node.get(i), where, problems);
            if (rate == null) {
                continue;
            }
            if (!windows.add(rate.window())) {
                // Two rates on one window would render two limits of the same name.
                problems.add(where + ": window '" + rate.window() + "' is already used by an earlier entry of "
                        + field);
            } else {
                rates.add(rate);
            }
        }
        return rates;
    }

    private static TierLimits.Rate rate(JsonNode node, String where, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + " must be a mapping {limit, window}, found " + describe(node));
            return null;
        }
        int before = problems.size();
        unknownKeys(node, RATE_KEYS, where + ": ", "limit, window", problems);
        JsonNode limit = node.get("limit");
        if (limit == null || limit.isNull()) {
            problems.add(where + ": limit is required (a positive integer)");
        } else if (!limit.isIntegralNumber() || !limit.canConvertToLong() || limit.longValue() <= 0) {
            problems.add(where + ": limit must be a positive integer, found " + describe(limit));
        }
        JsonNode window = node.get("window");
        if (window == null || window.isNull()) {
            problems.add(where + ": window is required (a duration like 30s, 2m, 1h or 1h30m)");
        } else if (!window.isTextual() || !WINDOW.matcher(window.asText()).matches()) {
            problems.add(where + ": window must be a duration like 30s, 2m, 1h or 1h30m (units h, m, s, ms; "
                    + "pattern " + WINDOW.pattern() + "), found " + describe(window));
        }
        return problems.size() > before ? null : new TierLimits.Rate(limit.longValue(), window.asText());
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String at, String list, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problems.add(at + "unknown key '" + key + "' (allowed: " + list + ")");
            }
        }
    }

    private static String describe(JsonNode node) {
        return node.isContainerNode() ? node.getNodeType().name().toLowerCase() : "'" + node.asText() + "'";
    }
}
