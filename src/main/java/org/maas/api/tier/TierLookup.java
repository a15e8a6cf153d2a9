package org.maas.api.tier;

import jakarta.inject.Singleton;
import java.util.List;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;

/**
 * The lookup itself, whichever layer read the request: bounds on the groups, the match, the metric, and the
 * answer or the {@link ApiException} the client gets. {@link TierLookupRoute} serves the lookup;
 * {@link TierResource#lookup} declares it in the OpenAPI document and serves the requests the route leaves
 * to the REST layer.
 */
@Singleton // no client proxy between the route and the lookup: it is called on every request
class TierLookup {

    private final TierCatalog catalog;
    private final TierLookupMetrics metrics;
    private final int maxGroups;
    private final int maxGroupLength;

    TierLookup(TierCatalog catalog, TierLookupMetrics metrics, MaasConfig config) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.maxGroups = config.tiers().maxGroups();
        this.maxGroupLength = config.tiers().maxGroupLength();
    }

    /** @param request null for an empty body */
    Tier lookup(TierLookupRequest request) {
        String problem = problem(request);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        TierMatch match = catalog.match(request.groups());
        metrics.count(match);
        return switch (match.outcome()) {
            case MATCHED, DEFAULT_TIER -> match.tier();
            case NONE -> throw ApiException.notFound("no tier for groups " + Groups.abbreviate(match.groups()));
            case NO_CONFIG -> throw TierMatch.noConfig();
        };
    }

    private String problem(TierLookupRequest request) {
        if (request == null || request.groups() == null) {
            return "the body must be a JSON object with \"groups\": a non-empty list of group names";
        }
        List<String> groups = request.groups();
        if (groups.isEmpty()) {
            return "groups must not be empty";
        }
        if (groups.size() > maxGroups) {
            return "too many groups: " + groups.size() + ", at most " + maxGroups;
        }
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            if (group == null || group.isEmpty()) {
                return "groups[" + i + "] must be a non-empty string";
            }
            if (group.length() > maxGroupLength) {
                return "groups[" + i + "] is too long: at most " + maxGroupLength + " characters";
            }
        }
        return null;
    }
}
