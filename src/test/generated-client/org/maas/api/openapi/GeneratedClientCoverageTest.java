package org.maas.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generated-client tests together claim ({@link Answers}) exactly the statuses the stored document declares
 * for every operation, and each test fails unless it got what it claims: a new operation or status without a
 * generated-client call for it fails here. No application: it reads the annotations and the document.
 */
class GeneratedClientCoverageTest {

    private static final Class<?>[] TESTS = {GeneratedClientTest.class, GeneratedClientBeforeTierConfigTest.class};

    @Test
    void theTestsClaimEveryDeclaredStatusOfEveryOperation() {
        Map<String, Set<String>> claimed = new TreeMap<>();
        for (Class<?> test : TESTS) {
            for (Method method : test.getDeclaredMethods()) {
                GeneratedClients.claims(method).forEach((operation, statuses) ->
                        claimed.computeIfAbsent(operation, id -> new TreeSet<>()).addAll(statuses));
            }
        }
        assertEquals(OpenApiDocument.stored().declaredStatuses(), claimed);
    }
}
