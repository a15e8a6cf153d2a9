package org.maas.api.account;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.maas.api.error.ApiException;

/**
 * The lifetime a client asks for: a duration string of hours, minutes and seconds ({@code "4h"},
 * {@code "2h30m"}, {@code "7200s"}), the form the OpenAPI document declares, or, as earlier clients sent it,
 * a whole number of seconds ({@code 7200}); within configured bounds.
 */
public final class Expiration {

    /** Each unit at most once, in the order h, m, s; at most 9 digits each so nothing overflows. */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

    private final Duration min;
    private final Duration max;
    private final Duration defaultValue;

    public Expiration(Duration min, Duration max, Duration defaultValue) {
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
    }

    /** Absent or JSON null means the default; anything else must be a valid duration within the bounds. */
    public Duration parse(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return defaultValue;
        }
        if (value.isTextual()) {
            return inRange(fromText(value.asText()), "\"" + abbreviate(value.asText()) + "\"");
        }
        if (value.isIntegralNumber()) {
            BigInteger seconds = value.bigIntegerValue();
            if (seconds.compareTo(BigInteger.valueOf(max.getSeconds())) > 0 || seconds.signum() < 0) {
                throw invalid(value.asText() + " seconds is out of range");
            }
            return inRange(Duration.ofSeconds(seconds.longValue()), value.asText() + " seconds");
        }
        if (value.isNumber()) { // 7200.5, 7200.0, 1e99: JSON floats
            throw invalid(abbreviate(value.asText()) + floatProblem(value));
        }
        throw invalid("got a JSON " + value.getNodeType().name().toLowerCase());
    }

    /** Beyond double range (1e309) a float reads as infinite unless read as a BigDecimal: both are out of range. */
    private String floatProblem(JsonNode value) {
        if (!Double.isFinite(value.doubleValue())) {
            return " is out of range";
        }
        BigDecimal seconds = value.decimalValue();
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(max.getSeconds())) > 0) {
            return " is out of range";
        }
        return seconds.stripTrailingZeros().scale() <= 0 ? " must be written as a plain integer"
                : " is not a whole number of seconds";
    }

    private Duration fromText(String text) {
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw invalid("\"" + abbreviate(text) + "\" is not a duration");
        }
        return Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)));
    }

    private Duration inRange(Duration duration, String what) {
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw invalid(what + " is out of range");
        }
        return duration;
    }

    private ApiException invalid(String problem) {
        return ApiException.badRequest("expiration: " + problem + "; send a duration between " + format(min)
                + " and " + format(max) + " as a string of hours, minutes and seconds such as \"4h\", \"2h30m\" or"
                + " \"7200s\" (default " + format(defaultValue) + ")");
    }

    /** The shortest form the parser reads back: {@code 4h}, {@code 2h30m}, {@code 1h1s}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 3600, 'h');
        append(text, seconds % 3600 / 60, 'm');
        append(text, seconds % 60, 's');
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, char unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
