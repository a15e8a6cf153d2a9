package org.maas.api.tier;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;
import org.maas.api.kubernetes.Informers;

/**
 * Tier config from a ConfigMap, watched with an informer so a change reaches lookups in well under a
 * second. {@link Informers} retries while the API server is unreachable or the ConfigMap is absent; until
 * a good config arrives the catalog stays empty and the service not ready. During an outage lookups keep
 * the last good config, and the list after it brings every change made meanwhile.
 */
final class ConfigMapTierSource {

    private static final Logger LOG = Logger.getLogger(ConfigMapTierSource.class);

    private ConfigMapTierSource() {
    }

    static void start(TierCatalog catalog, Informers informers, String namespace, String name, String key) {
        String where = "configmap " + namespace + "/" + name;
        informers.start(Informers.Spec.gating("tier-config-map",
                "list/watch configmaps in namespace " + namespace + " (name " + name + ")"), client -> {
            SharedIndexInformer<ConfigMap> informer =
                    client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
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
