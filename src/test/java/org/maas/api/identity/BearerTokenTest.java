package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void hashesTokensForTheCacheKey() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", BearerToken.sha256("abc"));
    }
}
