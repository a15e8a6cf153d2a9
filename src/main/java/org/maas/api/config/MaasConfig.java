package org.maas.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All of maas-api's own settings. Every key can be overridden by an environment variable
 * (e.g. {@code maas.tiers.default-tier} as {@code MAAS_TIERS_DEFAULT_TIER}).
 */
@ConfigMapping(prefix = "maas")
public interface MaasConfig {

    Gateway gateway();

    Tiers tiers();

    Http http();

    Identity identity();

    Tokens tokens();

    Policies policies();

    Kubernetes kubernetes();

    interface Kubernetes {
        /**
         * All Kubernetes API work done while answering one request (reviews, reads, writes, the client's
         * retries) ends within this; then the request answers 503 with Retry-After. Room for a first call
         * on a cold JVM (seconds on a busy node), not for an API server that does not answer.
         */
        @WithDefault("10s")
        Duration requestDeadline();

        /**
         * Requests doing Kubernetes work at once; more get 503 at once, so that requests waiting on a dead
         * API server cannot hold every worker thread (Quarkus has 200).
         */
        @WithDefault("64")
        int maxConcurrentRequests();
    }

    interface Http {
        /** Larger request bodies get 413 in the JSON error shape. */
        @WithDefault("64K")
        MemorySize maxBodySize();
    }

    interface Gateway {
        /** The Gateway that protects the models; tier namespaces and the token audience derive from it. */
        @WithDefault("maas-default-gateway")
        String name();

        @WithDefault("openshift-ingress")
        String namespace();

        /** Tier namespaces are {@code <prefix><tier>}; by default {@code <gateway-name>-tier-}. */
        Optional<String> tierNamespacePrefix();

        default String tierNamespacePrefixOrDefault() {
            return tierNamespacePrefix().orElse(name() + "-tier-");
        }
    }

    interface Tiers {
        /** Where the tier config comes from: a ConfigMap (in a cluster) or a file (local run). */
        @WithDefault("configmap")
        SourceKind source();

        /** ConfigMap name, key and namespace (namespace defaults to the service's own). */
        @WithDefault("tier-to-group-mapping")
        String configMapName();

        Optional<String> configMapNamespace();

        @WithDefault("tiers")
        String configMapKey();

        /** File source: a path to watch; when unset, the bundled default tiers (not watched). */
        Optional<String> file();

        /** How often the file source looks for changes. */
        @WithDefault("500ms")
        Duration filePollInterval();

        /** Answered when no tier matches; unset means 404 (fail closed in the AuthPolicy). */
        Optional<String> defaultTier();

        /** Input limits of the lookup endpoint. */
        @WithDefault("256")
        int maxGroups();

        @WithDefault("1024")
        int maxGroupLength();

        /** Lets the benchmark compare the lookup with a constant answer of the same size. */
        @WithDefault("false")
        boolean benchmarkBaseline();
    }

    interface Identity {
        /** Audiences for the TokenReview of callers' own tokens; empty means the API server's own. */
        Optional<List<String>> audiences();

        /** How long a positive TokenReview is reused (never past the token's own expiry). */
        @WithDefault("30s")
        Duration reviewCacheTtl();

        /** At most this many cached reviews (about 300 bytes each); when full, the cache starts over. */
        @WithDefault("10000")
        int reviewCacheMaxEntries();
    }

    interface Tokens {
        /** Audience of minted tokens; by default {@code <gateway-name>-sa}, what the AuthPolicy reviews. */
        Optional<String> audience();

        default String audienceOrDefault(Gateway gateway) {
            return audience().orElse(gateway.name() + "-sa");
        }

        @WithDefault("4h")
        Duration defaultExpiration();

        @WithDefault("10m")
        Duration minExpiration();

        @WithDefault("720h")
        Duration maxExpiration();
    }

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
        String fieldManager();

        /** The Lease that elects the applying replica, in the service's namespace unless set. */
        @WithDefault("maas-api-policies")
        String leaseName();

        Optional<String> leaseNamespace();

        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration leaseRenewDeadline();

        @WithDefault("2s")
        Duration leaseRetryPeriod();

        /** How often the leader compares the live policies with the rendered ones (drift check). */
        @WithDefault("5m")
        Duration resyncInterval();

        /**
         * DENY: a limit of 0, so such requests get 429 at once and the gap is visible. MOST_RESTRICTIVE:
         * for every window any tier uses, the smallest limit, on one counter shared by those requests.
         */
        enum Unmatched { DENY, MOST_RESTRICTIVE }
    }

    enum SourceKind { configmap, file }
}
