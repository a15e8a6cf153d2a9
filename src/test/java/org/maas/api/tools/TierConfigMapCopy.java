package org.maas.api.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the tier ConfigMap in {@code src/main/kubernetes/kubernetes.yml} equal to the default tier
 * file. Quarkus merges extra manifests only from that folder, so the ConfigMap cannot point at the
 * file; {@code make policies} rewrites its {@code tiers: |} block instead, and a test fails on drift.
 */
final class TierConfigMapCopy {

    static final String MANIFEST = "src/main/kubernetes/kubernetes.yml";
    private static final String KEY_LINE = "  tiers: |";
    private static final String INDENT = "    ";

    private TierConfigMapCopy() {
    }

    /** The manifest with the block under {@code tiers: |} replaced by the tier file, indented. */
    static String sync(String manifest, String tierFile) {
        List<String> lines = List.of(manifest.split("\n", -1));
        int key = lines.indexOf(KEY_LINE);
        if (key < 0) {
            throw new IllegalStateException(MANIFEST + " has no line '" + KEY_LINE + "' in the tier ConfigMap");
        }
        int end = key + 1;
        while (end < lines.size() && (lines.get(end).startsWith(INDENT) || lines.get(end).isEmpty())
                && !(lines.get(end).isEmpty() && end == lines.size() - 1)) {
            end++;
        }
        List<String> out = new ArrayList<>(lines.subList(0, key + 1));
        for (String line : tierFile.stripTrailing().split("\n")) {
            out.add(line.isEmpty() ? "" : INDENT + line);
        }
        out.addAll(lines.subList(end, lines.size()));
        return String.join("\n", out);
    }
}
