package org.maas.api.tier;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import org.maas.api.config.MaasConfig;

/** Starts the configured tier source with the application and closes it on shutdown. */
@ApplicationScoped
class TierSourceStarter {

    private final MaasConfig config;
    private final TierCatalog catalog;
    private final Instance<KubernetesClient> client;
    private AutoCloseable source;

    TierSourceStarter(MaasConfig config, TierCatalog catalog, Instance<KubernetesClient> client) {
        this.config = config;
        this.catalog = catalog;
        this.client = client;
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
                KubernetesClient kubernetes = client.get();
                String namespace = tiers.configMapNamespace().orElseGet(kubernetes::getNamespace);
                source = new ConfigMapTierSource(catalog, kubernetes, namespace, tiers.configMapName(),
                        tiers.configMapKey());
            }
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (source != null) {
            source.close();
        }
    }
}
