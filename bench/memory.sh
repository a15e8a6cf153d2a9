#!/usr/bin/env bash
# The memory part of `make bench` (issue 23, docs/performance.md "Memory"): the jar with the deployment's
# JVM options and environment, as its own ServiceAccount with the shipped RBAC, against a real control plane
# on loopback (tools/control-plane), its RSS sampled every second through these phases:
#   idle     BENCH_MEMORY_IDLE s right after start
#   mixed    BENCH_MEMORY_MIXED s: lookups (wrk -t1 -c16) + each user's mint, key create, list and delete,
#            model list, at BENCH_MEMORY_RATE calls/s (bench/memory_load.py)
#   stress   BENCH_MEMORY_STRESS s: lookups at saturation (wrk -t2 -c256) + the same calls + 2,000 idle
#            keep-alive connections
#   flood    BENCH_MEMORY_FLOOD s: GET /v1/models with a new random bearer token each (bench/flood.lua, -c64)
#   settled  BENCH_MEMORY_SETTLE s without load
# Reports each phase's peak and last RSS next to the Deployment's memory request and limit, read from the
# generated manifest; exits non-zero when any peak passes the request (it is `make bench`, not `make test`).
# Results: stdout and bench-results/memory/ (rss.tsv: one sample a second).
set -euo pipefail
cd "$(dirname "$0")/.."

IDLE=${BENCH_MEMORY_IDLE:-10}
MIXED=${BENCH_MEMORY_MIXED:-60}
STRESS=${BENCH_MEMORY_STRESS:-60}
FLOOD=${BENCH_MEMORY_FLOOD:-15}
SETTLE=${BENCH_MEMORY_SETTLE:-20}
RATE=${BENCH_MEMORY_RATE:-5}
IDLE_CONNECTIONS=${BENCH_MEMORY_IDLE_CONNECTIONS:-2000}
APP_PORT=${BENCH_MEMORY_APP_PORT:-18094}
# experiments only: more JVM options after the deployment's (e.g. -XX:NativeMemoryTracking=summary, which
# also makes this script save `jcmd VM.native_memory summary` at the end of each phase)
EXTRA_OPTS=${BENCH_MEMORY_EXTRA_OPTS:-}
read -r -a USERS <<< "${BENCH_MEMORY_USERS:-free-01 free-02 premium-01 premium-02 enterprise-01 enterprise-02}"
OUT=bench-results/memory
STATE=target/bench-memory
PLANE=$STATE/control-plane
JAR=target/quarkus-app/quarkus-run.jar
MANIFEST=target/kubernetes/kubernetes.json

BENCH_NAME=bench-memory
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing wrk curl jq openssl python3
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds first)"
JVM_OPTS="$(deployment_jvm_opts)${EXTRA_OPTS:+ $EXTRA_OPTS}"
require_free_ports "BENCH_MEMORY_APP_PORT" "$APP_PORT"

WORK=$(mktemp -d)
PIDS=()
APP_PID=""
stop_at_exit PIDS APP_PID

rm -rf "$OUT" "$PLANE"
mkdir -p "$OUT" "$STATE"

# the Deployment's memory request and limit, in KiB, from the manifest quarkus-kubernetes generated
kib() { # 192Mi -> 196608
  case $1 in *Mi) echo $(( ${1%Mi} * 1024 )) ;; *Gi) echo $(( ${1%Gi} * 1024 * 1024 )) ;; *Ki) echo "${1%Ki}" ;;
    *) die "unexpected memory quantity $1 in $MANIFEST" ;; esac
}
RESOURCES=$(jq -c '[.[] | select(.kind == "Deployment")][0].spec.template.spec.containers[0].resources' "$MANIFEST")
REQUEST=$(jq -r '.requests.memory' <<< "$RESOURCES")
LIMIT=$(jq -r '.limits.memory' <<< "$RESOURCES")
REQUEST_KIB=$(kib "$REQUEST")
LIMIT_KIB=$(kib "$LIMIT")
# the Deployment's environment beyond JAVA_OPTS_APPEND / GC_CONTAINER_OPTIONS (e.g. MALLOC_ARENA_MAX)
DEPLOYMENT_ENV=$(jq -r '[.[] | select(.kind == "Deployment")][0].spec.template.spec.containers[0].env // []
  | map(select(.value != null and (.name | test("^(JAVA_OPTS_APPEND|GC_CONTAINER_OPTIONS)$") | not)
              and (.name | test("^[A-Z_]+$")) and (.name | startswith("QUARKUS") | not)
              and (.name | startswith("MAAS") | not)))
  | map("\(.name)=\(.value)") | join(" ")' "$MANIFEST")

start_plane_for_maas_api "$PLANE" "$STATE/maas-api.kubeconfig"
: > "$WORK/tokens"
for user in "${USERS[@]}"; do
  token=$(user_token "$PLANE" "$user")
  [ -n "$token" ] || die "no user $user in $PLANE/users.csv (BENCH_MEMORY_USERS)"
  echo "$token" >> "$WORK/tokens"
done

log "the service: JVM options $JVM_OPTS; environment: ${DEPLOYMENT_ENV:-none}"
# shellcheck disable=SC2086 # JVM_OPTS and DEPLOYMENT_ENV are lists
env $DEPLOYMENT_ENV KUBECONFIG="$STATE/maas-api.kubeconfig" java $JVM_OPTS \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
wait_ready "$APP" "$APP_PID" "$OUT/app.log"

# one sample a second: time, phase, VmRSS, VmHWM (KiB), threads
echo idle > "$WORK/phase"
(
  while kill -0 "$APP_PID" 2>/dev/null; do
    awk -v t="$(date +%s)" -v p="$(cat "$WORK/phase")" '/^VmRSS:/{r=$2} /^VmHWM:/{h=$2} /^Threads:/{n=$2}
      END {printf "%s\t%s\t%s\t%s\t%s\n", t, p, r, h, n}' "/proc/$APP_PID/status" 2>/dev/null || true
    sleep 1
  done
) > "$OUT/rss.tsv" &
PIDS+=($!)

phase() { # NAME DESCRIPTION; saves the native memory summary of the phase that ends, when tracking is on
  case $JVM_OPTS in *NativeMemoryTracking*)
    jcmd "$APP_PID" VM.native_memory summary > "$OUT/nmt-$(cat "$WORK/phase").txt" 2>&1 || true ;; esac
  log "phase $1: $2"
  echo "$1" > "$WORK/phase"
}
lookups() { # CONNECTIONS THREADS SECONDS
  BENCH_OUT=/dev/null wrk -t"$2" -c"$1" -d"$3s" --timeout 5s -s bench/lookup.lua "$APP/v1/tiers/lookup" > "$WORK/wrk-$1.txt" 2>&1
}

phase idle "${IDLE}s without load"
sleep "$IDLE"

phase mixed "${MIXED}s: lookups at -c16 and ${RATE} calls/s of mints, keys and model lists (${#USERS[@]} users)"
lookups 16 1 "$MIXED" &
PIDS+=($!)
python3 bench/memory_load.py mixed "$APP" "$WORK/tokens" "$MIXED" "$RATE" > "$OUT/mixed-calls.json"
wait "${PIDS[-1]}"

phase stress "${STRESS}s: lookups at -t2 -c256, the same calls, ${IDLE_CONNECTIONS} idle connections"
python3 bench/memory_load.py idle "$APP_PORT" "$IDLE_CONNECTIONS" "$STRESS" > "$OUT/idle-connections.json" &
PIDS+=($!)
lookups 256 2 "$STRESS" &
PIDS+=($!)
python3 bench/memory_load.py mixed "$APP" "$WORK/tokens" "$STRESS" "$RATE" > "$OUT/stress-calls.json"
wait "${PIDS[-1]}" "${PIDS[-2]}"

phase flood "${FLOOD}s of random bearer tokens (GET /v1/models, -c64)"
BENCH_OUT="$OUT/flood.json" wrk -t1 -c64 -d"${FLOOD}s" --timeout 5s -s bench/flood.lua "$APP/v1/models" > "$WORK/flood.txt" 2>&1

phase settled "${SETTLE}s without load"
sleep "$SETTLE"
phase done "measured"
sleep 1.1
kill -0 "$APP_PID" 2>/dev/null || die "the service is gone; see $OUT/app.log"

jq -Rn --argjson request "$REQUEST_KIB" --argjson limit "$LIMIT_KIB" --arg jvm "$JVM_OPTS" --arg env "$DEPLOYMENT_ENV" \
  --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --arg date "$(date -u +%FT%TZ)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson nproc "$(nproc)" \
  --slurpfile mixed "$OUT/mixed-calls.json" --slurpfile stress "$OUT/stress-calls.json" \
  --slurpfile idle "$OUT/idle-connections.json" --slurpfile flood "$OUT/flood.json" '
  def mib: . / 1024 * 10 | round / 10;
  [inputs | split("\t") | {phase: .[1], rss: (.[2] | tonumber), hwm: (.[3] | tonumber), threads: (.[4] | tonumber)}]
  | map(select(.phase != "done")) as $s |
  ["idle", "mixed", "stress", "flood", "settled"] as $phases |
  ($phases | map(. as $p | $s | map(select(.phase == $p)) |
     {phase: $p, peak_rss_mib: (map(.rss) | max | mib), last_rss_mib: (last.rss | mib),
      threads_max: (map(.threads) | max), samples: length})) as $by |
  ($s | map(.rss) | max) as $peak |
  {date: $date, commit: $commit, nproc: $nproc, loadavg_after: $load, jvm_options: $jvm, environment: $env,
   request_mib: ($request | mib), limit_mib: ($limit | mib),
   phases: $by, peak_rss_mib: ($peak | mib), vmhwm_mib: ($s | last.hwm | mib),
   headroom_of_limit_over_peak_pct: (($limit - $peak) / $peak * 100 | round),
   calls: {mixed: $mixed[0], stress: $stress[0]}, idle_connections: $idle[0], flood: $flood[0],
   peak_under_request: ($peak < $request)}' "$OUT/rss.tsv" > "$OUT/summary.json"

jq -r '"memory (MiB): request \(.request_mib), limit \(.limit_mib); peak \(.peak_rss_mib) (VmHWM \(.vmhwm_mib)), limit headroom over it \(.headroom_of_limit_over_peak_pct)%",
  (.phases[] | "  \(.phase): peak \(.peak_rss_mib), last \(.last_rss_mib), threads up to \(.threads_max)"),
  "  calls: mixed \(.calls.mixed | tostring), stress \(.calls.stress | tostring); idle connections \(.idle_connections | tostring); flood \(.flood | tostring)"' \
  "$OUT/summary.json" | tee "$OUT/summary.txt"
jq -e .peak_under_request "$OUT/summary.json" > /dev/null \
  || die "the peak RSS passed the Deployment's memory request ($REQUEST): see $OUT/summary.json"
log "ok: the peak stayed under the request"
