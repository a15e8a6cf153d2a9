package org.maas.api.tier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.Informers;

/**
 * Starts the configured tier source with the application. The file source's poller is closed here on
 * shutdown; the ConfigMap source's informer belongs to {@link Informers}, which closes it.
 */
@ApplicationScoped
class TierSourceStarter {

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final Instance<KubernetesClient> client;
    private final Informers informers;
    private AutoCloseable source;

    TierSourceStarter(MaasConfig config, TierCatalog catalog, Instance<KubernetesClient> client, Informers informers) {
        this.config = config;
        this.catalog = catalog;
        this.client = client;
        this.informers = informers;
    }

    void start(@Observes StartupEvent event) {
        MaasConfig.Tiers tiers = config.tiers();
        switch (tiers.source()) {
            case file -> {
                if (tiers.file().isPresent()) {
                    source = new FileTierSource(catalog, Path.of(tiers.file().get()), tiers.filePollInterval());
                } else {
                    FileTierSource.loadBundled(catalog);
                }
            }
            case configmap -> {
                String namespace = tiers.configMapNamespace().orElseGet(() -> client.get().getNamespace());
                ConfigMapTierSource.start(catalog, informers, namespace, tiers.configMapName(), tiers.configMapKey());
            }
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (source != null) {
            source.close();
        }
    }
}
