package org.maas.api.model;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;

/**
 * The models a caller may use: what GET /v1/models lists and GET /v1/usage reports on, one definition for
 * both. Run within the request's Kubernetes deadline (KubernetesGuard).
 */
@ApplicationScoped
public class VisibleModels {

    private final MaasIdentity identity;
    private final ModelCatalog catalog;
    private final ModelAccess access;

    VisibleModels(MaasIdentity identity, ModelCatalog catalog, ModelAccess access) {
        this.identity = identity;
        this.catalog = catalog;
        this.access = access;
    }

    /** The models on the gateway that this caller's MaaS identity in {@code tier} may use, by namespace and name. */
    public List<Model> of(Caller caller, String tier) {
        return access.visible(identity.subject(caller, tier), catalog.models());
    }
}
