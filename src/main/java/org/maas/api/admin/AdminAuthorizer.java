package org.maas.api.admin;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.maas.api.error.ApiException;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierCatalog;

/**
 * Admin endpoints are authorized by the cluster's own RBAC: the caller must be allowed to delete
 * ServiceAccounts in every tier namespace concerned, asked as a SubjectAccessReview for the caller's
 * reviewed username and groups. No role of maas-api's own to configure. Public for the doctor
 * (org.maas.api.doctor), which admins reach under the same rule.
 *
 * <p>Answers are cached for {@link #REVIEW_TTL} ({@link CachedAdminReview}): 10 s takes the repeated reviews out
 * of an admin's burst of requests, and a revoked admin loses access within it, well inside the 60 s for which the
 * gateway keeps accepting a revoked token.
 */
@ApplicationScoped
public class AdminAuthorizer {

    static final Duration REVIEW_TTL = Duration.ofSeconds(10);

    private final AdminReview reviews;
    private final TierCatalog tiers;
    private final MaasIdentity identity;

    @Inject
    AdminAuthorizer(KubernetesClient client, TierCatalog tiers, MaasIdentity identity) {
        this(new CachedAdminReview(new SubjectAccessAdminReview(client), REVIEW_TTL, Ticker.systemTicker()), tiers,
                identity);
    }

    AdminAuthorizer(AdminReview reviews, TierCatalog tiers, MaasIdentity identity) {
        this.reviews = reviews;
        this.tiers = tiers;
        this.identity = identity;
    }

    /** The namespaces of the tiers configured now: what every admin action is decided on first. */
    public Set<String> configuredNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        for (Tier tier : tiers.served().tiers()) {
            namespaces.add(identity.tierNamespace(tier.name()));
        }
        return namespaces;
    }

    /**
     * For the configured tier namespaces (derived from the gateway and the public tier names), asked before
     * anything is read: the answer does not depend on what exists.
     *
     * @throws ApiException 403 naming the permission and the first namespace where it is missing
     */
    public void requireDeleteServiceAccounts(Caller.Person caller, Collection<String> namespaces) {
        for (String namespace : new TreeSet<>(namespaces)) {
            if (!reviews.allowed(caller, namespace)) {
                throw ApiException.forbidden("you may not " + SubjectAccessAdminReview.VERB + " "
                        + SubjectAccessAdminReview.RESOURCE + " in namespace " + namespace
                        + ", which this admin action needs (in every tier namespace concerned)");
            }
        }
    }

    /**
     * For namespaces found by reading (of tiers no longer configured, where the user still has something),
     * asked only of a caller who passed {@link #requireDeleteServiceAccounts}: the 403 names none of them.
     */
    void requireAlsoWhereFound(Caller.Person caller, Collection<String> found) {
        for (String namespace : new TreeSet<>(found)) {
            if (!reviews.allowed(caller, namespace)) {
                throw ApiException.forbidden("you may not " + SubjectAccessAdminReview.VERB + " "
                        + SubjectAccessAdminReview.RESOURCE + " in every namespace where this admin action found"
                        + " something (a tier namespace of a tier no longer configured)");
            }
        }
    }
}
