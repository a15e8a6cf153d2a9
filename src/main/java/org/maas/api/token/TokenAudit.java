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

    /** Usernames come from the identity provider: quote and escape them so no line can be forged. */
    static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
