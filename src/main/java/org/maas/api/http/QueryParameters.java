package org.maas.api.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.maas.api.error.ApiException;

/**
 * Query parameters read exactly from the raw query string. JAX-RS hands a resource the first of repeated
 * values, null for a bare {@code ?dryRun}, and nothing for {@code ?dryrun=true}: each of these made an admin's
 * dry run delete for real. Here a known parameter is given once, spelled in its documented case, with a value;
 * a boolean is {@code true} or {@code false}; anything else is a 400 before anything is done.
 */
public final class QueryParameters {

    private final List<String[]> pairs = new ArrayList<>();

    private QueryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String part : rawQuery.split("&", -1)) {
            int equals = part.indexOf('=');
            String name = decode(equals < 0 ? part : part.substring(0, equals));
            pairs.add(new String[] {name, equals < 0 ? null : decode(part.substring(equals + 1))});
        }
    }

    /**
     * @param known the parameters the endpoint documents: another case of one of them is refused, since a
     *              caller who wrote it meant it
     */
    public static QueryParameters of(String rawQuery, Set<String> known) {
        QueryParameters parameters = new QueryParameters(rawQuery);
        for (String[] pair : parameters.pairs) {
            for (String name : known) {
                if (!pair[0].equals(name) && pair[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    throw ApiException.badRequest("unknown query parameter " + quoted(pair[0]) + ": did you mean "
                            + name + "? (names are case-sensitive)");
                }
            }
        }
        return parameters;
    }

    /** The single value of {@code name}, if given; 400 if given twice or without a value. */
    public Optional<String> single(String name) {
        List<String> values = pairs.stream().filter(pair -> pair[0].equals(name)).map(pair -> pair[1]).toList();
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + ": given " + values.size() + " times; give it once");
        }
        if (values.get(0) == null) {
            throw ApiException.badRequest(name + ": a value is required (" + name + "=...)");
        }
        return Optional.of(values.get(0));
    }

    /** {@code true} or {@code false}, exactly, once; {@code absent} when not given. */
    public boolean flag(String name, boolean absent) {
        Optional<String> value = single(name);
        if (value.isEmpty()) {
            return absent;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest(name + ": true or false (lower case), not " + quoted(value.get()));
        };
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the query string has a malformed percent-encoding");
        }
    }

    private static String quoted(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.append('"').toString();
    }
}
