package org.maas.api.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.error.ApiException;

class ExpirationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Expiration expiration = new Expiration(Duration.ofMinutes(10), Duration.ofHours(720), Duration.ofHours(4));

    private Duration parse(String json) throws Exception {
        return expiration.parse(JSON.readTree(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"10m\"      | 600",
            "\"4h\"       | 14400",
            "\"2h30m\"    | 9000",
            "\"90m\"      | 5400",
            "\"1h0m1s\"   | 3601",
            "\"720h\"     | 2592000",
            "\"599m60s\"  | 36000",
            "7200         | 7200",
            "600          | 600",
            "2592000      | 2592000",
            "null         | 14400"})
    void accepts(String json, long seconds) throws Exception {
        assertEquals(Duration.ofSeconds(seconds), parse(json));
    }

    @Test
    void absentMeansDefault() {
        assertEquals(Duration.ofHours(4), expiration.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"9m59s\"", "\"720h1s\"", "599", "2592001", "\"abc\"", "-5", "1e99", "1e309", "-1e999", "1E400", "-0.5", "\"\"", "{}", "[]",
            "true", "7200.5", "\"7200\"", "\"4H\"", "\" 4h\"", "\"30m1h\"", "\"1h1h\"", "\"-5m\"", "\"4d\"",
            "99999999999999999999999", "\"9999999999h\""})
    void rejectsWithTheRangeAndFormat(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("between 10m and 720h"), e.getMessage());
        assertTrue(e.getMessage().contains("\"2h30m\"") && e.getMessage().contains("\"7200s\""), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"14400, 4h", "9000, 2h30m", "600, 10m", "3601, 1h1s", "45, 45s", "2592000, 720h"})
    void formatsShortestReadableForm(long seconds, String text) throws Exception {
        assertEquals(text, Expiration.format(Duration.ofSeconds(seconds)));
        JsonNode readBack = JSON.getNodeFactory().textNode(text);
        if (seconds >= 600) {
            assertEquals(Duration.ofSeconds(seconds), expiration.parse(readBack));
        }
    }
}
