package org.maas.api.tier;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.maas.api.error.ApiException;

/** Decides a user's tier from their groups; shared by the lookup endpoint and token issuance. */
@ApplicationScoped
public class TierResolver {

    private final TierCatalog catalog;

    public TierResolver(TierCatalog catalog) {
        this.catalog = catalog;
    }

    /** The best tier for the groups, else the configured default tier, else null. */
    public Tier resolve(List<String> groups) {
        TierIndex index = index();
        Tier tier = index.resolve(groups);
        return tier != null ? tier : index.defaultTier();
    }

    /** The config being served; 503 until a good one has loaded, so callers never guess. */
    public TierIndex index() {
        TierIndex index = catalog.current();
        if (index == null) {
            throw ApiException.unavailable("no valid tier config has been loaded yet", 5);
        }
        return index;
    }
}
