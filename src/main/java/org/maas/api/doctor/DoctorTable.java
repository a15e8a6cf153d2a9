package org.maas.api.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report as a plain table, what an admin reads from curl: CHECK, STATUS, SEEN and FIX, columns aligned with
 * spaces; SEEN and FIX wrap at word boundaries within their columns, so that a long finding stays readable in a
 * terminal and a column still starts at the same place on every line.
 */
final class DoctorTable {

    static final int SEEN_WIDTH = 72;
    static final int FIX_WIDTH = 60;

    private DoctorTable() {
    }

    static String of(Doctor.Report report) {
        List<Check> checks = report.checks();
        int check = Math.max("CHECK".length(), checks.stream().mapToInt(c -> c.check().length()).max().orElse(0));
        int status = "UNKNOWN".length();
        StringBuilder out = new StringBuilder();
        Map<Check.Status, Integer> counts = new TreeMap<>();
        checks.forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        out.append("doctor: ").append(report.status());
        counts.forEach((s, n) -> out.append(", ").append(n).append(' ').append(s));
        out.append('\n');
        row(out, check, status, "CHECK", "STATUS", List.of("SEEN"), List.of("FIX"));
        for (Check c : checks) {
            row(out, check, status, c.check(), c.status().name(), wrap(c.seen(), SEEN_WIDTH),
                    wrap(c.fix() == null ? "-" : c.fix(), FIX_WIDTH));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, int check, int status, String name, String verdict, List<String> seen,
                            List<String> fix) {
        for (int i = 0; i < Math.max(seen.size(), fix.size()); i++) {
            String line = pad(i == 0 ? name : "", check) + "  " + pad(i == 0 ? verdict : "", status) + "  "
                    + pad(i < seen.size() ? seen.get(i) : "", SEEN_WIDTH) + "  " + (i < fix.size() ? fix.get(i) : "");
            out.append(line.stripTrailing()).append('\n');
        }
    }

    /** Lines of at most {@code width} characters, broken at spaces (a longer word gets a line of its own). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
