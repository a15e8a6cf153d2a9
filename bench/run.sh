#!/usr/bin/env bash
# `make bench`: the tier lookup against two baselines measured in the same run (docs/performance.md).
#   (a) the same server answering a constant JSON of the same size on /bench/constant
#   (b) Debian's nginx answering that constant JSON on loopback
# Every number comes from wrk on 127.0.0.1; results go to stdout and bench-results/.
# Knobs (environment): BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION, BENCH_ROUNDS, BENCH_WARMUP,
# BENCH_RATE, BENCH_PACED_CONNECTIONS, BENCH_PACED_DURATION, BENCH_NGINX_WORKERS, BENCH_APP_PORT,
# BENCH_NGINX_PORT. The defaults are what docs/performance.md reports.
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
JAR=target/quarkus-app/quarkus-run.jar
LUA=bench/lookup.lua

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools: a fresh Debian machine gets them from apt ---
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds first)"

# --- the deployment's JVM options: one line in application.properties is the single source ---
JVM_OPTS=$(sed -n 's/^quarkus\.kubernetes\.env\.vars\.java-opts-append=//p' src/main/resources/application.properties)
[ -n "$JVM_OPTS" ] || die "quarkus.kubernetes.env.vars.java-opts-append not found in application.properties"

for port in "$APP_PORT" "$NGINX_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use (set BENCH_APP_PORT / BENCH_NGINX_PORT)"
  fi
done

# --- processes and temp files are cleaned up however the script ends ---
WORK=$(mktemp -d)
APP_PID=""
NGINX_PID=""
WRK_PID=""
cleanup() {
  local pid
  for pid in "$WRK_PID" "$APP_PID" "$NGINX_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "$WRK_PID" "$APP_PID" "$NGINX_PID"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

# --- the service: the jar, the deployment's JVM options, bundled tiers, the constant baseline on ---
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
java $JVM_OPTS -Dmaas.tiers.source=file -Dmaas.tiers.benchmark-baseline=true \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$RESULTS/app.log" 2>&1 &
APP_PID=$!

APP=http://127.0.0.1:$APP_PORT
NGX=http://127.0.0.1:$NGINX_PORT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$APP/q/health/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || die "the service exited; see $RESULTS/app.log"
  sleep 0.5
done
curl -fs -o /dev/null "$APP/q/health/ready" || die "the service is not ready after 60 s; see $RESULTS/app.log"
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
snapshot() { # busy ticks of the machine, ticks of the app, nginx and reaped children (wrk, curl)
  local busy ours
  busy=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)
  ours=$(proc_ticks "$APP_PID" "$NGINX_PID" $(cat "/proc/$NGINX_PID/task/"*/children 2>/dev/null || pgrep -P "$NGINX_PID"))
  ours=$((ours + $(sed 's/^.*) //' /proc/$$/stat | awk '{print $14 + $15}')))
  echo "$busy $ours $(date +%s.%N)"
}

# wrk_run LABEL URL SECONDS [RATE [CONNECTIONS]] -> writes $RESULTS/runs/LABEL.json
wrk_run() {
  local label=$1 url=$2 secs=$3 rate=${4:-0} conns=${5:-$CONNECTIONS} before after
  before=$(snapshot)
  BENCH_LABEL=$label BENCH_RATE=$rate BENCH_OUT="$WORK/$label.json" \
    wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$url" > "$WORK/$label.txt" &
  WRK_PID=$!
  wait "$WRK_PID" || die "$label: wrk failed: $(cat "$WORK/$label.txt")"
  WRK_PID=""
  kill -0 "$APP_PID" 2>/dev/null || die "$label: the service is gone (stopped from outside?); see $RESULTS/app.log"
  kill -0 "$NGINX_PID" 2>/dev/null || die "$label: nginx is gone (stopped from outside?)"
  after=$(snapshot)
  # other = machine busy time minus ours, as a share of all cores over the run's wall time
  jq -c --arg before "$before" --arg after "$after" --argjson nproc "$NPROC" --argjson hz "$HZ" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
      ($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a |
      . + {other_cpu_pct: ((((($a[0] - $b[0]) - ($a[1] - $b[1])) / $hz) / (($a[2] - $b[2]) * $nproc) * 100)
                          | if . < 0 then 0 else . end | . * 10 | round / 10),
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
: > "$WORK/tiers.txt"
while IFS= read -r body; do
  curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "$body" "$APP/v1/tiers/lookup" \
    | jq -r .tier >> "$WORK/tiers.txt" || die "lookup failed for $body"
done < "$RESULTS/bodies.txt"
TIER_MIX=$(sort "$WORK/tiers.txt" | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')
BODY_SIZES=$(awk '{n++; s += length($0); if (min == "" || length($0) < min) min = length($0);
  if (length($0) > max) max = length($0)} END {printf "%d..%d bytes, mean %.0f", min, max, s / n}' "$RESULTS/bodies.txt")
first=$(head -1 "$RESULTS/bodies.txt")
a_answer=$(curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "$first" "$APP/bench/constant") \
  || die "/bench/constant does not answer (is maas.tiers.benchmark-baseline on?)"
[ "$a_answer" = "$CONSTANT" ] || die "/bench/constant answered $a_answer"
log "bodies: $(wc -l < "$RESULTS/bodies.txt") of $BODY_SIZES; tiers: $TIER_MIX"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $NPROC cores, load average $LOAD_BEFORE"
log "JVM options: $JVM_OPTS"

# --- warm-up: JIT and pools, both paths of the service; not recorded ---
log "warm-up ${WARMUP}s"
wrk_run warmup-lookup "$APP/v1/tiers/lookup" $((WARMUP * 3 / 4))
wrk_run warmup-constant "$APP/bench/constant" $((WARMUP - WARMUP * 3 / 4))

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
wrk_run paced-nginx "$NGX/v1/tiers/lookup" $((PACED_DURATION * 2 / 3)) "$RATE" "$PACED_CONNECTIONS"

# --- memory of the service after the run ---
VMRSS_KB=$(awk '/^VmRSS:/{print $2}' "/proc/$APP_PID/status")
VMHWM_KB=$(awk '/^VmHWM:/{print $2}' "/proc/$APP_PID/status")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary ---
jq -s --arg jvm "$JVM_OPTS" --argjson nproc "$NPROC" --arg load_before "$LOAD_BEFORE" \
  --arg load_after "$LOAD_AFTER" --argjson rss "$VMRSS_KB" --argjson hwm "$VMHWM_KB" \
  --arg bodies "$BODY_SIZES" --arg tiers "$TIER_MIX" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg wrk "-t$THREADS -c$CONNECTIONS -d${DURATION}s x $ROUNDS rounds" --arg nginx_workers "$NGINX_WORKERS" \
  --arg paced "-t$THREADS -c$PACED_CONNECTIONS -d${PACED_DURATION}s at $RATE req/s" --arg date "$(date -u +%FT%TZ)" '
  def sum_rps($prefix): map(select(.label | startswith($prefix + "-") and (ltrimstr($prefix + "-") | test("^[0-9]+$"))))
    | {requests: (map(.requests) | add), duration_s: (map(.duration_s) | add), rounds: map(.rps)}
    | . + {rps: (.requests / .duration_s | round)};
  def r2: . * 100 | round / 100;
  (sum_rps("lookup")) as $l | (sum_rps("constant")) as $a | (sum_rps("nginx")) as $b |
  (map(select(.label == "paced-lookup"))[0]) as $p | (map(select(.label == "paced-nginx"))[0]) as $pn |
  ([range(0; $l.rounds | length)] | map({a: ($l.rounds[.] / $a.rounds[.]), b: ($l.rounds[.] / $b.rounds[.])})) as $per |
  {
    date: $date, commit: $commit, nproc: $nproc, loadavg_before: $load_before, loadavg_after: $load_after,
    jvm_options: $jvm, nginx_workers: $nginx_workers, throughput_wrk: $wrk, paced_wrk: $paced,
    bodies: $bodies, tiers: $tiers,
    throughput_rps: {lookup: $l.rps, constant_a: $a.rps, nginx_b: $b.rps},
    throughput_rounds_rps: {lookup: $l.rounds, constant_a: $a.rounds, nginx_b: $b.rounds},
    ratio_lookup_a: ($l.rps / $a.rps | r2), ratio_lookup_b: ($l.rps / $b.rps | r2),
    ratio_rounds_a: ($per | map(.a | r2)), ratio_rounds_b: ($per | map(.b | r2)),
    other_cpu_pct_max: (map(select(.label | startswith("warmup") | not) | .other_cpu_pct) | max),
    paced: {rate_target: $p.target_rate, rate_achieved: ($p.rps | round),
            p50_ms: ($p.latency_us.p50 / 1000), p90_ms: ($p.latency_us.p90 / 1000),
            p99_ms: ($p.latency_us.p99 / 1000), p999_ms: ($p.latency_us.p999 / 1000),
            max_ms: ($p.latency_us.max / 1000), late_sends: $p.late_sends, requests: $p.requests,
            other_cpu_pct: $p.other_cpu_pct},
    paced_nginx: {rate_achieved: ($pn.rps | round), p50_ms: ($pn.latency_us.p50 / 1000),
                  p99_ms: ($pn.latency_us.p99 / 1000), late_sends: $pn.late_sends},
    rss_mib: ($rss / 1024 | r2), hwm_mib: ($hwm / 1024 | r2),
    targets: {
      ratio_lookup_a: {target: ">= 0.9", met: ($l.rps / $a.rps >= 0.9)},
      ratio_lookup_b: {target: ">= 0.5", met: ($l.rps / $b.rps >= 0.5)},
      p99_at_rate:    {target: "<= 2 ms at \($p.target_rate) req/s", met: ($p.latency_us.p99 <= 2000)},
      rss:            {target: "<= 160 MiB", met: ($hwm / 1024 <= 160)}
    }
  }' "$RESULTS"/runs/*.json > "$RESULTS/summary.json"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  "metric\tvalue\ttarget\tresult",
  "lookup_rps\t\(.throughput_rps.lookup)\t\t",
  "constant_a_rps\t\(.throughput_rps.constant_a)\t\t",
  "nginx_b_rps\t\(.throughput_rps.nginx_b)\t\t",
  "ratio_lookup_a\t\(.ratio_lookup_a)\t>= 0.9\t\(ok(.targets.ratio_lookup_a))",
  "ratio_lookup_b\t\(.ratio_lookup_b)\t>= 0.5\t\(ok(.targets.ratio_lookup_b))",
  "paced_rate_rps\t\(.paced.rate_achieved)\t\(.paced.rate_target)\t",
  "p50_ms\t\(.paced.p50_ms)\t\t",
  "p99_ms\t\(.paced.p99_ms)\t<= 2\t\(ok(.targets.p99_at_rate))",
  "vmrss_mib\t\(.rss_mib)\t\t",
  "vmhwm_mib\t\(.hwm_mib)\t<= 160\t\(ok(.targets.rss))"
' "$RESULTS/summary.json" > "$RESULTS/summary.tsv"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  "",
  "maas-api tier lookup benchmark  \(.date)  commit \(.commit)",
  "machine: \(.nproc) cores, load average \(.loadavg_before) before, \(.loadavg_after) after;" +
    " other processes used up to \(.other_cpu_pct_max)% of the CPU during a run",
  "JVM options (application.properties java-opts-append): \(.jvm_options)",
  "bodies: \(.bodies); tiers: \(.tiers)",
  "",
  "throughput, wrk \(.throughput_wrk)     req/s   per round",
  "  lookup        POST /v1/tiers/lookup     \(.throughput_rps.lookup)   \(.throughput_rounds_rps.lookup | map(round) | join(" "))",
  "  (a) constant  POST /bench/constant      \(.throughput_rps.constant_a)   \(.throughput_rounds_rps.constant_a | map(round) | join(" "))",
  "  (b) nginx     return 200 (workers \(.nginx_workers))    \(.throughput_rps.nginx_b)   \(.throughput_rounds_rps.nginx_b | map(round) | join(" "))",
  "",
  "target                      value        target       result   per round",
  "  lookup/(a)                \(.ratio_lookup_a)         >= 0.9       \(ok(.targets.ratio_lookup_a))      \(.ratio_rounds_a | join(" "))",
  "  lookup/(b)                \(.ratio_lookup_b)         >= 0.5       \(ok(.targets.ratio_lookup_b))      \(.ratio_rounds_b | join(" "))",
  "  p99 at \(.paced.rate_target) req/s          \(.paced.p99_ms) ms      <= 2 ms      \(ok(.targets.p99_at_rate))",
  "  RSS (VmHWM)               \(.hwm_mib) MiB   <= 160 MiB   \(ok(.targets.rss))      VmRSS \(.rss_mib) MiB",
  "",
  "latency, wrk \(.paced_wrk) (paced with delay(); see docs/performance.md)",
  "  lookup: \(.paced.rate_achieved) req/s achieved, p50 \(.paced.p50_ms) ms, p90 \(.paced.p90_ms) ms, p99 \(.paced.p99_ms) ms," +
    " p99.9 \(.paced.p999_ms) ms, max \(.paced.max_ms) ms, late sends \(.paced.late_sends) of \(.paced.requests)",
  "  nginx, same pacing: \(.paced_nginx.rate_achieved) req/s, p50 \(.paced_nginx.p50_ms) ms, p99 \(.paced_nginx.p99_ms) ms," +
    " late sends \(.paced_nginx.late_sends)",
  "",
  "results: bench-results/summary.json, summary.tsv, runs/*.json"
' "$RESULTS/summary.json" | tee "$RESULTS/summary.txt"
