package org.maas.api.tier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tier config from a file, for runs without a cluster. The file is polled (a cheap stat, then a read
 * when its size, time or inode changed) rather than watched with inotify, because editors replace files by
 * rename and mounted ConfigMaps swap symlinks, both of which inotify watches miss or misreport.
 */
final class FileTierSource implements AutoCloseable {

    static final String BUNDLED = "default-tiers.yaml";
    private static final Logger LOG = Logger.getLogger(FileTierSource.class);

    private final TierCatalog catalog;
    private final Path path;
    private final ScheduledExecutorService poller;
    private long lastModified = -1;
    private long lastSize = -1;
    private Object lastKey;
    private byte[] lastContent;
    private boolean missing;

    FileTierSource(TierCatalog catalog, Path path, Duration interval) {
        this.catalog = catalog;
        this.path = path;
        poll();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tier-file-poller");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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

    private void poll() {
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

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
