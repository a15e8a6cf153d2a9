package org.maas.api.tier;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;
import org.maas.api.kubernetes.Informers;

/**
 * Tier config from a ConfigMap ({@code maas.tiers.source=configmap}), watched with an informer so a change reaches lookups in well under a
 * second. {@link Informers} retries while the API server is unreachable or the ConfigMap is absent; until
 * a good config arrives the catalog stays empty and the service not ready. During an outage lookups keep
 * the last good config, and the list after it brings every change made meanwhile.
 */
@ApplicationScoped
class ConfigMapTierSource {

    private static final Logger LOG = Logger.getLogger(ConfigMapTierSource.class);

    /** Starts the informer (owned, and closed on shutdown, by {@link Informers}). */
    void start(@Observes StartupEvent event, MaasConfig config, TierCatalog catalog, Informers informers,
               Instance<KubernetesClient> client) {
        MaasConfig.Tiers tiers = config.tiers();
        if (tiers.source() != MaasConfig.SourceKind.configmap) {
            return;
        }
        String namespace = tiers.configMapNamespace().orElseGet(() -> client.get().getNamespace());
        String name = tiers.configMapName();
        String key = tiers.configMapKey();
        String where = "configmap " + namespace + "/" + name;
        informers.start(Informers.Spec.gating("tier-config-map",
                "list/watch configmaps in namespace " + namespace + " (name " + name + ")"), kubernetes -> {
            SharedIndexInformer<ConfigMap> informer =
                    kubernetes.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap configMap) {
                    apply(configMap);
                }

                @Override
                public void onUpdate(ConfigMap old, ConfigMap configMap) {
                    apply(configMap);
                }

                @Override
                public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
                    catalog.sourceRemoved(where);
                }

                private void apply(ConfigMap configMap) {
                    String origin = where + " (resourceVersion " + configMap.getMetadata().getResourceVersion() + ")";
                    String text = configMap.getData() == null ? null : configMap.getData().get(key);
                    if (text == null) {
                        text = ""; // rejected by the parser as empty, with the origin in the log
                        LOG.errorf("%s has no key '%s'", where, key);
                    }
                    catalog.apply(text, origin);
                }
            });
            return informer;
        });
        LOG.infof("watching %s key '%s' for the tier config", where, key);
    }
}
