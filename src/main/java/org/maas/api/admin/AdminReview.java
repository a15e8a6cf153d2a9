package org.maas.api.admin;

import org.maas.api.identity.Caller;

/**
 * Whether a person may delete ServiceAccounts in a namespace: the permission behind every admin endpoint, as the
 * cluster's RBAC answers it ({@link SubjectAccessAdminReview}), possibly cached ({@link CachedAdminReview}).
 */
interface AdminReview {

    /** @throws org.maas.api.error.ApiException 503 when the API server cannot answer */
    boolean allowed(Caller.Person caller, String namespace);
}
