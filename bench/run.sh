#!/usr/bin/env bash
# `make bench`: the tier lookup against two baselines measured in the same run (docs/performance.md).
#   (a) the same server answering a constant JSON of the same size on /bench/constant
#   (b) Debian's nginx answering that constant JSON on loopback
# Every number comes from wrk on 127.0.0.1; results go to stdout and bench-results/.
# Knobs (environment): BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION, BENCH_ROUNDS, BENCH_WARMUP,
# BENCH_RATE, BENCH_PACED_CONNECTIONS, BENCH_PACED_DURATION, BENCH_NGINX_WORKERS, BENCH_APP_PORT,
# BENCH_NGINX_PORT. The defaults are what docs/performance.md reports.
# Then, in this order: bench/mint.sh, the token-mint benchmark (its knobs are BENCH_MINT_*; BENCH_MINT=0 skips it);
# bench/models.sh, GET /v1/models and /v1/usage (BENCH_MODELS_*; BENCH_MODELS=0 skips it); bench/flood.sh,
# legitimate mints during a junk-bearer flood (BENCH_FLOOD_*; BENCH_FLOOD=0 skips it); bench/memory.sh, the RSS
# under a stress profile (BENCH_MEMORY_*; BENCH_MEMORY=0 skips it; fails when the peak passes the request); and
# last bench/targets.sh, issue 23's targets from all their summaries.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${BENCH_THREADS:-1}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-8}                  # seconds per throughput run
ROUNDS=${BENCH_ROUNDS:-3}                      # lookup, (a), (b) interleaved, this many times
WARMUP=${BENCH_WARMUP:-20}                     # seconds of unrecorded load on the JVM first
RATE=${BENCH_RATE:-5000}                       # fixed rate for the latency run, requests/s
PACED_CONNECTIONS=${BENCH_PACED_CONNECTIONS:-64}
PACED_DURATION=${BENCH_PACED_DURATION:-15}
NGINX_WORKERS=${BENCH_NGINX_WORKERS:-auto}
APP_PORT=${BENCH_APP_PORT:-18080}
NGINX_PORT=${BENCH_NGINX_PORT:-18081}
RESULTS=bench-results
JAR=target/bench-build/quarkus-app/quarkus-run.jar # the bench build: the production jar has no /bench/constant
LUA=bench/lookup.lua
# The targets, in one place (issue 23: lookup >= 0.8 x nginx, p99 at 5,000 req/s under 1 ms); summary.json
# carries them and every printed table reads them from there.
TARGET_RATIO_A=0.9    # lookup / (a) the same server's constant answer
TARGET_RATIO_B=0.8    # lookup / (b) nginx
TARGET_P99_MS=1       # p99 of the lookup at RATE req/s: under this

BENCH_NAME=bench
# shellcheck source=bench/common.sh
. bench/common.sh

# --- tools: a fresh Debian machine gets them from apt ---
install_missing wrk nginx curl jq
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds it with the bench profile)"

JVM_OPTS=$(deployment_jvm_opts)
require_free_ports "BENCH_APP_PORT / BENCH_NGINX_PORT" "$APP_PORT" "$NGINX_PORT"

# --- processes and temp files are cleaned up however the script ends (common.sh) ---
WORK=$(mktemp -d)
APP_PID=""
NGINX_PID=""
WRK_PID=""
stop_at_exit WRK_PID APP_PID NGINX_PID

rm -rf "$RESULTS"
mkdir -p "$RESULTS/runs"

# --- baseline (b): nginx, from a config generated here ---
CONSTANT='{"tier":"premium","displayName":"Premium Tier"}'
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      default_type application/json;
      return 200 '$CONSTANT';
    }
  }
}
EOF
cp "$WORK/nginx/nginx.conf" "$RESULTS/nginx.conf"
"$NGINX" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!

# --- the service: the bench jar (with the constant baseline), the deployment's JVM options, bundled tiers ---
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
java $JVM_OPTS -Dmaas.tiers.source=file \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$RESULTS/app.log" 2>&1 &
APP_PID=$!

APP=http://127.0.0.1:$APP_PORT
NGX=http://127.0.0.1:$NGINX_PORT
wait_ready "$APP" "$APP_PID" "$RESULTS/app.log"
curl -fs -o /dev/null -X POST "$NGX/" || die "nginx does not answer; $(cat "$WORK/nginx/error.log")"

# --- CPU accounting: how much of the machine went to processes other than ours during a run ---
NPROC=$(nproc)
HZ=$(getconf CLK_TCK)
proc_ticks() { # utime+stime of the given pids (and nginx's workers)
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}
snapshot() { # busy ticks of the machine; ticks of the app, of nginx, of reaped children (wrk); time
  local busy app ngx kids
  busy=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)
  app=$(proc_ticks "$APP_PID")
  ngx=$(proc_ticks "$NGINX_PID" $(cat "/proc/$NGINX_PID/task/"*/children 2>/dev/null || pgrep -P "$NGINX_PID"))
  kids=$(sed 's/^.*) //' /proc/$$/stat | awk '{print $14 + $15}')
  echo "$busy $app $ngx $kids $(date +%s.%N)"
}

# wrk_run LABEL URL SECONDS [RATE [CONNECTIONS]] -> writes $RESULTS/runs/LABEL.json
wrk_run() {
  local label=$1 url=$2 secs=$3 rate=${4:-0} conns=${5:-$CONNECTIONS} before after server=app
  case $url in "$NGX"*) server=nginx ;; esac
  before=$(snapshot)
  BENCH_LABEL=$label BENCH_RATE=$rate BENCH_OUT="$WORK/$label.json" \
    wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$url" > "$WORK/$label.txt" &
  WRK_PID=$!
  wait "$WRK_PID" || die "$label: wrk failed: $(cat "$WORK/$label.txt")"
  WRK_PID=""
  kill -0 "$APP_PID" 2>/dev/null || die "$label: the service is gone (stopped from outside?); see $RESULTS/app.log"
  kill -0 "$NGINX_PID" 2>/dev/null || die "$label: nginx is gone (stopped from outside?)"
  after=$(snapshot)
  # other = machine busy time minus ours, as a share of all cores over the run's wall time;
  # cpu_us_per_request = CPU time the server (the service, or nginx) spent per answered request
  jq -c --arg before "$before" --arg after "$after" --argjson nproc "$NPROC" --argjson hz "$HZ" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg server "$server" '
      ($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a |
      [range(0; 4) | ($a[.] - $b[.]) / $hz] as $d | ($a[4] - $b[4]) as $wall |
      def r1: . * 10 | round / 10;
      . + {other_cpu_pct: (($d[0] - $d[1] - $d[2] - $d[3]) / ($wall * $nproc) * 100 | if . < 0 then 0 else . end | r1),
           server_cpu_pct: ((if $server == "nginx" then $d[2] else $d[1] end) / ($wall * $nproc) * 100 | r1),
           wrk_cpu_pct: ($d[3] / ($wall * $nproc) * 100 | r1),
           server_cpu_us_per_request: ((if $server == "nginx" then $d[2] else $d[1] end) * 1e6 / .requests | r1),
           loadavg_after: $load}' \
    "$WORK/$label.json" > "$RESULTS/runs/$label.json"
  local errors
  errors=$(jq '.errors | .connect + .read + .write + .status + .timeout' "$RESULTS/runs/$label.json")
  [ "$errors" = 0 ] || die "$label: wrk saw $errors errors: $(jq -c .errors "$RESULTS/runs/$label.json")"
}

# --- check the bodies: every one answers 200 with a tier, and the constant is the same size ---
log "checking the request bodies"
BENCH_DUMP_BODIES="$RESULTS/bodies.txt" BENCH_OUT=/dev/null \
  wrk -t1 -c1 -d1s -s "$LUA" "$NGX/" > /dev/null
# one curl for all bodies (a curl per body takes half a minute on a busy machine)
sep=""
while IFS= read -r body; do
  printf '%surl = "%s"\nheader = "Content-Type: application/json"\ndata-binary = "%s"\nwrite-out = "\\n"\n' \
    "$sep" "$APP/v1/tiers/lookup" "${body//\"/\\\"}"
  sep=$'next\n'
done < "$RESULTS/bodies.txt" > "$WORK/curl.conf"
curl -fsS -K "$WORK/curl.conf" > "$WORK/answers.txt" || die "a lookup failed; bodies in $RESULTS/bodies.txt"
jq -r .tier "$WORK/answers.txt" > "$WORK/tiers.txt" || die "a lookup answered something other than JSON"
[ "$(grep -c . "$WORK/tiers.txt")" = "$(wc -l < "$RESULTS/bodies.txt")" ] && ! grep -q null "$WORK/tiers.txt" \
  || die "not every body got a tier: $(sort "$WORK/tiers.txt" | uniq -c | tr '\n' ' ')"
TIER_MIX=$(sort "$WORK/tiers.txt" | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')
BODY_SIZES=$(awk '{n++; s += length($0); if (min == "" || length($0) < min) min = length($0);
  if (length($0) > max) max = length($0)} END {printf "%d..%d bytes, mean %.0f", min, max, s / n}' "$RESULTS/bodies.txt")
first=$(head -1 "$RESULTS/bodies.txt")
a_answer=$(curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "$first" "$APP/bench/constant") \
  || die "/bench/constant does not answer (is $JAR the bench build?)"
[ "$a_answer" = "$CONSTANT" ] || die "/bench/constant answered $a_answer"
log "bodies: $(wc -l < "$RESULTS/bodies.txt") of $BODY_SIZES; tiers: $TIER_MIX"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $NPROC cores, load average $LOAD_BEFORE"
log "JVM options: $JVM_OPTS"

# --- warm-up: unrecorded load on both paths of the service until the JIT has settled ---
# (at least BENCH_WARMUP seconds, then 5 s steps until the compiler threads use under 2% of a core,
# at most 40 s more). On a busy 2-core machine C2 can still be compiling after half a minute.
log "warm-up: at least ${WARMUP}s, until the JIT is quiet"
wrk_run warmup-lookup "$APP/v1/tiers/lookup" $((WARMUP * 3 / 4))
wrk_run warmup-constant "$APP/bench/constant" $((WARMUP - WARMUP * 3 / 4))
WARMED=$WARMUP
JIT_PCT=100
for step in $(seq 1 8); do
  before_jit=$(jit_ticks "$APP_PID")
  wrk_run "warmup-$step-lookup" "$APP/v1/tiers/lookup" 3
  wrk_run "warmup-$step-constant" "$APP/bench/constant" 2
  WARMED=$((WARMED + 5))
  JIT_PCT=$(( ($(jit_ticks "$APP_PID") - before_jit) * 100 / (HZ * 5) ))
  [ "$JIT_PCT" -lt 2 ] && break
  log "  JIT still busy: ${JIT_PCT}% of a core over the last 5 s"
done
log "warm-up done after ${WARMED}s (JIT ${JIT_PCT}% of a core in the last 5 s)"

# --- throughput: same threads, connections, duration and bodies for all three, interleaved ---
for round in $(seq 1 "$ROUNDS"); do
  log "throughput round $round/$ROUNDS: -t$THREADS -c$CONNECTIONS ${DURATION}s each"
  wrk_run "lookup-$round" "$APP/v1/tiers/lookup" "$DURATION"
  wrk_run "constant-$round" "$APP/bench/constant" "$DURATION"
  wrk_run "nginx-$round" "$NGX/v1/tiers/lookup" "$DURATION"
done

# --- latency at a fixed rate: the lookup, and nginx paced the same way as the method's floor ---
log "latency at $RATE req/s: -t$THREADS -c$PACED_CONNECTIONS ${PACED_DURATION}s"
wrk_run paced-lookup "$APP/v1/tiers/lookup" "$PACED_DURATION" "$RATE" "$PACED_CONNECTIONS"
wrk_run paced-nginx "$NGX/v1/tiers/lookup" $((PACED_DURATION / 2)) "$RATE" "$PACED_CONNECTIONS"

# --- memory of the service after the run ---
VMRSS_KB=$(awk '/^VmRSS:/{print $2}' "/proc/$APP_PID/status")
VMHWM_KB=$(awk '/^VmHWM:/{print $2}' "/proc/$APP_PID/status")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary ---
jq -s --arg jvm "$JVM_OPTS" --argjson nproc "$NPROC" --arg load_before "$LOAD_BEFORE" \
  --arg load_after "$LOAD_AFTER" --argjson rss "$VMRSS_KB" --argjson hwm "$VMHWM_KB" \
  --arg bodies "$BODY_SIZES" --arg tiers "$TIER_MIX" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg wrk "-t$THREADS -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds" --arg nginx_workers "$NGINX_WORKERS" \
  --argjson warmed "$WARMED" --argjson jit_pct "$JIT_PCT" \
  --argjson target_a "$TARGET_RATIO_A" --argjson target_b "$TARGET_RATIO_B" \
  --argjson target_p99 "$TARGET_P99_MS" \
  --arg paced "-t$THREADS -c$PACED_CONNECTIONS -d${PACED_DURATION}s at $RATE req/s" --arg date "$(date -u +%FT%TZ)" '
  def r2: . * 100 | round / 100;
  def runs($prefix): map(select(.label | test("^" + $prefix + "-[0-9]+$")));
  def agg: {rps: ((map(.requests) | add) / (map(.duration_s) | add) | round), rounds: map(.rps | round),
            cpu_us_per_request: ((map(.server_cpu_us_per_request * .requests) | add) / (map(.requests) | add) | r2),
            other_cpu_pct: map(.other_cpu_pct)};
  def paced: {rate_target: .target_rate, rate_achieved: (.rps | round), requests,
              p50_ms: (.latency_us.p50 / 1000), p90_ms: (.latency_us.p90 / 1000), p99_ms: (.latency_us.p99 / 1000),
              p999_ms: (.latency_us.p999 / 1000), max_ms: (.latency_us.max / 1000), late_sends,
              server_cpu_us_per_request, other_cpu_pct};
  (runs("lookup") | agg) as $l | (runs("constant") | agg) as $a | (runs("nginx") | agg) as $b |
  (map(select(.label == "paced-lookup"))[0] | paced) as $p | (map(select(.label == "paced-nginx"))[0] | paced) as $pn |
  {
    date: $date, commit: $commit, nproc: $nproc, loadavg_before: $load_before, loadavg_after: $load_after,
    other_cpu_pct_max: (map(select(.label | startswith("warmup") | not) | .other_cpu_pct) | max),
    warmup_s: $warmed, jit_pct_last_warmup_step: $jit_pct,
    jvm_options: $jvm, nginx_workers: $nginx_workers, throughput_wrk: $wrk, paced_wrk: $paced,
    bodies: $bodies, tiers: $tiers,
    throughput: {lookup: $l, constant_a: $a, nginx_b: $b},
    ratio_lookup_a: ($l.rps / $a.rps | r2), ratio_lookup_b: ($l.rps / $b.rps | r2),
    ratio_rounds_a: [range(0; $l.rounds | length) | $l.rounds[.] / $a.rounds[.] | r2],
    ratio_rounds_b: [range(0; $l.rounds | length) | $l.rounds[.] / $b.rounds[.] | r2],
    paced_lookup: $p, paced_nginx: $pn,
    vmrss_mib: ($rss / 1024 | r2), vmhwm_mib: ($hwm / 1024 | r2),
    targets: {
      ratio_lookup_a: {target: ">= \($target_a)", met: ($l.rps / $a.rps >= $target_a)},
      ratio_lookup_b: {target: ">= \($target_b)", met: ($l.rps / $b.rps >= $target_b)},
      p99_at_rate: {target: "< \($target_p99)", met: ($p.p99_ms < $target_p99)}
    }
  }' "$RESULTS"/runs/*.json > "$RESULTS/summary.json"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  ["metric", "value", "target", "result"],
  ["lookup_rps", .throughput.lookup.rps, "", ""],
  ["constant_a_rps", .throughput.constant_a.rps, "", ""],
  ["nginx_b_rps", .throughput.nginx_b.rps, "", ""],
  ["ratio_lookup_a", .ratio_lookup_a, .targets.ratio_lookup_a.target, ok(.targets.ratio_lookup_a)],
  ["ratio_lookup_b", .ratio_lookup_b, .targets.ratio_lookup_b.target, ok(.targets.ratio_lookup_b)],
  ["paced_rate_rps", .paced_lookup.rate_achieved, .paced_lookup.rate_target, ""],
  ["p50_ms", .paced_lookup.p50_ms, "", ""],
  ["p99_ms", .paced_lookup.p99_ms, .targets.p99_at_rate.target, ok(.targets.p99_at_rate)],
  ["vmrss_mib", .vmrss_mib, "", ""],
  ["vmhwm_mib", .vmhwm_mib, "", ""],
  ["other_cpu_pct_max", .other_cpu_pct_max, "", ""]
  | @tsv
' "$RESULTS/summary.json" > "$RESULTS/summary.tsv"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  def pad($n): tostring | if length < $n then . + (" " * ($n - length)) else . end;
  def row($cells; $widths): [range(0; $cells | length) as $i | $cells[$i] | pad($widths[$i])] | join(" ") | sub(" +$"; "");
  [24, 10, 12, 8] as $w |
  [37, 9, 11, 24] as $t |
  "",
  "maas-api tier lookup benchmark, \(.date), commit \(.commit)",
  "machine: \(.nproc) cores; load average \(.loadavg_before) before, \(.loadavg_after) after;" +
    " other processes took up to \(.other_cpu_pct_max)% of all CPU during a measured run",
  "JVM options (gc-container-options + java-opts-append in application.properties): \(.jvm_options)",
  "bodies: \(.bodies); tiers: \(.tiers)",
  "warm-up: \(.warmup_s) s of load before measuring (JIT at \(.jit_pct_last_warmup_step)% of a core in its last 5 s)",
  "",
  "throughput, wrk \(.throughput_wrk), same bodies for all three",
  row(["target", "req/s", "us CPU/req", "per round (req/s)"]; $t),
  row(["lookup        POST /v1/tiers/lookup", .throughput.lookup.rps, .throughput.lookup.cpu_us_per_request,
       (.throughput.lookup.rounds | join(" "))]; $t),
  row(["(a) constant  POST /bench/constant", .throughput.constant_a.rps, .throughput.constant_a.cpu_us_per_request,
       (.throughput.constant_a.rounds | join(" "))]; $t),
  row(["(b) nginx     workers \(.nginx_workers)", .throughput.nginx_b.rps, .throughput.nginx_b.cpu_us_per_request,
       (.throughput.nginx_b.rounds | join(" "))]; $t),
  "",
  "latency at a fixed rate, wrk \(.paced_wrk), paced with delay() (docs/performance.md)",
  "  lookup: \(.paced_lookup.rate_achieved) req/s; p50 \(.paced_lookup.p50_ms) ms, p90 \(.paced_lookup.p90_ms) ms," +
    " p99 \(.paced_lookup.p99_ms) ms, p99.9 \(.paced_lookup.p999_ms) ms, max \(.paced_lookup.max_ms) ms;" +
    " late sends \(.paced_lookup.late_sends) of \(.paced_lookup.requests)",
  "  nginx:  \(.paced_nginx.rate_achieved) req/s; p50 \(.paced_nginx.p50_ms) ms, p99 \(.paced_nginx.p99_ms) ms;" +
    " late sends \(.paced_nginx.late_sends) of \(.paced_nginx.requests)",
  "",
  row(["target", "value", "goal", "result", "per round / detail"]; $w + [0]),
  row(["lookup/(a) throughput", .ratio_lookup_a, .targets.ratio_lookup_a.target, ok(.targets.ratio_lookup_a),
       (.ratio_rounds_a | join(" "))]; $w + [0]),
  row(["lookup/(b) throughput", .ratio_lookup_b, .targets.ratio_lookup_b.target, ok(.targets.ratio_lookup_b),
       (.ratio_rounds_b | join(" "))]; $w + [0]),
  row(["p99 at \(.paced_lookup.rate_target) req/s (ms)", .paced_lookup.p99_ms, .targets.p99_at_rate.target,
       ok(.targets.p99_at_rate), "p50 \(.paced_lookup.p50_ms) ms"]; $w + [0]),
  row(["RSS after the run (MiB)", .vmrss_mib, "", "", "VmHWM \(.vmhwm_mib) MiB (the memory part has the target)"]; $w + [0]),
  "",
  "results: bench-results/summary.txt, summary.tsv, summary.json, runs/*.json"
' "$RESULTS/summary.json" | tee "$RESULTS/summary.txt"

# --- the token-mint benchmark (issue 3), with the lookup's processes stopped; appends to the summary ---
if [ "${BENCH_MINT:-1}" = 1 ]; then
  bench_cleanup # the lookup's processes stop before the next part starts
  APP_PID=""
  NGINX_PID=""
  BENCH_MINT_APPEND=1 bench/mint.sh
fi

# --- the GET /v1/models benchmark (issue 10); BENCH_MODELS=0 skips it; appends its summary ---
if [ "${BENCH_MODELS:-1}" = 1 ]; then
  bench_cleanup # the lookup's processes stop before the next part starts
  APP_PID=""
  NGINX_PID=""
  bench/models.sh
  cat bench-results/models/summary.txt >> "$RESULTS/summary.txt"
fi

# --- the junk-bearer flood (issue 24): legitimate mints, TokenReviews/s, the flooder's refusals; BENCH_FLOOD=0
# skips it; appends its summary ---
if [ "${BENCH_FLOOD:-1}" = 1 ]; then
  bench_cleanup # the lookup's processes stop before the next part starts
  APP_PID=""
  NGINX_PID=""
  bench/flood.sh
  cat bench-results/flood/summary.txt >> "$RESULTS/summary.txt"
fi

# --- the memory part (issue 23): the stress profile against the jar; BENCH_MEMORY=0 skips it. It runs last
# and fails `make bench` when the peak RSS passes the Deployment's memory request ---
if [ "${BENCH_MEMORY:-1}" = 1 ]; then
  bench_cleanup # the lookup's processes stop before the next part starts
  APP_PID=""
  NGINX_PID=""
  memory_status=0
  bench/memory.sh || memory_status=$?
  [ -f bench-results/memory/summary.txt ] && cat bench-results/memory/summary.txt >> "$RESULTS/summary.txt"
fi

# --- every part's figure next to issue 23's target, also when the memory part failed ---
bench/targets.sh | tee -a "$RESULTS/summary.txt"
exit "${memory_status:-0}"
