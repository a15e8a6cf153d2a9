package org.maas.api.audit;

import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The audit log of tokens, keys and admin actions: one line per mint, revoked account, key created or deleted
 * and admin action, as key=value pairs with quoted values, in the logger category {@code maas.audit}. Never a
 * token's or key's text.
 */
public final class Audit {

    private static final Logger LOG = Logger.getLogger("maas.audit");

    private Audit() {
    }

    public static void mint(String outcome, String user, String tier, String namespace, String serviceAccount,
                            Instant expiresAt) {
        LOG.infof("event=token_mint outcome=%s user=%s tier=%s namespace=%s serviceAccount=%s expiresAt=%s",
                outcome, quote(user), quote(tier), quote(namespace), quote(serviceAccount),
                expiresAt == null ? "-" : expiresAt.toString());
    }

    public static void revoke(String outcome, String user, String tier, String namespace, String serviceAccount) {
        LOG.infof("event=token_revoke outcome=%s user=%s tier=%s namespace=%s serviceAccount=%s",
                outcome, quote(user), quote(tier), quote(namespace), quote(serviceAccount));
    }

    /** An account revoked (or, in a dry run, that would be) because the user left the tier's groups. */
    public static void groupChange(String outcome, String user, String oldTier, String newTier, String namespace,
                                   String serviceAccount) {
        LOG.infof("event=token_revoke reason=group_change outcome=%s user=%s tier=%s newTier=%s namespace=%s"
                        + " serviceAccount=%s", outcome, quote(user), quote(oldTier), quote(newTier), quote(namespace),
                quote(serviceAccount));
    }

    public static void keyCreate(String outcome, String user, String tier, String namespace, String id, String name,
                              Instant expiresAt) {
        LOG.infof("event=api_key_create outcome=%s user=%s tier=%s namespace=%s id=%s name=%s expiresAt=%s", outcome,
                quote(user), quote(tier), quote(namespace), quote(id), quote(name),
                expiresAt == null ? "-" : expiresAt.toString());
    }

    /** @param reason user (the owner), expired (the cleanup) */
    public static void keyDelete(String outcome, String reason, String user, String tier, String namespace, String id,
                              String name) {
        LOG.infof("event=api_key_delete outcome=%s reason=%s user=%s tier=%s namespace=%s id=%s name=%s", outcome,
                reason, quote(user), quote(tier), quote(namespace), quote(id), quote(name));
    }

    public static void adminRevoke(String outcome, String actor, String subject, String tier, String namespace,
                                   String serviceAccount, int keys, boolean dryRun) {
        LOG.infof("event=admin_revoke outcome=%s actor=%s subject=%s tier=%s namespace=%s serviceAccount=%s"
                        + " apiKeys=%d dryRun=%s", outcome, quote(actor), quote(subject), quote(tier), quote(namespace),
                quote(serviceAccount), keys, dryRun);
    }

    public static void adminList(String outcome, String actor, String subject, String tier, int keys) {
        LOG.infof("event=admin_list_api_keys outcome=%s actor=%s subject=%s tier=%s apiKeys=%d", outcome, quote(actor),
                quote(subject), quote(tier), keys);
    }

    /**
     * Usernames come from the identity provider and key names from callers: quote them and escape every code
     * point that does not show as itself (controls, format characters such as U+202E that reorder a line,
     * separators, lone surrogates, unassigned ones) as {@code \\uXXXX}, so no line can be forged or disguised.
     */
    public static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c != ' ' && (hidden(c) || Character.isSpaceChar(c) || Character.isWhitespace(c))) {
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

    /** Characters that do not show or change how others show. */
    public static boolean hidden(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
