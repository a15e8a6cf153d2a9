package org.maas.api.manifest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

/** Asserts that every object of a set is valid against the CRDs, reporting all problems at once. */
final class SchemaAssertions {

    private static CrdSchemas schemas;

    private SchemaAssertions() {
    }

    /** The CRDs of the schema directory; skips the calling test (loudly) when the directory is absent. */
    static synchronized CrdSchemas schemas() {
        Path dir = SchemaDir.require();
        if (schemas == null) {
            schemas = new CrdSchemas(dir);
        }
        return schemas;
    }

    static void assertValid(String origin, List<ObjectNode> objects) {
        CrdSchemas crds = schemas();
        Stream<Executable> checks = objects.stream().map(object -> () -> assertEquals(List.of(),
                crds.validate(object), origin + ": " + ManifestFiles.id(object)));
        assertAll(origin, checks);
    }
}
