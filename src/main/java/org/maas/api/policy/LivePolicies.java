package org.maas.api.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.maas.api.config.MaasConfig;
import org.maas.api.tier.TierIndex;
import org.maas.api.tier.TierCatalog;

/** The policies for the tier config being served, rendered once per config version. */
@ApplicationScoped
public class LivePolicies {

    /** Rendered policies and the config version they come from. */
    public record Rendition(TierIndex index, RenderedPolicies policies) {

        /** Both policies as YAML, headed by where they came from. */
        public String yaml() {
            return "# Rendered by maas-api from " + index.origin() + " (tier config version " + index.version()
                    + ").\n# Apply with: kubectl apply -f -\n" + policies.yaml();
        }
    }

    private final TierCatalog catalog;
    private final PolicyRenderer renderer;
    private volatile Rendition last;

    LivePolicies(TierCatalog catalog, MaasConfig config) {
        this.catalog = catalog;
        this.renderer = new PolicyRenderer(config.gateway().namespace(), config.gateway().name(),
                config.policies().unmatched());
    }

    /** The policies for the current config; 503 (an ApiException) until a valid config has loaded. */
    public Rendition current() {
        return of(catalog.served());
    }

    /** The policies for this config version. */
    public Rendition of(TierIndex index) {
        Rendition rendition = last;
        if (rendition == null || rendition.index() != index) {
            rendition = new Rendition(index, renderer.render(index.tiers()));
            last = rendition;
        }
        return rendition;
    }
}
