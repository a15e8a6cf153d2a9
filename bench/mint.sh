#!/usr/bin/env bash
# The token-mint benchmark (issues 3, 19 and 23), the second part of `make bench` (docs/performance.md,
# "Token mint").
#   A real Kubernetes control plane on loopback (tools/control-plane: etcd, kube-apiserver,
#   kube-controller-manager) in target/bench-mint/control-plane, seeded with maas-api's shipped manifests
#   (target/kubernetes/kubernetes.json: namespace, ServiceAccount, tier ConfigMap, RBAC). maas-api (the jar,
#   the deployment's JVM options) runs beside it as its own ServiceAccount maas-api/maas-api (a TokenRequest
#   token in a kubeconfig), and mints tokens with POST /v1/tokens for users of the API server's static token
#   file who already have their ServiceAccount (the warm path).
#   Baseline in the same run: the same TokenRequests (same ServiceAccounts, same body) sent straight to the
#   same kube-apiserver with maas-api's own token.
# Reports p50/p99 of both and the ratio mint/direct, and the API requests per mint as kube-apiserver counts
# them (apiserver_request_total on /metrics, read with the admin certificate before and after each run).
# Results: stdout and bench-results/mint/.
# Knobs (environment): BENCH_MINT_DURATION (s per run), BENCH_MINT_ROUNDS, BENCH_MINT_WARMUP (s),
# BENCH_MINT_WARMUP_STEPS, BENCH_MINT_CONNECTIONS (the loaded runs; the latency runs use 1), BENCH_MINT_APP_PORT, BENCH_MINT_USERS
# (names from the control plane's users.csv). BENCH_MINT_APPEND=1 (set by bench/run.sh) also adds the
# figures to bench-results/summary.{txt,tsv,json} of the lookup benchmark that just ran.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_MINT_DURATION:-5}
ROUNDS=${BENCH_MINT_ROUNDS:-3}
WARMUP=${BENCH_MINT_WARMUP:-90}               # s of mints before measuring (then 5 s of direct TokenRequests)
WARMUP_STEPS=${BENCH_MINT_WARMUP_STEPS:-8}     # at most this many 5 s steps more, until the JIT is quiet
CONNECTIONS=${BENCH_MINT_CONNECTIONS:-8}
APP_PORT=${BENCH_MINT_APP_PORT:-18090}
# users who already have a ServiceAccount when the measurement starts: two per tier of the shipped tier
# ConfigMap (free: everyone; premium-users; enterprise-users), from tools/control-plane's static users
read -r -a USERS <<< "${BENCH_MINT_USERS:-free-01 free-02 premium-01 premium-02 enterprise-01 enterprise-02}"
RESULTS=bench-results
OUT=$RESULTS/mint
STATE=target/bench-mint
PLANE=$STATE/control-plane
JAR=target/quarkus-app/quarkus-run.jar
LUA=bench/mint.lua
MINT_BODY='{"expiration": "1h"}'
REVIEW_TTL_S=30 # maas.identity.review-cache-ttl (default): each user's TokenReview is redone this often
# the TokenRequest maas-api sends for that body (ServiceAccountStore.requestToken: the gateway's audience)
DIRECT_BODY='{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["maas-default-gateway-sa"],"expirationSeconds":3600}}'

BENCH_NAME=bench-mint
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing wrk curl jq openssl
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds first)"
JVM_OPTS=$(deployment_jvm_opts)
require_free_ports "BENCH_MINT_APP_PORT" "$APP_PORT"

WORK=$(mktemp -d)
APP_PID=""
WRK_PID=""
stop_at_exit WRK_PID APP_PID

rm -rf "$OUT"
mkdir -p "$OUT/runs" "$PLANE"
START=$(date +%s)

# --- the control plane (its own directory; logs stay in target/bench-mint/control-plane), seeded with the
# shipped manifests; maas-api authenticates as its own ServiceAccount, with exactly the RBAC it ships ---
KUBECONFIG_FILE=$STATE/maas-api.kubeconfig
start_plane_for_maas_api "$PLANE" "$KUBECONFIG_FILE"
PLANE_READY_S=$(( $(date +%s) - START ))
KUBE_VERSION=$("$KUBE_BIN/kube-apiserver" --version | awk '{print $2}')

# what a delta of api_counts is made of: the TokenRequests and TokenReviews, other requests on what the mint
# path touches (ServiceAccounts, namespaces, Secrets, SubjectAccessReviews), and everything else
API_CLASSES='
  def delta($b; $a): $a | to_entries | map(.value -= ($b[.key] // 0)) | map(select(.value != 0)) | from_entries;
  def classify: to_entries | reduce .[] as $e ({token_requests: 0, token_reviews: 0, mint_path_other: 0, background: 0};
    if $e.key == "POST core/serviceaccounts/token" then .token_requests += $e.value
    elif $e.key == "POST authentication.k8s.io/tokenreviews" then .token_reviews += $e.value
    elif ($e.key | test(" (core/(serviceaccounts|namespaces|secrets)|authorization\\.k8s\\.io/subjectaccessreviews)"))
      then .mint_path_other += $e.value
    else .background += $e.value end);'

# --- the service: the jar, the deployment's JVM options, the shipped tier ConfigMap (default tier source) ---
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
KUBECONFIG=$KUBECONFIG_FILE java $JVM_OPTS \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
wait_ready "$APP" "$APP_PID" "$OUT/app.log"
minted() { # successful mints the service counted (including answers wrk dropped when it stopped)
  curl -fsS --max-time 10 "$APP/q/metrics" | awk '/^maas_tokens_minted_total[{]/ && /outcome="success"/ {s += $NF} END {printf "%d", s}'
}

# --- first mint per user (creates the tier namespaces and ServiceAccounts), then wait for repeat mints ---
# every line: path, bearer, content type, body (bench/mint.lua)
: > "$WORK/mint.requests"
for user in "${USERS[@]}"; do
  token=$(user_token "$PLANE" "$user")
  [ -n "$token" ] || die "no user $user in $PLANE/users.csv (BENCH_MINT_USERS)"
  printf '/v1/tokens\t%s\tapplication/json\t%s\n' "$token" "$MINT_BODY" >> "$WORK/mint.requests"
done
mint_all() { # one mint per user with curl; prints namespace<TAB>ServiceAccount of each minted token
  local path bearer ctype body code
  while IFS=$'\t' read -r path bearer ctype body; do
    code=$(curl -sS --max-time 15 -o "$WORK/answer.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $bearer" \
      -H "Content-Type: $ctype" --data-binary "$body" "$APP$path") || die "curl failed"
    [ "$code" = 201 ] || die "a mint answered $code: $(cat "$WORK/answer.json")"
    jq -r .token "$WORK/answer.json" | jwt_claims | jq -r '.["kubernetes.io"] | [.namespace, .serviceaccount.name] | @tsv'
  done < "$WORK/mint.requests"
}
log "first mints for ${#USERS[@]} users (${USERS[*]})"
mint_all > "$WORK/accounts.tsv"
TIER_NAMESPACES=$(cut -f1 "$WORK/accounts.tsv" | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')
log "tokens minted in: $TIER_NAMESPACES"
# the baseline: a TokenRequest for each of these ServiceAccounts, as maas-api sends it, with maas-api's token
awk -F'\t' -v bearer="$SA_TOKEN" -v body="$DIRECT_BODY" \
  '{printf "/api/v1/namespaces/%s/serviceaccounts/%s/token\t%s\tapplication/json\t%s\n", $1, $2, bearer, body}' \
  "$WORK/accounts.tsv" > "$WORK/direct.requests"
cut -f1 "$WORK/direct.requests" > "$OUT/tokenrequest-paths.txt"
printf '%s\n' "$DIRECT_BODY" > "$OUT/tokenrequest-body.json"
# a repeat mint is one API call once the informers have synced and the reviews are cached
STEADY=false
for _ in $(seq 1 20); do
  before=$(api_counts)
  mint_all > /dev/null
  after=$(api_counts)
  calls=$(jq -n --argjson b "$before" --argjson a "$after" "$API_CLASSES"' delta($b; $a) | classify
    | .token_requests + .token_reviews + .mint_path_other')
  if [ "$calls" = "${#USERS[@]}" ]; then STEADY=true; break; fi
  sleep 0.5
done
$STEADY || log "warning: repeat mints still cost more than one API call each ($calls for ${#USERS[@]} mints)"

# --- CPU accounting, as in bench/run.sh ---
NPROC=$(nproc)
HZ=$(getconf CLK_TCK)
ticks() { [ -r "/proc/$1/stat" ] && sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}' || echo 0; }
snapshot() { # machine busy ticks, service, kube-apiserver, etcd + controller manager, reaped children (wrk),
  # the service's JIT compiler threads, time
  echo "$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat) $(ticks "$APP_PID") $(ticks "$APISERVER_PID")" \
    "$(( $(ticks "$ETCD_PID") + $(ticks "$KCM_PID") ))" "$(sed 's/^.*) //' /proc/$$/stat | awk '{print $14 + $15}')" \
    "$(jit_ticks "$APP_PID") $(date +%s.%N)"
}

# wrk_run LABEL TARGET(mint|direct) CONNECTIONS SECONDS -> $OUT/runs/LABEL.json
wrk_run() {
  local label=$1 target=$2 conns=$3 secs=$4 url=$APP c_before c_after m_before m_after before after
  [ "$target" = direct ] && url=$KUBE_API
  m_before=$(minted)
  c_before=$(api_counts)
  before=$(snapshot)
  BENCH_LABEL=$label BENCH_REQUESTS="$WORK/$target.requests" BENCH_OUT="$WORK/$label.json" \
    wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$url" > "$WORK/$label.txt" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || die "$label: wrk failed: $(cat "$WORK/$label.txt")"
  WRK_PID=""
  after=$(snapshot)
  sleep 0.3 # requests in flight when wrk stopped still reach the API server
  c_after=$(api_counts)
  m_after=$(minted)
  kill -0 "$APP_PID" 2>/dev/null || die "$label: the service is gone; see $OUT/app.log"
  kill -0 "$APISERVER_PID" 2>/dev/null || die "$label: kube-apiserver is gone; see $PLANE/kube-apiserver.log"
  jq -c --arg before "$before" --arg after "$after" --argjson cb "$c_before" --argjson ca "$c_after" \
    --argjson minted "$((m_after - m_before))" \
    --argjson nproc "$NPROC" --argjson hz "$HZ" --arg target "$target" --argjson conns "$conns" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" "$API_CLASSES"'
      ($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a |
      [range(0; 6) | ($a[.] - $b[.]) / $hz] as $d | ($a[6] - $b[6]) as $wall |
      def r1: . * 10 | round / 10;
      delta($cb; $ca) as $api |
      . + {target: $target, connections: $conns, service_mints: $minted,
           api: ($api | classify), api_requests: $api,
           other_cpu_pct: (($d[0] - $d[1] - $d[2] - $d[3] - $d[4]) / ($wall * $nproc) * 100 | if . < 0 then 0 else . end | r1),
           service_cpu_pct: ($d[1] / ($wall * $nproc) * 100 | r1),
           apiserver_cpu_pct: ($d[2] / ($wall * $nproc) * 100 | r1),
           etcd_kcm_cpu_pct: ($d[3] / ($wall * $nproc) * 100 | r1),
           wrk_cpu_pct: ($d[4] / ($wall * $nproc) * 100 | r1),
           service_jit_pct_of_a_core: ($d[5] / $wall * 100 | r1),
           started_at: $b[6], ended_at: $a[6],
           service_cpu_us_per_request: ($d[1] * 1e6 / .requests | r1),
           service_cpu_us_per_request_without_jit: (($d[1] - $d[5]) * 1e6 / .requests | r1),
           apiserver_cpu_us_per_request: ($d[2] * 1e6 / .requests | r1),
           loadavg_after: $load}' "$WORK/$label.json" > "$OUT/runs/$label.json"
  local errors
  errors=$(jq '.errors.connect + .errors.read + .errors.write + .errors.status + .errors.timeout + .bad_status' \
    "$OUT/runs/$label.json")
  [ "$errors" = 0 ] || die "$label: $errors errors or unexpected statuses: $(jq -c '[.errors, .first_bad_status]' "$OUT/runs/$label.json")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $NPROC cores, load average $LOAD_BEFORE; kube-apiserver $KUBE_VERSION at $KUBE_API; service JVM options: $JVM_OPTS"
# warm-up: mints at -c$CONNECTIONS for BENCH_MINT_WARMUP s and direct TokenRequests for 5 s, then 5 s steps of
# mints until the JIT compiler threads use under 10% of a core, at most BENCH_MINT_WARMUP_STEPS. At the 60 to 100
# mints/s that the API server allows here, C2 is still compiling the mint path after a minute (docs/performance.md).
log "warm-up: ${WARMUP}s of mints and 5s of direct TokenRequests at -c$CONNECTIONS, then until the JIT is quiet"
wrk_run warmup-mint mint "$CONNECTIONS" "$WARMUP"
wrk_run warmup-direct direct "$CONNECTIONS" 5
WARMED=$((WARMUP + 5))
JIT_PCT=$(jq '.service_jit_pct_of_a_core | round' "$OUT/runs/warmup-mint.json")
for step in $(seq 1 "$WARMUP_STEPS"); do
  jit_before=$(jit_ticks "$APP_PID")
  wrk_run "warmup-mint-$step" mint "$CONNECTIONS" 5
  WARMED=$((WARMED + 5))
  JIT_PCT=$(( ($(jit_ticks "$APP_PID") - jit_before) * 100 / (HZ * 5) ))
  [ "$JIT_PCT" -lt 10 ] && break
  log "  JIT still busy: ${JIT_PCT}% of a core over the last 5 s"
done
log "warm-up done after ${WARMED}s (JIT at ${JIT_PCT}% of a core in the last 5 s)"

# --- 5 s without load: what the service and the API server do on their own (CPU, background requests) ---
c_before=$(api_counts)
before=$(snapshot)
sleep 5
after=$(snapshot)
c_after=$(api_counts)
jq -n --arg before "$before" --arg after "$after" --argjson cb "$c_before" --argjson ca "$c_after" \
  --argjson nproc "$NPROC" --argjson hz "$HZ" "$API_CLASSES"'
    ($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a |
    [range(0; 6) | ($a[.] - $b[.]) / $hz] as $d | ($a[6] - $b[6]) as $wall |
    def r1: . * 10 | round / 10;
    {label: "idle", duration_s: ($wall | r1), api: (delta($cb; $ca) | classify), api_requests: delta($cb; $ca),
     service_pct_of_a_core: ($d[1] / $wall * 100 | r1), service_jit_pct_of_a_core: ($d[5] / $wall * 100 | r1),
     apiserver_pct_of_a_core: ($d[2] / $wall * 100 | r1), etcd_kcm_pct_of_a_core: ($d[3] / $wall * 100 | r1),
     other_cpu_pct: (($d[0] - $d[1] - $d[2] - $d[3] - $d[4]) / ($wall * $nproc) * 100 | if . < 0 then 0 else . end | r1)}' \
  > "$OUT/idle.json"

for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS: mint and direct TokenRequest, -c1 then -c$CONNECTIONS, ${DURATION}s each"
  wrk_run "mint-c1-$round" mint 1 "$DURATION"
  wrk_run "direct-c1-$round" direct 1 "$DURATION"
  wrk_run "mint-c$CONNECTIONS-$round" mint "$CONNECTIONS" "$DURATION"
  wrk_run "direct-c$CONNECTIONS-$round" direct "$CONNECTIONS" "$DURATION"
done
VMRSS_KB=$(awk '/^VmRSS:/{print $2}' "/proc/$APP_PID/status")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_AFTER=$(uptime)

# --- summary: per concurrency, the median over rounds of each figure, ratios from the same round ---
jq -s --arg jvm "$JVM_OPTS" --argjson nproc "$NPROC" --arg kube "$KUBE_VERSION" \
  --arg load_before "$LOAD_BEFORE" --arg load_after "$LOAD_AFTER" --arg uptime "$UPTIME_AFTER" --argjson rss "$VMRSS_KB" \
  --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --arg date "$(date -u +%FT%TZ)" \
  --argjson users "${#USERS[@]}" --arg namespaces "$TIER_NAMESPACES" --argjson steady "$STEADY" \
  --argjson jit_pct "$JIT_PCT" --argjson duration "$DURATION" --argjson rounds "$ROUNDS" \
  --argjson warmup "$WARMED" --arg body "$MINT_BODY" --argjson elapsed "$(( $(date +%s) - START ))" \
  --argjson plane_s "$PLANE_READY_S" --argjson conns "$CONNECTIONS" --argjson ttl "$REVIEW_TTL_S" \
  --slurpfile idle "$OUT/idle.json" '
  def r2: . * 100 | round / 100;
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . / 1000 | r2;
  def sum_maps: reduce .[] as $m ({}; reduce ($m | to_entries[]) as $e (.; .[$e.key] += $e.value));
  map(select(.label | startswith("warmup") | not)) as $runs |
  def level($c):
    ($runs | map(select(.target == "mint" and .connections == $c)) | sort_by(.label)) as $m |
    ($runs | map(select(.target == "direct" and .connections == $c)) | sort_by(.label)) as $d |
    def fig($r): {p50_ms: ($r | map(.latency_us.p50) | median | ms), p90_ms: ($r | map(.latency_us.p90) | median | ms),
                  p99_ms: ($r | map(.latency_us.p99) | median | ms), rps: ($r | map(.rps) | median | round),
                  requests: ($r | map(.requests) | add),
                  rounds: ($r | map({p50_ms: (.latency_us.p50 | ms), p99_ms: (.latency_us.p99 | ms), rps: (.rps | round)})),
                  service_cpu_us_per_request: ($r | map(.service_cpu_us_per_request) | median | round),
                  service_cpu_us_per_request_without_jit: ($r | map(.service_cpu_us_per_request_without_jit) | median | round),
                  service_jit_pct_of_a_core: ($r | map(.service_jit_pct_of_a_core) | median),
                  apiserver_cpu_us_per_request: ($r | map(.apiserver_cpu_us_per_request) | median | round),
                  other_cpu_pct: ($r | map(.other_cpu_pct))};
    {connections: $c, mint: fig($m), direct_tokenrequest: fig($d),
     overhead_p50_ms: ([range(0; $m | length) | $m[.].latency_us.p50 - $d[.].latency_us.p50] | median | ms),
     overhead_p99_ms: ([range(0; $m | length) | $m[.].latency_us.p99 - $d[.].latency_us.p99] | median | ms),
     ratio_p50: ([range(0; $m | length) | $m[.].latency_us.p50 / $d[.].latency_us.p50] | median | r2),
     ratio_p50_rounds: [range(0; $m | length) | $m[.].latency_us.p50 / $d[.].latency_us.p50 | r2],
     ratio_p99: ([range(0; $m | length) | $m[.].latency_us.p99 / $d[.].latency_us.p99] | median | r2),
     ratio_rps: ([range(0; $m | length) | $m[.].rps / $d[.].rps] | median | r2)};
  ($runs | map(select(.target == "mint"))) as $mints |
  ($runs | map(select(.target == "direct"))) as $directs |
  ($mints | map(.service_mints) | add) as $n |
  ($mints | map(.api) | sum_maps) as $api |
  ($directs | map(.api) | sum_maps) as $dapi |
  ($directs | map(.requests) | add) as $dn |
  ($api.token_requests + $api.token_reviews + $api.mint_path_other) as $calls |
  # a user'"'"'s cached review expires every $ttl s: at most one TokenReview per user per $ttl s of the
  # measured span (first mint run to last), plus one each at its start
  (($mints | map(.ended_at) | max) - ($mints | map(.started_at) | min)) as $span |
  ($users * ((($span / $ttl) | ceil) + 1)) as $max_reviews |
  level(1) as $c1 |
  {
    date: $date, commit: $commit, nproc: $nproc, kube_apiserver: $kube,
    loadavg_before: $load_before, loadavg_after: $load_after, uptime_after: $uptime,
    other_cpu_pct_max: ($runs | map(.other_cpu_pct) | max), other_cpu_pct_median: ($runs | map(.other_cpu_pct) | median | . * 10 | round / 10),
    elapsed_s: $elapsed, control_plane_start_s: $plane_s, warmup_s: $warmup, jit_pct_last_warmup_5s: $jit_pct,
    jvm_options: $jvm, users: $users, tier_namespaces: $namespaces,
    mint_body: $body, wrk: "-t1, -c1 and -c\($conns), \($duration) s per run, \($rounds) rounds",
    repeat_mint_steady_before_measuring: $steady,
    latency_c1: $c1, load: level($conns),
    api_calls: ($api + {mints: $n, calls: $calls,
      per_mint: ($calls / $n * 100 | round / 100), per_mint_exact: ($calls / $n),
      token_requests_per_mint: ($api.token_requests / $n), token_reviews_per_mint: ($api.token_reviews / $n),
      per_warm_mint: (($api.token_requests + $api.mint_path_other) / $n),
      measured_span_s: ($span | round), review_cache_ttl_s: $ttl, token_reviews_max_expected: $max_reviews,
      requests_during_mint_runs: ($mints | map(.api_requests) | sum_maps),
      background_note: "background: requests on other resources (endpoints, leases, discovery) that run whether or not anyone mints; compare background_during_direct_runs, same duration"}),
    background_during_direct_runs: $dapi.background,
    idle_5s: $idle[0],
    direct_check: {wrk_requests: $dn, token_requests_counted: $dapi.token_requests},
    vmrss_mib: ($rss / 1024 | r2),
    targets: {
      api_calls_per_mint: {target: "one API call per warm mint (a TokenRequest); besides, at most one TokenReview per user per review-cache TTL",
        met: (($api.token_requests / $n * 100 | round) == 100 and $api.mint_path_other == 0
              and $api.token_reviews <= $max_reviews)},
      ratio_p50_c1: {target: "p50 of a mint <= 2 x p50 of a direct TokenRequest (1 connection)", met: ($c1.ratio_p50 <= 2)}
    }
  }' "$OUT"/runs/*.json > "$OUT/summary.json"

jq -r --argjson c "$CONNECTIONS" '
  def ok(t): if t.met then "met" else "MISSED" end;
  ["mint_c1_p50_ms", .latency_c1.mint.p50_ms, "", ""],
  ["mint_c1_p99_ms", .latency_c1.mint.p99_ms, "", ""],
  ["direct_tokenrequest_c1_p50_ms", .latency_c1.direct_tokenrequest.p50_ms, "", ""],
  ["direct_tokenrequest_c1_p99_ms", .latency_c1.direct_tokenrequest.p99_ms, "", ""],
  ["mint_overhead_c1_p50_ms", .latency_c1.overhead_p50_ms, "", ""],
  ["mint_overhead_c1_p99_ms", .latency_c1.overhead_p99_ms, "", ""],
  ["mint_ratio_c1_p50", .latency_c1.ratio_p50, "<= 2", ok(.targets.ratio_p50_c1)],
  ["mint_ratio_c1_p99", .latency_c1.ratio_p99, "", ""],
  ["mint_c\($c)_rps", .load.mint.rps, "", ""],
  ["direct_tokenrequest_c\($c)_rps", .load.direct_tokenrequest.rps, "", ""],
  ["mint_c\($c)_p50_ms", .load.mint.p50_ms, "", ""],
  ["mint_c\($c)_p99_ms", .load.mint.p99_ms, "", ""],
  ["mint_service_cpu_us", .load.mint.service_cpu_us_per_request, "", ""],
  ["api_calls_per_warm_mint", (.api_calls.per_warm_mint * 100 | round | . / 100), "1.00", ok(.targets.api_calls_per_mint)],
  ["api_calls_per_mint_with_reviews", (.api_calls.per_mint_exact * 1000 | round | . / 1000), "", ""],
  ["mint_other_cpu_pct_max", .other_cpu_pct_max, "", ""]
  | @tsv' "$OUT/summary.json" > "$OUT/summary.tsv"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  def signed: if . >= 0 then "+\(.)" else tostring end;
  def f2: . * 100 | round | "\(. / 100 | floor).\(. % 100 | tostring | if length < 2 then "0" + . else . end)";
  def pad($n): tostring | if length < $n then . + (" " * ($n - length)) else . end;
  def row($cells): [range(0; $cells | length) as $i | $cells[$i] | pad([34, 9, 9, 9, 16, 0][$i])] | join(" ") | sub(" +$"; "");
  def lines($l):
    row(["-c\($l.connections)", "p50 ms", "p99 ms", "req/s", "us CPU/req", "per round (p50/p99 ms, req/s)"]),
    row(["  mint  POST /v1/tokens", $l.mint.p50_ms, $l.mint.p99_ms, $l.mint.rps,
         "\($l.mint.service_cpu_us_per_request) svc", ($l.mint.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))]),
    row(["    service CPU without its JIT", "", "", "", "\($l.mint.service_cpu_us_per_request_without_jit) svc",
         "JIT compiler threads: \($l.mint.service_jit_pct_of_a_core)% of a core"]),
    row(["    kube-apiserver CPU per mint", "", "", "", "\($l.mint.apiserver_cpu_us_per_request) api", ""]),
    row(["  direct TokenRequest", $l.direct_tokenrequest.p50_ms, $l.direct_tokenrequest.p99_ms,
         $l.direct_tokenrequest.rps, "\($l.direct_tokenrequest.apiserver_cpu_us_per_request) api",
         ($l.direct_tokenrequest.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))]),
    row(["  maas-api over the direct call", ($l.overhead_p50_ms | signed), ($l.overhead_p99_ms | signed), "", "",
         "mint/direct: p50 x\($l.ratio_p50) (rounds \($l.ratio_p50_rounds | map("x\(.)") | join(" "))), p99 x\($l.ratio_p99), req/s x\($l.ratio_rps)"]);
  "",
  "maas-api token mint benchmark against a real kube-apiserver \(.kube_apiserver), \(.date), commit \(.commit)",
  "machine: \(.nproc) cores; load average \(.loadavg_before) before, \(.loadavg_after) after;" +
    " other processes took \(.other_cpu_pct_median)% (median), up to \(.other_cpu_pct_max)% of all CPU during a measured run",
  "service JVM options: \(.jvm_options); maas-api is the ServiceAccount maas-api/maas-api with the shipped RBAC",
  "repeat mints for \(.users) users with a ServiceAccount (\(.tier_namespaces)), body \(.mint_body);" +
    " warm-up \(.warmup_s) s (JIT \(.jit_pct_last_warmup_5s)% of a core in its last 5 s); wrk \(.wrk); medians over rounds",
  "direct: the same TokenRequests (same ServiceAccounts, audience, expiry) straight to kube-apiserver with maas-api'"'"'s token",
  "",
  lines(.latency_c1),
  lines(.load),
  "",
  "p50 mint/direct at -c1: x\(.latency_c1.ratio_p50) (\(.targets.ratio_p50_c1 | ok(.)), target <= 2)",
  "API calls per warm mint: \(.api_calls.per_warm_mint | f2) (\(.targets.api_calls_per_mint | ok(.)), expected 1.00):" +
    " kube-apiserver counted \(.api_calls.token_requests) TokenRequests and \(.api_calls.mint_path_other) other requests on" +
    " ServiceAccounts, namespaces, Secrets or SubjectAccessReviews during the measured mint runs, for \(.api_calls.mints)" +
    " mints counted by the service; and \(.api_calls.token_reviews) TokenReviews (each user'"'"'s cached review expires every" +
    " \(.api_calls.review_cache_ttl_s) s: at most \(.api_calls.token_reviews_max_expected) in \(.api_calls.measured_span_s) s)," +
    " \(.api_calls.per_mint_exact * 1000 | round / 1000) API calls per mint in all;" +
    " background requests (endpoints, leases, discovery): \(.api_calls.background) during the mint runs, \(.background_during_direct_runs) during the direct runs",
  "direct runs: \(.direct_check.wrk_requests) TokenRequests answered to wrk, \(.direct_check.token_requests_counted) counted by kube-apiserver",
  "idle for \(.idle_5s.duration_s) s after the warm-up: service \(.idle_5s.service_pct_of_a_core)% of a core (JIT \(.idle_5s.service_jit_pct_of_a_core)%)," +
    " kube-apiserver \(.idle_5s.apiserver_pct_of_a_core)%, etcd and controller manager \(.idle_5s.etcd_kcm_pct_of_a_core)%;" +
    " \(.idle_5s.api.background + .idle_5s.api.mint_path_other + .idle_5s.api.token_requests + .idle_5s.api.token_reviews) API requests" +
    " (\(.idle_5s.api_requests | to_entries | map("\(.key) \(.value)") | join(", ")))",
  "service VmRSS after the run: \(.vmrss_mib) MiB; control plane ready in \(.control_plane_start_s) s; took \(.elapsed_s) s",
  "results: bench-results/mint/summary.txt, summary.tsv, summary.json, runs/*.json; control plane logs in target/bench-mint/control-plane/"
' "$OUT/summary.json" | tee "$OUT/summary.txt"

# --- appended to the summary of `make bench` ---
if [ "${BENCH_MINT_APPEND:-0}" = 1 ] && [ -f "$RESULTS/summary.json" ]; then
  cat "$OUT/summary.txt" >> "$RESULTS/summary.txt"
  cat "$OUT/summary.tsv" >> "$RESULTS/summary.tsv"
  jq --slurpfile mint "$OUT/summary.json" '. + {mint: $mint[0]}' "$RESULTS/summary.json" > "$WORK/summary.json"
  mv "$WORK/summary.json" "$RESULTS/summary.json"
fi
