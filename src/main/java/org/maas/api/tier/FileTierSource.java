package org.maas.api.tier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.maas.api.config.MaasConfig;

/**
 * Tier config from a file ({@code maas.tiers.source=file}), for runs without a cluster: the file named by
 * {@code maas.tiers.file}, else the bundled default tiers. The file is polled every
 * {@code maas.tiers.file-poll-interval} (a cheap stat, then a read when its size, time or inode changed) rather
 * than watched with inotify, because editors replace files by rename and mounted ConfigMaps swap symlinks, both
 * of which inotify watches miss or misreport.
 */
@ApplicationScoped
class FileTierSource {

    static final String BUNDLED = "default-tiers.yaml";
    private static final Logger LOG = Logger.getLogger(FileTierSource.class);

    private final TierCatalog catalog;
    private final MaasConfig.Tiers config;
    /** The file polled; null when this source is not the one configured, or serves the bundled tiers. */
    private volatile Path path;
    private long lastModified = -1;
    private long lastSize = -1;
    private Object lastKey;
    private byte[] lastContent;
    private boolean missing;

    FileTierSource(TierCatalog catalog, MaasConfig config) {
        this.catalog = catalog;
        this.config = config.tiers();
    }

    /** Serves the file (read once now, so the service starts with it) or the bundled tiers. */
    void start(@Observes StartupEvent event) {
        if (config.source() != MaasConfig.SourceKind.file) {
            return;
        }
        if (config.file().isEmpty()) {
            loadBundled(catalog);
            return;
        }
        path = Path.of(config.file().get());
        poll();
    }

    /** The bundled default tiers; they sit in the jar and never change, so nothing is watched. */
    static void loadBundled(TierCatalog catalog) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + BUNDLED + " is missing from the build");
            }
            catalog.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Scheduled(every = "${maas.tiers.file-poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void poll() {
        Path path = this.path;
        if (path == null) {
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = attributes.fileKey(); // a file replaced by rename is a new inode
            long modified = attributes.lastModifiedTime().toMillis();
            if (modified == lastModified && attributes.size() == lastSize && Objects.equals(key, lastKey) && !missing) {
                return;
            }
            byte[] content = Files.readAllBytes(path);
            lastModified = modified;
            lastSize = attributes.size();
            lastKey = key;
            missing = false;
            if (!Arrays.equals(content, lastContent)) {
                lastContent = content;
                catalog.apply(new String(content, StandardCharsets.UTF_8), "file " + path);
            }
        } catch (NoSuchFileException e) {
            if (!missing) {
                missing = true;
                lastContent = null;
                catalog.sourceRemoved("file " + path);
            }
        } catch (IOException | RuntimeException e) {
            // Keep polling: a file caught mid-write is read again on the next tick.
            LOG.warnf("cannot read tier config file %s: %s", path, e.toString());
        }
    }
}
