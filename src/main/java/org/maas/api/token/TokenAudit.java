package org.maas.api.token;

import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * One line per mint and per revoked account, as key=value pairs with quoted values, in the logger
 * category {@code maas.audit}. Never the token.
 */
final class TokenAudit {

    private static final Logger LOG = Logger.getLogger("maas.audit");

    private TokenAudit() {
    }

    static void mint(String outcome, String user, String tier, String namespace, String serviceAccount,
                     Instant expiresAt) {
        LOG.infof("event=token_mint outcome=%s user=%s tier=%s namespace=%s serviceAccount=%s expiresAt=%s",
                outcome, quote(user), quote(tier), quote(namespace), quote(serviceAccount),
                expiresAt == null ? "-" : expiresAt.toString());
    }

    static void revoke(String outcome, String user, String tier, String namespace, String serviceAccount) {
        LOG.infof("event=token_revoke outcome=%s user=%s tier=%s namespace=%s serviceAccount=%s",
                outcome, quote(user), quote(tier), quote(namespace), quote(serviceAccount));
    }

    /** An account revoked (or, in a dry run, that would be) because the user left the tier's groups. */
    static void groupChange(String outcome, String user, String oldTier, String newTier, String namespace,
                            String serviceAccount) {
        LOG.infof("event=token_revoke reason=group_change outcome=%s user=%s tier=%s newTier=%s namespace=%s"
                        + " serviceAccount=%s", outcome, quote(user), quote(oldTier), quote(newTier), quote(namespace),
                quote(serviceAccount));
    }

    /**
     * Usernames come from the identity provider and key names from callers: quote them and escape every code
     * point that does not show as itself (controls, format characters such as U+202E that reorder a line,
     * separators, lone surrogates, unassigned ones) as {@code \\uXXXX}, so no line can be forged or disguised.
     */
    static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c != ' ' && (KeyNames.hidden(c) || Character.isSpaceChar(c) || Character.isWhitespace(c))) {
                if (Character.isBmpCodePoint(c)) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.append(String.format("\\U%08x", c));
                }
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
