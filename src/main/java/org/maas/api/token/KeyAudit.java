package org.maas.api.token;

import static org.maas.api.token.TokenAudit.quote;

import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Audit lines of keys and admin revocations, in the category {@code maas.audit} next to the token lines:
 * key=value pairs, quoted values. Never a key's text.
 */
final class KeyAudit {

    private static final Logger LOG = Logger.getLogger("maas.audit");

    private KeyAudit() {
    }

    static void create(String outcome, String user, String tier, String namespace, String id, String name,
                       Instant expiresAt) {
        LOG.infof("event=api_key_create outcome=%s user=%s tier=%s namespace=%s id=%s name=%s expiresAt=%s", outcome,
                quote(user), quote(tier), quote(namespace), quote(id), quote(name),
                expiresAt == null ? "-" : expiresAt.toString());
    }

    /** @param reason user (the owner), expired (the cleanup) */
    static void delete(String outcome, String reason, String user, String tier, String namespace, String id,
                       String name) {
        LOG.infof("event=api_key_delete outcome=%s reason=%s user=%s tier=%s namespace=%s id=%s name=%s", outcome,
                reason, quote(user), quote(tier), quote(namespace), quote(id), quote(name));
    }

    static void adminRevoke(String outcome, String actor, String subject, String tier, String namespace,
                            String serviceAccount, int keys, boolean dryRun) {
        LOG.infof("event=admin_revoke outcome=%s actor=%s subject=%s tier=%s namespace=%s serviceAccount=%s"
                        + " apiKeys=%d dryRun=%s", outcome, quote(actor), quote(subject), quote(tier), quote(namespace),
                quote(serviceAccount), keys, dryRun);
    }

    static void adminList(String outcome, String actor, String subject, String tier, int keys) {
        LOG.infof("event=admin_list_api_keys outcome=%s actor=%s subject=%s tier=%s apiKeys=%d", outcome, quote(actor),
                quote(subject), quote(tier), keys);
    }
}
