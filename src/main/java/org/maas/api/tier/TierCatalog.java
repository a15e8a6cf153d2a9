package org.maas.api.tier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.identity.Caller;
import org.maas.api.identity.MaasIdentity;

/**
 * The tier config being served. Sources hand it new config text; a valid one replaces the index in
 * one volatile write, an invalid one is rejected and the last good index keeps serving. Lookups read
 * the volatile field only: no lock, no parsing, no API call on the hot path.
 */
@ApplicationScoped
public class TierCatalog {

    private static final Logger LOG = Logger.getLogger(TierCatalog.class);

    /** The outcome of the latest change a source reported, shown on the readiness data. */
    public record Status(String result, String origin, Instant at, List<String> problems) {
    }

    private final MaasConfig config;
    private final MaasIdentity identity;
    private final TierConfigParser parser;
    private final Counter applied;
    private final Counter rejected;
    private final MeterRegistry registry;
    private final Gauge version;
    private volatile TierIndex current;
    private volatile Status lastChange;
    private String lastText;
    private long versions;
    /** Observers must return quickly: they run under this catalog's lock. */
    private final Event<TierConfigApplied> appliedEvent;

    public TierCatalog(MaasConfig config, MaasIdentity identity, MeterRegistry registry, Event<TierConfigApplied> appliedEvent) {
        this.config = config;
        this.appliedEvent = appliedEvent;
        this.identity = identity;
        this.parser = new TierConfigParser(identity);
        this.registry = registry;
        MeterProvider<Counter> reloads = Counter.builder("maas_tier_config_reloads")
                .description("Tier config changes by result").withRegistry(registry);
        this.applied = reloads.withTags("result", "applied");
        this.rejected = reloads.withTags("result", "rejected");
        this.version = Gauge.builder("maas_tier_config_version", this, c -> c.current == null ? 0 : c.current.version())
                .description("Version of the tier config being served (0: none loaded yet)")
                .register(registry);
    }

    /**
     * A registry can outlive this catalog (a restarted application in one JVM, as the tests do): a gauge left
     * in it would go on reading a catalog nobody serves from, and a new one of the same name would not replace it.
     */
    @PreDestroy
    void unregister() {
        registry.remove(version);
        registry.remove(applied);
        registry.remove(rejected);
    }

    /** The index being served, or null before any good config has loaded. */
    public TierIndex current() {
        return current;
    }

    /** The index being served; 503 until a good config has loaded, so callers never guess. */
    public TierIndex served() {
        TierIndex index = current;
        if (index == null) {
            throw TierMatch.noConfig();
        }
        return index;
    }

    /** Resolves groups against the config being served, default tier included. */
    public TierMatch match(List<String> groups) {
        TierIndex index = current;
        return index == null ? new TierMatch(TierMatch.Outcome.NO_CONFIG, null, groups) : index.match(groups);
    }

    /** The caller's tier match: the one resolution of a caller's tier, against the config being served. */
    public TierMatch match(Caller caller) {
        return match(caller.groups());
    }

    /**
     * The caller's tier (every endpoint that acts in it: models, usage, mint, keys): 503 until a config has
     * loaded, 403 naming their groups when no tier holds any of them.
     */
    public Tier tierOf(Caller caller) {
        return match(caller).requireTier();
    }

    public Status lastChange() {
        return lastChange;
    }

    /** Validates and, if good, serves this config text. Identical text is ignored. */
    public synchronized void apply(String text, String origin) {
        if (current != null && Objects.equals(text, lastText)) {
            return;
        }
        try {
            List<Tier> tiers = parser.parse(text);
            TierIndex index = new TierIndex(versions + 1, origin, tiers,
                    identity, config.tiers().defaultTier());
            versions++;
            current = index;
            lastText = text;
            lastChange = new Status("applied", origin, Instant.now(), List.of());
            applied.increment();
            LOG.infof("tier config version %d applied from %s: tiers %s", index.version(), origin,
                    tiers.stream().map(Tier::name).toList());
            appliedEvent.fire(new TierConfigApplied(index));
        } catch (InvalidTierConfigException e) {
            lastText = null; // a later revert to the last good text must apply again
            lastChange = new Status("rejected", origin, Instant.now(), e.problems());
            rejected.increment();
            LOG.errorf("tier config from %s rejected, %s: %s", origin,
                    current == null ? "no tier config is served yet" : "still serving version " + current.version(),
                    String.join("; ", e.problems()));
        }
    }

    /** The source is gone (e.g. the ConfigMap was deleted): keep serving the last good config, if there is one. */
    public synchronized void sourceRemoved(String origin) {
        lastText = null;
        lastChange = new Status("removed", origin, Instant.now(), List.of(current == null
                ? "the source is gone, and no tier config has been loaded: lookups answer 503 until a valid one appears"
                : "the source is gone; the last good config keeps serving until it returns"));
        LOG.warnf("tier config source %s removed; %s", origin,
                current == null ? "no tier config is served" : "still serving version " + current.version());
    }
}
