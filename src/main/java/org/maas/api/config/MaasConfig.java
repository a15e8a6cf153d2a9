package org.maas.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * All of maas-api's own settings. Every key can be overridden by an environment variable
 * (e.g. {@code maas.tiers.default-tier} as {@code MAAS_TIERS_DEFAULT_TIER}).
 *
 * <p>Checked when the service starts (Bean Validation, quarkus-hibernate-validator): every problem is one
 * line and the service exits with 1. A rule about one key is one annotation on it ({@link PositiveDuration},
 * {@link PositiveSize}, {@link DnsLabel}, {@link DnsSubdomain}, {@link NonBlank}, or a Bean Validation one);
 * a rule that relates keys of a group is in {@link ConsistentSettings}, on that group. A value that is not of
 * its key's type at all (a duration "1y") is reported by {@link Convertible}, on every group.
 */
@ConfigMapping(prefix = "maas")
public interface MaasConfig {

    Gateway gateway();

    Tiers tiers();

    Http http();

    Identity identity();

    Tokens tokens();

    /** Named so that SmallRye's validation messages say api-keys, not the method's camel case. */
    @WithName("api-keys")
    ApiKeys apiKeys();

    Policies policies();

    Kubernetes kubernetes();

    Models models();

    Revocation revocation();

    @Convertible
    interface Revocation {
        /**
         * What a user leaving an OpenShift Group (or a Group deleted, or a tier config change) does to the
         * ServiceAccounts they hold in tiers no longer theirs: OFF nothing, DRY_RUN log and count only,
         * ON delete them (their tokens with them). Leader-elected; needs overlays/group-revocation.
         */
        @WithDefault("off")
        GroupChange onGroupChange();

        /** How often the leader re-checks every managed ServiceAccount against the Groups (missed events). */
        @WithDefault("5m")
        @PositiveDuration
        Duration resyncInterval();

        enum GroupChange { OFF, DRY_RUN, ON }
    }

    Usage usage();

    Doctor doctor();

    /** GET /v1/admin/doctor. */
    @Convertible
    interface Doctor {
        /** How long each group of checks may take; past it, its checks are reported unknown. */
        @WithDefault("5s")
        @PositiveDuration
        Duration checkDeadline();
    }

    /** GET /v1/usage: the caller's counters, read from Limitador's HTTP API. */
    @Convertible
    interface Usage {
        /** Limitador's HTTP API (no authentication: overlays/limitador-network-policy admits only maas-api). */
        @WithDefault("http://limitador-limitador.kuadrant-system.svc:8080")
        @Pattern(regexp = "https?://[^/?#\\s]+/?", message = "must be an http(s) URL with no path, e.g. http://limitador-limitador.kuadrant-system.svc:8080")
        String limitadorUrl();

        /**
         * One Limitador answer, connection included; a model whose counters did not come within it is left
         * out (partial). Keep it under maas.kubernetes.request-deadline.
         */
        @WithDefault("2s")
        @PositiveDuration
        Duration limitadorTimeout();

        /** Limitador requests in flight at once, across all requests of a replica; more wait in line. */
        @WithDefault("8")
        @Positive
        int maxConcurrentRequests();

        /** How long one route's counters are reused: a polling UI does not load Limitador. */
        @WithDefault("5s")
        @PositiveDuration
        Duration cacheTtl();

        /** At most this many routes' counters cached. */
        @WithDefault("1000")
        @Positive
        int cacheMaxEntries();
    }

    @Convertible
    interface Models {
        /**
         * How long a decision whether a caller's MaaS identity may use a model (a SubjectAccessReview) is
         * reused by GET /v1/models, allowed or denied. A grant or revocation shows there within this;
         * the gateway itself caches the same decision for 60 s.
         */
        @WithDefault("30s")
        @PositiveDuration
        Duration accessCacheTtl();

        /** At most this many cached (identity, model) decisions; when full, one entry is evicted per new one. */
        @WithDefault("100000")
        @Positive
        int accessCacheMaxEntries();

        /** SubjectAccessReviews in flight at once for GET /v1/models, across all requests of a replica. */
        @WithDefault("16")
        @Positive
        int maxConcurrentReviews();

        /**
         * How long a request waits for the model cache's first list (the first GET /v1/models starts it)
         * before answering 503 with Retry-After; within maas.kubernetes.request-deadline.
         */
        @WithDefault("3s")
        @PositiveDuration
        Duration syncWait();

        /**
         * Keep a Role and RoleBinding per model from its tier annotation ({@code alpha.maas.opendatahub.io/tiers}),
         * written by the leader (the {@code maas.policies.lease-*} Lease). Off by default: needs the RBAC of
         * overlays/model-access.
         */
        @WithDefault("false")
        boolean manageAccess();

        /** How often the leader re-checks every model's Role and RoleBinding (repairs drift and missed events). */
        @WithDefault("5m")
        @PositiveDuration
        Duration accessResyncInterval();
    }

    @Convertible
    interface Kubernetes {
        /**
         * All Kubernetes API work done while answering one request (reviews, reads, writes, the client's
         * retries) ends within this; then the request answers 503 with Retry-After. Room for a first call
         * on a cold JVM (seconds on a busy node), not for an API server that does not answer.
         */
        @WithDefault("10s")
        @PositiveDuration
        Duration requestDeadline();

        /**
         * Requests doing Kubernetes work at once; more get 503 at once, so that requests waiting on a dead
         * API server cannot hold every worker thread (Quarkus has 200).
         */
        @WithDefault("64")
        @Positive
        int maxConcurrentRequests();

        /**
         * Requests of one caller (the reviewed username) doing Kubernetes work at once, within
         * max-concurrent-requests; more of theirs get 429 with Retry-After at once, other callers are not affected.
         */
        @WithDefault("8")
        @Positive
        int maxConcurrentRequestsPerCaller();

        /**
         * TokenReviews of bearer tokens the review cache has not seen, at once: their own share, beside
         * max-concurrent-requests, so that a flood of unknown tokens never delays callers already reviewed.
         * More get 503 with Retry-After at once.
         */
        @WithDefault("16")
        @Positive
        int maxConcurrentReviews();

        /** TokenReviews sent to the API server per second at most (in any rolling second); more get 503 with Retry-After. */
        @WithDefault("100")
        @Positive
        int reviewsPerSecond();
    }

    @Convertible
    interface Http {
        /** Larger request bodies get 413 in the JSON error shape. */
        @WithDefault("64K")
        @PositiveSize
        MemorySize maxBodySize();

        /**
         * A request's body must have arrived this long after its headers; a client still sending (or sending
         * nothing after declaring a body) is disconnected. Headers themselves are bounded by
         * quarkus.http.idle-timeout: a connection that sends nothing that long is closed.
         */
        @WithDefault("30s")
        @PositiveDuration
        Duration bodyTimeout();
    }

    @Convertible
    @ConsistentSettings
    interface Gateway {
        /** The Gateway that protects the models; tier namespaces and the token audience derive from it. */
        @WithDefault("maas-default-gateway")
        @DnsSubdomain
        String name();

        @WithDefault("openshift-ingress")
        @DnsLabel
        String namespace();

        /** Tier namespaces are {@code <prefix><tier>} (MaasIdentity). */
        @WithDefault("${maas.gateway.name}-tier-")
        String tierNamespacePrefix();
    }

    @Convertible
    @ConsistentSettings
    interface Tiers {
        /** Where the tier config comes from: a ConfigMap (in a cluster) or a file (local run). */
        @WithDefault("configmap")
        SourceKind source();

        /** ConfigMap name, key and namespace (namespace defaults to the service's own). */
        @WithDefault("tier-to-group-mapping")
        @DnsSubdomain
        String configMapName();

        Optional<@DnsLabel String> configMapNamespace();

        /** What the API server accepts as a ConfigMap key. */
        @WithDefault("tiers")
        @Pattern(regexp = "[-._a-zA-Z0-9]+", message = "must be a ConfigMap key (letters, digits, '-', '_', '.')")
        @Size(max = 253)
        String configMapKey();

        /** File source: a path to watch; when unset, the bundled default tiers (not watched). */
        Optional<@NonBlank String> file();

        /** How often the file source looks for changes (Quarkus' scheduler runs nothing more often than every second). */
        @WithDefault("1s")
        @PositiveDuration
        Duration filePollInterval();

        /** Answered when no tier matches; unset means 404 (fail closed in the AuthPolicy). */
        Optional<@DnsLabel String> defaultTier();

        /** Input limits of the lookup endpoint. */
        @WithDefault("256")
        @Positive
        int maxGroups();

        @WithDefault("1024")
        @Positive
        int maxGroupLength();
    }

    @Convertible
    interface Identity {
        /** Audiences for the TokenReview of callers' own tokens; empty means the API server's own. */
        Optional<List<@NonBlank String>> audiences();

        /** How long a positive TokenReview is reused (never past the token's own expiry). */
        @WithDefault("30s")
        @PositiveDuration
        Duration reviewCacheTtl();

        /** At most this many cached positive reviews; when full, one entry is evicted per new one. */
        @WithDefault("10000")
        @Positive
        int reviewCacheMaxEntries();

        /**
         * How long a token the API server refused is refused again without a TokenReview. Short, since a
         * refusal can end (a token sent before its not-before time, a login the cluster has not seen yet).
         */
        @WithDefault("5s")
        @PositiveDuration
        Duration negativeCacheTtl();

        /** At most this many remembered refusals (and reviews in flight); its own bound, apart from the positive one. */
        @WithDefault("10000")
        @Positive
        int negativeCacheMaxEntries();
    }

    @Convertible
    @ConsistentSettings
    interface Tokens {
        /** Audience of minted tokens, what the gateway's AuthPolicy reviews (MaasIdentity). */
        @WithDefault("${maas.gateway.name}-sa")
        @NotBlank
        String audience();

        /** Within [min, max]: checked in {@link ConsistentSettings}. */
        @WithDefault("4h")
        Duration defaultExpiration();

        /** The API server refuses a TokenRequest under 10 minutes. */
        @WithDefault("10m")
        @DurationMin(minutes = 10, message = "must be at least 10m: the API server refuses shorter tokens")
        Duration minExpiration();

        @WithDefault("720h")
        Duration maxExpiration();
    }

    /** Named API keys (docs/tokens.md): Secrets in the tier namespace that their tokens are bound to. */
    @Convertible
    @ConsistentSettings
    interface ApiKeys {
        /** Within [min, max]: checked in {@link ConsistentSettings}. */
        @WithDefault("720h")
        Duration defaultExpiration();

        /** The API server refuses a TokenRequest under 10 minutes. */
        @WithDefault("10m")
        @DurationMin(minutes = 10, message = "must be at least 10m: the API server refuses shorter tokens")
        Duration minExpiration();

        @WithDefault("2160h")
        Duration maxExpiration();

        /** Live keys a user may hold at once; one more is a 409. */
        @WithDefault("50")
        @Positive
        int maxPerUser();

        /** An expired key's Secret is deleted this long after its expiry (listed as expired until then). */
        @WithDefault("24h")
        @PositiveDuration
        Duration cleanupGrace();

        /** How often the leader deletes the Secrets of keys expired longer than cleanup-grace ago. */
        @WithDefault("1h")
        @PositiveDuration
        Duration cleanupInterval();
    }

    @Convertible
    @ConsistentSettings
    interface Policies {
        /**
         * Apply the policies rendered from the live tier config with server-side apply, from one replica
         * at a time (Lease leader election). Off by default: the manifests ship the rendered files.
         */
        @WithDefault("false")
        boolean reconcile();

        /** What a request gets when no tier's limit covers it (no tier, or a tier without limits). */
        @WithDefault("deny")
        Unmatched unmatched();

        /** Field manager of the server-side apply; fields it owns are maas-api's. */
        @WithDefault("maas-api")
        @NotBlank
        @Size(max = 128) // the API server's limit for a field manager
        String fieldManager();

        /** The Lease that elects the applying replica, in the service's namespace unless set. */
        @WithDefault("maas-api-policies")
        @DnsSubdomain
        String leaseName();

        Optional<@DnsLabel String> leaseNamespace();

        /** Renew deadline shorter than the duration, retry period shorter than the deadline: {@link ConsistentSettings}. */
        @WithDefault("15s")
        @PositiveDuration
        Duration leaseDuration();

        @WithDefault("10s")
        @PositiveDuration
        Duration leaseRenewDeadline();

        @WithDefault("2s")
        @PositiveDuration
        Duration leaseRetryPeriod();

        /** How often the leader compares the live policies with the rendered ones (drift check). */
        @WithDefault("5m")
        @PositiveDuration
        Duration resyncInterval();

        /**
         * DENY: a limit of 0, so such requests get 429 at once and the gap is visible. MOST_RESTRICTIVE:
         * for every window any tier uses, the smallest limit, on one counter shared by those requests.
         */
        enum Unmatched { DENY, MOST_RESTRICTIVE }
    }

    enum SourceKind { configmap, file }
}
