package org.maas.api.manifest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real CRDs are: env MAAS_SCHEMAS_DIR, else system property manifest.schemas.dir (the pom's
 * property of that name, by default ../shared/schemas/crds). Without them the schema tests are skipped, loudly; .ci/run refuses to run.
 */
final class SchemaDir {

    private SchemaDir() {
    }

    static Path require() {
        String env = System.getenv("MAAS_SCHEMAS_DIR");
        String property = System.getProperty("manifest.schemas.dir");
        String chosen = env != null && !env.isBlank() ? env : property;
        Path dir = chosen == null || chosen.isBlank() ? null : Path.of(chosen);
        boolean present = dir != null && Files.isDirectory(dir);
        if (!present) {
            String message = "SKIPPED: CRD schemas not found (MAAS_SCHEMAS_DIR=" + env + ", manifest.schemas.dir="
                    + property + "): the manifests are NOT validated against the real CRDs";
            System.err.println("\n!!!!! " + message + " !!!!!\n");
            assumeTrue(false, message);
        }
        return dir;
    }
}
