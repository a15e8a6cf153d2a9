package org.maas.api.identity;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;
import org.maas.api.kubernetes.KubernetesGuard;
import org.maas.api.kubernetes.WorkShares;
import org.maas.api.identity.ReviewOutcome.Authenticated;
import org.maas.api.identity.ReviewOutcome.Rejected;

/**
 * Authenticates the caller from their own bearer token with a TokenReview, never from client-supplied
 * headers. Outcomes are cached briefly by a hash of the token, refusals too, so that an anonymous client
 * repeating a token costs the API server nothing; a header that is not even shaped like a bearer token is
 * refused without asking. It tells a person's own identity from a MaaS token (a ServiceAccount in a
 * tier namespace); each endpoint picks which kinds it accepts.
 *
 * <p>Authentication runs inside {@link KubernetesGuard#call} and takes the request's shares of Kubernetes work:
 * a token the cache has not seen is reviewed within the share of such reviews, and the caller it finds, cached
 * or not, is admitted to their own share ({@link KubernetesGuard#admit}). A person's groups are those of the
 * review less the watched Groups that no longer hold them ({@link GroupMembership}).
 */
@ApplicationScoped
public class CallerAuthenticator {

    private final TokenReviewer reviewer;
    private final ReviewCache cache;
    private final WorkShares shares;
    private final GroupMembership membership;
    private final List<String> audiences;
    private final MaasIdentity identity;
    private final Counter cacheHits;
    private final Counter cacheNegativeHits;
    private final Counter cacheMisses;

    @Inject
    CallerAuthenticator(TokenReviewer reviewer, MaasConfig config, MaasIdentity identity, MeterRegistry registry,
            KubernetesGuard guard, GroupMembership membership) {
        this(reviewer, new ReviewCache(Ticker.systemTicker(), Clock.systemUTC(), ForkJoinPool.commonPool(),
                        ReviewCache.Limits.from(config.identity())),
                config.identity().audiences().orElse(List.of()), identity, registry, guard, membership);
    }

    CallerAuthenticator(TokenReviewer reviewer, ReviewCache cache, List<String> audiences, MaasIdentity identity,
            MeterRegistry registry, WorkShares shares, GroupMembership membership) {
        this.reviewer = reviewer;
        this.cache = cache;
        this.shares = shares;
        this.membership = membership;
        this.audiences = List.copyOf(audiences);
        this.identity = identity;
        MeterProvider<Counter> cacheOutcomes = Counter.builder("maas_token_review_cache")
                .description("Callers authenticated (hit) or refused (negative_hit) without a TokenReview of their"
                        + " own, from the cache or a review of the same token in flight; miss: a TokenReview was made")
                .withRegistry(registry);
        this.cacheHits = cacheOutcomes.withTags("outcome", "hit");
        this.cacheNegativeHits = cacheOutcomes.withTags("outcome", "negative_hit");
        this.cacheMisses = cacheOutcomes.withTags("outcome", "miss");
    }

    /**
     * A caller with their own cluster identity, for endpoints that manage tokens and keys.
     *
     * @param authorization the request's Authorization header
     * @param action        what the endpoint does, as the refusal of a MaaS token names it ("mint tokens")
     * @throws ApiException 401 for a missing or invalid token, 403 for a token maas-api minted,
     *                      503 when the API server cannot review it
     */
    public Caller.Person person(String authorization, String action) {
        if (authenticate(authorization, false) instanceof Caller.Person person) {
            return person;
        }
        throw mintedTokenRefused(action);
    }

    /**
     * A caller with their own cluster identity or a MaaS token, for endpoints that only read.
     *
     * @throws ApiException 401 for a missing or invalid token, 503 when the API server cannot review it
     */
    public Caller anyCaller(String authorization) {
        return authenticate(authorization, true);
    }

    /** @param maasTokens whether the endpoint takes MaaS tokens and keys, which a refusal then names */
    private Caller authenticate(String authorization, boolean maasTokens) {
        String token = BearerToken.from(authorization); // 401 before any share is taken
        ReviewCache.Lookup lookup = cache.get(BearerToken.sha256(token), () -> shares.reviewing(() -> review(token)));
        count(lookup);
        if (lookup.outcome() instanceof Authenticated authenticated) {
            Caller caller = current(authenticated.caller());
            shares.admit(caller.username());
            return caller;
        }
        throw invalidToken(token, maasTokens);
    }

    /** A person with the groups that still hold them; a MaaS token's groups are its namespace's, never a Group. */
    private Caller current(Caller caller) {
        if (caller instanceof Caller.Person person) {
            List<String> groups = membership.current(person.username(), person.groups());
            return groups.equals(person.groups()) ? person : new Caller.Person(person.username(), groups);
        }
        return caller;
    }

    private void count(ReviewCache.Lookup lookup) {
        if (lookup.source() == ReviewCache.Source.REVIEWED) {
            cacheMisses.increment();
        } else if (lookup.outcome() instanceof Rejected) {
            cacheNegativeHits.increment();
        } else {
            cacheHits.increment();
        }
    }

    /**
     * One TokenReview, or two: a MaaS token is bound to the gateway's audience, so the first review
     * (the API server's audience) refuses it; a token that claims that audience is asked about once
     * more with it. A 503 on the way propagates and nothing is cached.
     */
    private ReviewOutcome review(String token) {
        Optional<JwtClaims> claims = JwtClaims.peek(token);
        Optional<Caller> caller = shares.tokenReview(() -> reviewer.review(token, audiences)).map(this::kindOf);
        String minted = identity.audience();
        if (caller.isEmpty() && !audiences.contains(minted)
                && claims.filter(c -> c.audiences().contains(minted)).isPresent()) {
            caller = shares.tokenReview(() -> reviewer.review(token, List.of(minted))).map(this::kindOf)
                    .filter(Caller.MaasToken.class::isInstance);
        }
        // The API server has vouched for the token, so its expiry claim can be trusted.
        return caller.<ReviewOutcome>map(c -> new Authenticated(c, claims.map(JwtClaims::expiresAt).orElse(null)))
                .orElseGet(Rejected::new);
    }

    /** A ServiceAccount in a tier namespace is a MaaS token; anyone else calls as themselves. */
    private Caller kindOf(ReviewedUser user) {
        return identity.tierOfUsername(user.username())
                .<Caller>map(tier -> new Caller.MaasToken(user.username(), user.groups(), tier,
                        user.username().substring(user.username().lastIndexOf(':') + 1)))
                .orElseGet(() -> new Caller.Person(user.username(), user.groups()));
    }

    /**
     * What to send instead. A token that claims the gateway's audience is a MaaS token or key that has ended
     * (or a forgery of one: the claim is read unverified, only to word the answer).
     */
    private ApiException invalidToken(String token, boolean maasTokens) {
        if (JwtClaims.peek(token).filter(c -> c.audiences().contains(identity.audience())).isPresent()) {
            return ApiException.unauthorized("the bearer token is not valid: a MaaS token or API key that has expired"
                    + " or was revoked; mint a new token (POST /v1/tokens) or create a key (POST /v1/api-keys) with"
                    + " your own cluster token");
        }
        return ApiException.unauthorized("the bearer token is not valid (expired, revoked, or not from this cluster):"
                + " send your own cluster token (for example from `oc whoami -t` or `kubectl create token`)"
                + (maasTokens ? ", a MaaS token or an API key" : ""));
    }

    private static ApiException mintedTokenRefused(String action) {
        return ApiException.forbidden("this is a token maas-api issued (a MaaS token or API key); it cannot " + action
                + ". Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)");
    }
}
