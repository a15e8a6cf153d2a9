package org.maas.api.identity;

/** What the API server said about a token: who it is, or that it is refused. Never the token itself. */
sealed interface ReviewOutcome {

    /** @param expiresAtSeconds the token's {@code exp} (trusted once the API server vouched for it), or null */
    record Authenticated(Caller caller, Long expiresAtSeconds) implements ReviewOutcome {
    }

    /** @param mintedToken a token maas-api issued (403), rather than one the API server does not accept (401) */
    record Rejected(boolean mintedToken) implements ReviewOutcome {
    }
}
