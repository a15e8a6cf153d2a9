package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maas.api.error.ApiException;

class BearerTokenTest {

    @Test
    void readsTheTokenOfAnyCaseScheme() {
        assertEquals("abc.def", BearerToken.from("Bearer abc.def"));
        assertEquals("abc", BearerToken.from("bearer abc"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Basic YWxpY2U6eA==", "Bearer", "Bearer ", "Bearer a b", "Token abc"})
    void anythingElseIs401WithTheBearerChallenge(String header) {
        ApiException e = assertThrows(ApiException.class, () -> BearerToken.from(header));
        assertEquals(401, e.status());
        assertEquals("Bearer", e.headers().get("WWW-Authenticate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "sha256~AbC-dEf_012", "abcdef.0123456789abcdef",
            "token-x1y2z:s3cr3t", "dG9rZW4+Lw==", "a"})
    void acceptsTheShapesOfRealTokens(String token) {
        assertEquals(token, BearerToken.from("Bearer " + token));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc<script>", "a\"b", "a,b", "a=b", "=", "tok\u00e9n", "a;b", "a%20b", "a@b"})
    void refusesWhatNoAuthenticatorIssues(String token) {
        ApiException e = assertThrows(ApiException.class, () -> BearerToken.from("Bearer " + token));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void refusesAbsurdLengths() {
        assertEquals(BearerToken.MAX_LENGTH, BearerToken.from("Bearer " + "a".repeat(BearerToken.MAX_LENGTH)).length());
        ApiException e = assertThrows(ApiException.class,
                () -> BearerToken.from("Bearer " + "a".repeat(BearerToken.MAX_LENGTH + 1)));
        assertEquals(401, e.status());
    }

    @Test
    void hashesTokensForTheCacheKey() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BearerToken.sha256("abc"));
    }
}
