package org.maas.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kubectl built with the control plane (tools/control-plane/build.sh, the same Kubernetes release), so that
 * the tests build kustomizations exactly as {@code kubectl apply -k} does, with nothing installed by hand.
 */
public final class Kubectl {

    private static Path binary;

    private Kubectl() {
    }

    /** {@code kubectl kustomize dir}: the objects as one YAML stream. */
    public static String kustomize(Path dir) {
        return run(binary().toString(), "kustomize", dir.toString());
    }

    /** The binary; build.sh answers at once when the binaries of its pinned release are cached. */
    static synchronized Path binary() {
        if (binary == null) {
            binary = Path.of(run("tools/control-plane/build.sh").strip()).resolve("kubectl");
        }
        return binary;
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
