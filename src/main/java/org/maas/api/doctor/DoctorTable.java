package org.maas.api.doctor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report as a plain table, columns aligned with spaces: what an admin reads from curl. */
final class DoctorTable {

    private DoctorTable() {
    }

    static String of(Doctor.Report report) {
        List<Check> checks = report.checks();
        int check = Math.max("CHECK".length(), checks.stream().mapToInt(c -> c.check().length()).max().orElse(0));
        int status = "UNKNOWN".length();
        int seen = Math.max("SEEN".length(), checks.stream().mapToInt(c -> c.seen().length()).max().orElse(0));
        StringBuilder out = new StringBuilder();
        Map<Check.Status, Integer> counts = new TreeMap<>();
        checks.forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        out.append("doctor: ").append(report.status());
        counts.forEach((s, n) -> out.append(", ").append(n).append(' ').append(s));
        out.append('\n');
        row(out, check, status, seen, "CHECK", "STATUS", "SEEN", "FIX");
        for (Check c : checks) {
            row(out, check, status, seen, c.check(), c.status().name(), c.seen(), c.fix() == null ? "-" : c.fix());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, int check, int status, int seen, String... cells) {
        out.append(pad(cells[0], check)).append("  ").append(pad(cells[1], status)).append("  ")
                .append(pad(cells[2], seen)).append("  ").append(cells[3]).append('\n');
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
