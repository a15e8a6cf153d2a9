#!/usr/bin/env bash
# `make bench-flood` (issue 24, finding 2; docs/performance.md "A flood of junk bearer tokens"): the jar with the
# deployment's JVM options, as its own ServiceAccount with the shipped RBAC, against a real control plane on
# loopback (tools/control-plane). For BENCH_FLOOD_SECONDS a flooder sends GET /v1/models with a new random bearer
# token each time (bench/flood.lua, wrk -t1 -cBENCH_FLOOD_CONNECTIONS), while legitimate users mint tokens
# (POST /v1/tokens), spread over the flood, one at a time:
#   cached  BENCH_FLOOD_MINTS/2 users whose review maas-api cached just before the flood (GET /v1/tiers/me;
#           the review cache's 30 s TTL outlasts the flood)
#   cold    BENCH_FLOOD_MINTS/2 users maas-api has never seen: their mint needs a TokenReview during the flood
# Reports, per jar: legitimate mints that succeeded (201), TokenReviews per second that reached the API server
# during the flood (its own apiserver_request_total), and the flooder's request rate and answers (401: refused
# after a review or from the negative cache; 503 / 429: refused by a share, Retry-After).
# BENCH_FLOOD_JARS: "LABEL=PATH ..." (default: this build's jar) run one after the other against the same control
# plane, each in a fresh JVM: e.g. main's jar and this one, so that both sets of figures come from one session.
# Results: stdout and bench-results/flood/ (summary.json, one app log per jar).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_FLOOD=${BENCH_FLOOD_SECONDS:-15}
CONNECTIONS=${BENCH_FLOOD_CONNECTIONS:-256}
MINTS=${BENCH_FLOOD_MINTS:-20}
APP_PORT=${BENCH_FLOOD_APP_PORT:-18095}
read -r -a JARS <<< "${BENCH_FLOOD_JARS:-this=target/quarkus-app/quarkus-run.jar}"
OUT=bench-results/flood
STATE=target/bench-flood
PLANE=$STATE/control-plane

BENCH_NAME=bench-flood
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing wrk curl jq openssl
for spec in "${JARS[@]}"; do
  [ -f "${spec#*=}" ] || die "${spec#*=} missing: run 'make build' (BENCH_FLOOD_JARS=\"LABEL=PATH ...\")"
done
[ $((MINTS % 2)) -eq 0 ] && [ "$MINTS" -le 100 ] || die "BENCH_FLOOD_MINTS must be even and at most 100"
JVM_OPTS=$(deployment_jvm_opts)
require_free_ports "BENCH_FLOOD_APP_PORT" "$APP_PORT"

WORK=$(mktemp -d)
APP_PID=""
PIDS=()
stop_at_exit PIDS APP_PID

rm -rf "$OUT" "$PLANE"
mkdir -p "$OUT" "$STATE"

start_plane_for_maas_api "$PLANE" "$STATE/maas-api.kubeconfig"
APP=http://127.0.0.1:$APP_PORT
HALF=$((MINTS / 2))

reviews_so_far() { # TokenReviews the API server has served (every verb and code)
  api_counts | jq '[to_entries[] | select(.key | test("authentication.k8s.io/tokenreviews$")) | .value] | add // 0'
}

mint() { # TOKEN -> the HTTP status of one mint (000: no answer within 30 s)
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST -H "Authorization: Bearer $1" \
    -H 'Content-Type: application/json' -d '{}' "$APP/v1/tokens" || true
}

run_one() { # LABEL JAR ROUND: one fresh JVM, its own users (ROUND picks them), one flood
  local label=$1 jar=$2 round=$3 i user token before after start end kind
  log "[$label] starting $jar (JVM options $JVM_OPTS)"
  # shellcheck disable=SC2086 # JVM_OPTS is a list
  KUBECONFIG="$STATE/maas-api.kubeconfig" java $JVM_OPTS \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$jar" > "$OUT/app-$label.log" 2>&1 &
  APP_PID=$!
  wait_ready "$APP" "$APP_PID" "$OUT/app-$label.log"

  # users of the free pool no earlier round used: free-01.. for round 0, then the next MINTS
  : > "$WORK/cached" && : > "$WORK/cold"
  for i in $(seq 1 "$MINTS"); do
    user=$(printf 'free-%02d' $((round * MINTS + i)))
    token=$(user_token "$PLANE" "$user")
    [ -n "$token" ] || die "no user $user in $PLANE/users.csv"
    if [ "$i" -le "$HALF" ]; then echo "$token" >> "$WORK/cached"; else echo "$token" >> "$WORK/cold"; fi
  done
  # cached: one call each now, so that maas-api holds their review (and warms the JVM's mint path)
  while read -r token; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $token" "$APP/v1/tiers/me")" = 200 ] \
      || die "[$label] a legitimate user's GET /v1/tiers/me failed before the flood"
  done < "$WORK/cached"

  before=$(reviews_so_far)
  start=$(date +%s.%N)
  BENCH_OUT="$WORK/flood-$label.json" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_FLOOD}s" --timeout 5s \
    -s bench/flood.lua "$APP/v1/models" > "$WORK/wrk-$label.txt" 2>&1 &
  PIDS+=($!)
  # the legitimate mints, alternating cached and cold, each started at its own time over the flood's middle
  # (whatever the others' latency), one from 1 s after the flood starts to 2 s before it ends
  local k=0 offset mint_pids=()
  paste -d' ' "$WORK/cached" "$WORK/cold" | tr ' ' '\n' > "$WORK/order"
  : > "$WORK/mints-$label.txt"
  while read -r token; do
    offset=$(awk -v s="$SECONDS_FLOOD" -v n="$MINTS" -v k="$k" 'BEGIN {printf "%.2f", 1 + k * (s - 3) / (n - 1)}')
    if [ $((k % 2)) -eq 0 ]; then kind=cached; else kind=cold; fi
    (sleep "$offset"; echo "$kind $(mint "$token")" >> "$WORK/mints-$label.txt") &
    mint_pids+=($!)
    k=$((k + 1))
  done < "$WORK/order"
  wait "${PIDS[-1]}"
  end=$(date +%s.%N)
  after=$(reviews_so_far) # the flood's reviews only: a mint still running now is not counted
  wait "${mint_pids[@]}"
  kill -0 "$APP_PID" 2>/dev/null || die "[$label] the service is gone; see $OUT/app-$label.log"
  kill "$APP_PID" && wait "$APP_PID" 2>/dev/null || true
  APP_PID=""

  jq -n --arg run "$label" --arg jar "$jar" --argjson reviews $((after - before)) \
    --argjson seconds "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')" \
    --slurpfile flood "$WORK/flood-$label.json" --rawfile mints "$WORK/mints-$label.txt" '
    ($mints | split("\n") | map(select(length > 0) | split(" ") | {kind: .[0], status: .[1]})) as $m |
    def tally(k): $m | map(select(.kind == k)) | {ok: map(select(.status == "201")) | length, of: length,
      statuses: (group_by(.status) | map({(.[0].status): length}) | add // {})};
    $flood[0] as $f |
    {run: $run, jar: $jar, flood_seconds: $seconds,
     legit_mints: {cached: tally("cached"), cold: tally("cold"),
                   ok: ($m | map(select(.status == "201")) | length), of: ($m | length)},
     token_reviews: $reviews, token_reviews_per_second: ($reviews / $seconds | . * 10 | round / 10),
     flooder: {requests: $f.requests, per_second: ($f.requests / $seconds | round), statuses: $f.statuses,
               rate_503_pct: ((($f.statuses["503"] // 0) / $f.requests * 1000 | round) / 10),
               rate_429_pct: ((($f.statuses["429"] // 0) / $f.requests * 1000 | round) / 10)}}' \
    > "$WORK/result-$label.json"
  jq -r '"[\(.run)] legitimate mints \(.legit_mints.ok)/\(.legit_mints.of) (cached \(.legit_mints.cached.ok)/\(.legit_mints.cached.of) \(.legit_mints.cached.statuses | tostring), cold \(.legit_mints.cold.ok)/\(.legit_mints.cold.of) \(.legit_mints.cold.statuses | tostring)); TokenReviews \(.token_reviews) in \(.flood_seconds) s = \(.token_reviews_per_second)/s; flooder \(.flooder.requests) requests (\(.flooder.per_second)/s): \(.flooder.statuses | tostring), 503 \(.flooder.rate_503_pct)%, 429 \(.flooder.rate_429_pct)%"' \
    "$WORK/result-$label.json" >&2
}

round=0
for spec in "${JARS[@]}"; do
  run_one "${spec%%=*}" "${spec#*=}" "$round"
  round=$((round + 1))
done

jq -s --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --arg date "$(date -u +%FT%TZ)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson nproc "$(nproc)" --arg jvm "$JVM_OPTS" \
  --argjson connections "$CONNECTIONS" \
  '{date: $date, commit: $commit, nproc: $nproc, loadavg_after: $load, jvm_options: $jvm,
    flood_connections: $connections, runs: .}' "$WORK"/result-*.json > "$OUT/summary.json"
jq -r '.runs[] | "\(.run): legitimate mints \(.legit_mints.ok)/\(.legit_mints.of) (cached \(.legit_mints.cached.ok)/\(.legit_mints.cached.of), cold \(.legit_mints.cold.ok)/\(.legit_mints.cold.of)); TokenReviews \(.token_reviews_per_second)/s; flooder \(.flooder.per_second) req/s, 503 \(.flooder.rate_503_pct)%, 429 \(.flooder.rate_429_pct)%"' \
  "$OUT/summary.json" | tee "$OUT/summary.txt"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (the machine is shared)"
