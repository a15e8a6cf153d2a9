package org.maas.api.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.maas.api.tier.InvalidTierConfigException;
import org.maas.api.tier.Tier;
import org.maas.api.tier.TierConfigParser;

/** The default tier file (src/main/resources/default-tiers.yaml), read by the service's own parser. */
final class Tiers {

    private Tiers() {
    }

    static String defaultFileText() {
        try (InputStream in = Tiers.class.getClassLoader().getResourceAsStream("default-tiers.yaml")) {
            if (in == null) {
                throw new IllegalStateException("default-tiers.yaml is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Tier> defaults() {
        try {
            return new TierConfigParser(DefaultConfig.IDENTITY)
                    .parse(defaultFileText());
        } catch (InvalidTierConfigException e) {
            throw new IllegalStateException("the default tier file is invalid: " + e.getMessage(), e);
        }
    }

    static List<String> defaultNames() {
        return defaults().stream().map(Tier::name).toList();
    }
}
