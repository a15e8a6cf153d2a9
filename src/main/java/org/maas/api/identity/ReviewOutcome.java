package org.maas.api.identity;

/** What the API server said about a token: who it is, or that it is refused. Never the token itself. */
sealed interface ReviewOutcome {

    /** @param expiresAtSeconds the token's {@code exp} (trusted once the API server vouched for it), or null */
    record Authenticated(Caller caller, Long expiresAtSeconds) implements ReviewOutcome {
    }

    /** A token the API server does not accept, for any audience maas-api asks about. */
    record Rejected() implements ReviewOutcome {
    }
}
