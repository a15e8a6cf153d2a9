package org.maas.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How a username lands in an audit line: the API server's static users have plain names, so the quoting of the
 * odd ones (an identity provider's names can hold anything) is checked here.
 */
class AuditTest {

    @Test
    void quotesAndBackslashesAreEscapedAndControlCharactersSpelledOut() {
        assertEquals("\"ivy \\\"quoted\\\"\"", Audit.quote("ivy \"quoted\""));
        assertEquals("\"a\\\\b\"", Audit.quote("a\\b"));
        assertEquals("\"line\\u000aforged event=x\"", Audit.quote("line\nforged event=x"));
        assertEquals("\"Alice@Example.com\"", Audit.quote("Alice@Example.com"));
        assertEquals("-", Audit.quote(null));
    }
}
