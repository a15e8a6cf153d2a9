package org.maas.api.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceAccountNamesTest {

    private static final String DNS_1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Alice@Example.COM", "system:serviceaccount:team-a:builder", "--x--", "日本語",
            "a.b_c d", "user@@@", "-", "kube:admin", "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void isAValidDns1123LabelOfAtMost63(String username) {
        String name = ServiceAccountNames.forUser(username);
        assertTrue(name.matches(DNS_1123_LABEL), name);
        assertTrue(name.length() <= 63, name);
    }

    @Test
    void keepsTheReadablePartAndAddsAStableHash() {
        String name = ServiceAccountNames.forUser("Alice@Example.com");
        assertTrue(name.matches("alice-example-com-[0-9a-v]{20}"), name);
        assertEquals(name, ServiceAccountNames.forUser("Alice@Example.com"));
        assertTrue(ServiceAccountNames.forUser("日本語").matches("user-[0-9a-v]{20}"));
    }

    @Test
    void theUsersWhoSharedA32BitSuffixNoLongerCollide() {
        // Both mapped to user-9879c0b2 with 8 hex digits of the hash.
        assertNotEquals(ServiceAccountNames.forUser("呾东一"), ServiceAccountNames.forUser("喷个一"));
    }

    @Test
    void usersWhoseNamesCleanUpAlikeDoNotCollide() {
        List<String> users = List.of("alice", "Alice", "alice@", "-alice-", "alice.", "ALICE", "a".repeat(80),
                "a".repeat(81));
        Set<String> names = new HashSet<>();
        users.forEach(u -> names.add(ServiceAccountNames.forUser(u)));
        assertEquals(users.size(), names.size(), names.toString());
        assertNotEquals(ServiceAccountNames.forUser("a".repeat(80)), ServiceAccountNames.forUser("a".repeat(81)));
        assertEquals(63, ServiceAccountNames.forUser("a".repeat(80)).length());
    }
}
