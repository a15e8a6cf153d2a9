package org.maas.api.manifest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real CRDs are: env CRD_SCHEMAS_DIR (what .ci/run exports), else env MAAS_SCHEMAS_DIR, else
 * system property crd.schemas.dir (the pom's property of that name, by default ../shared/schemas/crds;
 * not maas.*, which an unknown-property check of the maas @ConfigMapping would reject at Quarkus boot).
 * Without them the schema tests are skipped, loudly; .ci/run refuses to run.
 */
public final class SchemaDir {

    private SchemaDir() {
    }

    public static Path require() {
        String chosen = null;
        StringBuilder tried = new StringBuilder();
        for (String env : new String[] {"CRD_SCHEMAS_DIR", "MAAS_SCHEMAS_DIR"}) {
            String value = System.getenv(env);
            tried.append(env).append('=').append(value).append(", ");
            if (chosen == null && value != null && !value.isBlank()) {
                chosen = value;
            }
        }
        String property = System.getProperty("crd.schemas.dir");
        tried.append("crd.schemas.dir=").append(property);
        if (chosen == null && property != null && !property.isBlank()) {
            chosen = property;
        }
        Path dir = chosen == null ? null : Path.of(chosen);
        if (dir == null || !Files.isDirectory(dir)) {
            String message = "SKIPPED: CRD schemas not found (" + tried + "): the manifests are NOT validated "
                    + "against the real CRDs";
            System.err.println("\n!!!!! " + message + " !!!!!\n");
            assumeTrue(false, message);
        }
        return dir;
    }
}
