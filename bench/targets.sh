#!/usr/bin/env bash
# Issue 23's targets, each next to its figure from the last `make bench` (bench-results/): the end of `make bench`
# prints it, and the table of docs/performance.md's first section is this script's `--markdown` output, with details
# added by hand. It reads the parts' summary.json files only, verdicts included (each part judges its own targets);
# a part that did not run (BENCH_MINT=0 ...) shows "-" and "not run".
set -euo pipefail
cd "$(dirname "$0")/.."
R=bench-results
part() { if [ -f "$1" ]; then cat "$1"; else echo null; fi; }

jq -rn --arg format "${1:---text}" \
  --argjson lookup "$(part $R/summary.json)" --argjson models "$(part $R/models/summary.json)" \
  --argjson usage "$(part $R/models/usage-summary.json)" --argjson memory "$(part $R/memory/summary.json)" \
  --argjson flood "$(part $R/flood/summary.json)" '
  def verdict($ok): if $ok == null then "not run" elif $ok then "met" else "MISSED" end;
  def row($what; $value; $target; $ok): [$what, ($value // "-" | tostring), $target, verdict($ok)];
  def info($what; $value): [$what, ($value // "-" | tostring), "", ""];
  def when($x; f): if $x == null then null else ($x | f) end;
  $lookup.mint as $mint | ($flood.runs // [])[0] as $f |
  [
    row("tier lookup throughput / nginx"; $lookup.ratio_lookup_b; $lookup.targets.ratio_lookup_b.target // "";
        $lookup.targets.ratio_lookup_b.met),
    info("  tier lookup throughput / the same server'"'"'s constant endpoint"; $lookup.ratio_lookup_a),
    info("  tier lookup, nginx (req/s)"; when($lookup; "\(.throughput.lookup.rps), \(.throughput.nginx_b.rps)")),
    row("tier lookup p99 at \($lookup.paced_lookup.rate_target // 5000) req/s (ms)"; $lookup.paced_lookup.p99_ms;
        $lookup.targets.p99_at_rate.target // ""; $lookup.targets.p99_at_rate.met),
    row("mint p50 / direct TokenRequest p50 (-c1)"; $mint.latency_c1.ratio_p50; "<= 2"; $mint.targets.ratio_p50_c1.met),
    row("API calls per warm mint"; when($mint; .api_calls.per_warm_mint * 100 | round / 100);
        "1 (a TokenRequest)"; $mint.targets.api_calls_per_mint.met),
    row("/v1/models, 1,000 models: first request after start"; when($models; "200 after \(.cold.seconds_to_first_200) s, \(.cold.requests) request(s)");
        "no 503"; when($models; .cold.requests == 1)),
    row("/v1/models warm p99, -c1 (ms)"; $models.c1.p99_ms; "<= \($models.targets.p99_ms_c1.target // 5)";
        $models.targets.p99_ms_c1.met),
    info("  /v1/models warm p50 -c1, p99 -c\($models.load.connections // 8) (ms)"; when($models; "\(.c1.p50_ms), \(.load.p99_ms)")),
    info("/v1/usage, 100 models: first answer (s)"; $usage.first.seconds),
    info("/v1/usage warm p50 / p99 -c1 (ms)"; when($usage; "\(.c1.p50_ms) / \(.c1.p99_ms)")),
    info("/v1/usage warm p50 / p99 -c\($usage.load.connections // 8) (ms)"; when($usage; "\(.load.p50_ms) / \(.load.p99_ms)")),
    row("memory: peak RSS under the stress profile (MiB)"; $memory.peak_rss_mib; "< request \($memory.request_mib // "-")";
        $memory.peak_under_request),
    row("memory: the limit'"'"'s headroom over the peak (%)"; $memory.headroom_of_limit_over_peak_pct; ">= 25";
        when($memory; .headroom_of_limit_over_peak_pct >= 25)),
    (row("memory: mixed-load peak (MiB)"; when($memory; .phases[] | select(.phase == "mixed") | .peak_rss_mib); "128 (goal)";
        when($memory; (.phases[] | select(.phase == "mixed") | .peak_rss_mib) <= 128)) | .[3] |= sub("MISSED"; "not reached")),
    info("  memory: idle, stress, flood, settled peaks (MiB)";
         when($memory; [.phases[] | select(.phase != "mixed") | .peak_rss_mib | tostring] | join(", "))),
    info("junk-bearer flood: legitimate mints cached, cold";
         when($f; "\(.legit_mints.cached.ok)/\(.legit_mints.cached.of), \(.legit_mints.cold.ok)/\(.legit_mints.cold.of)"))
  ] as $rows |
  "\($lookup.commit // $memory.commit // "?")" as $commit |
  if $format == "--markdown" then
    "| figure | this run | target | |", "|---|---|---|---|",
    ($rows[] | "| \(.[0] | sub("^  "; "&nbsp;&nbsp;")) | \(.[1]) | \(.[2]) | \(.[3]) |")
  else
    "", "issue 23 targets, commit \($commit) (bench-results/*/summary.json)",
    ($rows[] | "\(.[0] | . + " " * ([0, 62 - length] | max)) \(.[1] | . + " " * ([0, 34 - length] | max)) \(.[2] | . + " " * ([0, 16 - length] | max)) \(.[3])")
  end'
