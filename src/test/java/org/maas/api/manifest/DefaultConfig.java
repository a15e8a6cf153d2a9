package org.maas.api.manifest;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.maas.api.config.MaasConfig;
import org.maas.api.identity.MaasIdentity;

/**
 * maas-api's settings as a deployed pod sees them: the production profile of application.properties over
 * the defaults of {@link MaasConfig}, read through the real mapping (so its default methods apply too).
 */
final class DefaultConfig {

    private static final Properties PROPERTIES = load();
    static final MaasConfig MAAS = build();
    static final MaasIdentity IDENTITY = new MaasIdentity(MAAS);

    private DefaultConfig() {
    }

    /** A raw line of application.properties (production profile), e.g. a quarkus.kubernetes.* setting. */
    static String property(String key) {
        return PROPERTIES.getProperty(key);
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = DefaultConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static MaasConfig build() {
        Map<String, String> values = new HashMap<>();
        PROPERTIES.stringPropertyNames().forEach(key -> values.put(key, PROPERTIES.getProperty(key)));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // ${maas.gateway.name} in defaults, as Quarkus expands it
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(values, "application.properties", 250))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(MaasConfig.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(MaasConfig.class);
    }
}
