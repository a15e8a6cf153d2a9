package org.maas.api.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How a username lands in an audit line: the API server's static users have plain names, so the quoting of the
 * odd ones (an identity provider's names can hold anything) is checked here.
 */
class TokenAuditTest {

    @Test
    void quotesAndBackslashesAreEscapedAndControlCharactersSpelledOut() {
        assertEquals("\"ivy \\\"quoted\\\"\"", TokenAudit.quote("ivy \"quoted\""));
        assertEquals("\"a\\\\b\"", TokenAudit.quote("a\\b"));
        assertEquals("\"line\\u000aforged event=x\"", TokenAudit.quote("line\nforged event=x"));
        assertEquals("\"Alice@Example.com\"", TokenAudit.quote("Alice@Example.com"));
        assertEquals("-", TokenAudit.quote(null));
    }
}
