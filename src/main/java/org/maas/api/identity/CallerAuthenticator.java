package org.maas.api.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.maas.api.config.MaasConfig;
import org.maas.api.error.ApiException;

/**
 * Authenticates the caller from their own bearer token with a TokenReview, never from client-supplied
 * headers. Positive reviews are cached briefly by a hash of the token. Tokens that maas-api minted (a
 * ServiceAccount in a tier namespace) are refused: minting must come from a person's own identity, or a
 * leaked MaaS token could renew itself forever.
 */
@ApplicationScoped
public class CallerAuthenticator {

    private final TokenReviewer reviewer;
    private final ReviewCache cache;
    private final List<String> audiences;
    private final MaasIdentity identity;
    private final String mintedAudience;
    private final Counter cacheHits;
    private final Counter cacheMisses;

    CallerAuthenticator(TokenReviewer reviewer, MaasConfig config, MaasIdentity identity, MeterRegistry registry) {
        this.reviewer = reviewer;
        this.cache = new ReviewCache(Clock.systemUTC(), config.identity().reviewCacheTtl(),
                config.identity().reviewCacheMaxEntries());
        this.audiences = config.identity().audiences().orElse(List.of());
        this.identity = identity;
        this.mintedAudience = identity.audience();
        this.cacheHits = cacheCounter(registry, "hit");
        this.cacheMisses = cacheCounter(registry, "miss");
    }

    private static Counter cacheCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("maas_token_review_cache")
                .description("Callers authenticated from the TokenReview cache (hit) or by a TokenReview (miss)")
                .tag("outcome", outcome).register(registry);
    }

    /**
     * @param authorization the request's Authorization header
     * @throws ApiException 401 for a missing or invalid token, 403 for a token maas-api minted,
     *                      503 when the API server cannot review it
     */
    public Caller authenticate(String authorization) {
        String token = BearerToken.from(authorization);
        String key = BearerToken.sha256(token);
        Caller caller = cache.get(key);
        if (caller != null) {
            cacheHits.increment();
        } else {
            cacheMisses.increment();
            caller = reviewer.review(token, audiences).orElseThrow(() -> rejection(token));
            // The API server has vouched for the token, so its expiry claim can be trusted.
            cache.put(key, caller, JwtClaims.peek(token).map(JwtClaims::expiresAt).orElse(null));
        }
        if (isMinted(caller)) {
            throw mintedTokenRefused();
        }
        return caller;
    }

    private boolean isMinted(Caller caller) {
        return identity.tierOfUsername(caller.username()).isPresent();
    }

    /**
     * A minted token is bound to the gateway's audience, so the review above (API server audience)
     * rejects it. When the token claims that audience, ask once more with it, to tell its holder why.
     */
    private ApiException rejection(String token) {
        boolean claimsMintedAudience = !audiences.contains(mintedAudience) && JwtClaims.peek(token)
                .filter(claims -> claims.audiences().contains(mintedAudience)).isPresent();
        if (claimsMintedAudience) {
            Optional<Caller> minted = reviewer.review(token, List.of(mintedAudience));
            if (minted.filter(this::isMinted).isPresent()) {
                return mintedTokenRefused();
            }
        }
        return ApiException.unauthorized("the bearer token is not valid: send your own cluster token"
                + " (for example from `oc whoami -t` or `kubectl create token`)");
    }

    private static ApiException mintedTokenRefused() {
        return ApiException.forbidden("this is a token maas-api issued; it cannot mint or revoke tokens."
                + " Use your own cluster identity (for example `oc whoami -t` or `kubectl create token`)");
    }
}
