#!/usr/bin/env bash
# The token-mint benchmark (issue 3), the last part of `make bench` (docs/performance.md, "Token mint").
#   maas-api (the jar, the deployment's JVM options) mints tokens with POST /v1/tokens for users who
#   already have their ServiceAccount, against a Kubernetes API stub on loopback (KubernetesApiStub, the
#   tests' TokenReview/TokenRequest stub, run as org.maas.api.testing.ApiStubServer). Baseline in the same
#   run: the same TokenRequests (same paths, same body) sent straight to the stub.
# Reports mint latency and throughput, the TokenRequest round trip, maas-api's overhead over it, and the
# API requests the stub received per mint (watches apart). Results: stdout and bench-results/mint/.
# Knobs (environment): BENCH_MINT_DURATION (s per run), BENCH_MINT_ROUNDS, BENCH_MINT_WARMUP (s),
# BENCH_MINT_CONNECTIONS (the loaded runs; the latency runs use 1), BENCH_MINT_APP_PORT,
# BENCH_MINT_STUB_PORT, MVN. BENCH_MINT_APPEND=1 (set by bench/run.sh) also adds the figures to
# bench-results/summary.{txt,tsv,json} of the lookup benchmark that just ran.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_MINT_DURATION:-4}
ROUNDS=${BENCH_MINT_ROUNDS:-2}
WARMUP=${BENCH_MINT_WARMUP:-16}
CONNECTIONS=${BENCH_MINT_CONNECTIONS:-8}
APP_PORT=${BENCH_MINT_APP_PORT:-18090}
STUB_PORT=${BENCH_MINT_STUB_PORT:-18091}
MVN=${MVN:-./mvnw -B -ntp}
RESULTS=bench-results
OUT=$RESULTS/mint
JAR=target/quarkus-app/quarkus-run.jar
LUA=bench/mint.lua
STUB_MAIN=org.maas.api.testing.ApiStubServer
STUB_JVM_OPTS="-XX:+UseSerialGC -Xms64m -Xmx256m"
MINT_BODY='{"expiration": "1h"}'
# users who already have a ServiceAccount when the measurement starts: two per tier of the bundled tier file
USERS=(
  "free-user-1@example.com=system:authenticated"
  "free-user-2@example.com=system:authenticated,oidc-users"
  "premium-user-1@example.com=system:authenticated,premium-users"
  "premium-user-2@example.com=system:authenticated,premium-users,oidc-users"
  "enterprise-user-1@example.com=system:authenticated,enterprise-users"
  "admin-1@example.com=system:authenticated,admin-group"
)

BENCH_NAME=bench-mint
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing wrk curl jq
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds first)"
[ -f "target/test-classes/${STUB_MAIN//.//}.class" ] \
  || die "target/test-classes has no $STUB_MAIN: run 'make build' (it compiles the tests too)"

JVM_OPTS=$(deployment_jvm_opts)
require_free_ports "BENCH_MINT_APP_PORT / BENCH_MINT_STUB_PORT" "$APP_PORT" "$STUB_PORT"

WORK=$(mktemp -d)
APP_PID=""
STUB_PID=""
WRK_PID=""
cleanup() { # the service before the stub, so that it does not log the stub going away
  local pid
  for pid in "$WRK_PID" "$APP_PID" "$STUB_PID"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$OUT"
mkdir -p "$OUT/runs"
START=$(date +%s)

# --- the stub: the test classpath from Maven (resolved from the local repository once built) ---
# (kept in target/ until pom.xml changes: resolving it takes Maven 15 to 30 s on a busy machine)
CLASSPATH_FILE=target/bench-test-classpath.txt
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  log "resolving the test classpath"
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" > "$WORK/mvn.log" 2>&1 \
    || die "mvn dependency:build-classpath failed: $(tail -20 "$WORK/mvn.log")"
  mv "$WORK/cp.txt" "$CLASSPATH_FILE"
fi
# shellcheck disable=SC2086
java $STUB_JVM_OPTS -cp "target/test-classes:$(cat "$CLASSPATH_FILE")" "$STUB_MAIN" "$STUB_PORT" "${USERS[@]}" \
  > "$WORK/stub.out" 2> "$OUT/stub.log" &
STUB_PID=$!
STUB=http://127.0.0.1:$STUB_PORT
for _ in $(seq 1 120); do
  grep -qs '^ready' "$WORK/stub.out" && break
  kill -0 "$STUB_PID" 2>/dev/null || die "the API stub exited; see $OUT/stub.log"
  sleep 0.25
done
grep -q '^ready' "$WORK/stub.out" || die "the API stub is not ready after 30 s; see $OUT/stub.log"
counts() { curl -fsS "$STUB/_stub/counts"; }
minted() { # successful mints the service counted (including answers wrk dropped when it stopped)
  curl -fsS "$APP/q/metrics" | awk '/^maas_tokens_minted_total[{]/ && /outcome="success"/ {s += $NF} END {printf "%d", s}'
}

# --- the service: the jar, the deployment's JVM options, pointed at the stub ---
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
java $JVM_OPTS -Dmaas.tiers.source=file \
  -Dquarkus.kubernetes-client.api-server-url="$STUB" -Dquarkus.kubernetes-client.trust-certs=true \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$APP/q/health/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || die "the service exited; see $OUT/app.log"
  sleep 0.5
done
curl -fs -o /dev/null "$APP/q/health/ready" || die "the service is not ready after 60 s; see $OUT/app.log"

# --- first mint per user (creates namespaces and ServiceAccounts), then wait for repeat mints ---
# every line: path, bearer, content type, body (bench/mint.lua)
awk -F'\t' -v body="$MINT_BODY" '$1 == "user" {print "/v1/tokens\t" $3 "\tapplication/json\t" body}' \
  "$WORK/stub.out" > "$WORK/mint.requests"
[ "$(wc -l < "$WORK/mint.requests")" = "${#USERS[@]}" ] || die "the stub did not print a token per user"
mint_all() { # one mint per user with curl; prints the tiers' namespaces of the minted tokens
  local path bearer ctype body code
  while IFS=$'\t' read -r path bearer ctype body; do
    code=$(curl -sS -o "$WORK/answer.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $bearer" \
      -H "Content-Type: $ctype" --data-binary "$body" "$APP$path") || die "curl failed"
    [ "$code" = 201 ] || die "a mint answered $code: $(cat "$WORK/answer.json")"
    jq -r '.token | split(".")[1] | gsub("-"; "+") | gsub("_"; "/") | . + "=="[0:((4 - length % 4) % 4)]
           | @base64d | fromjson | .["kubernetes.io"].namespace' "$WORK/answer.json"
  done < "$WORK/mint.requests"
}
log "first mints for ${#USERS[@]} users"
TIER_NAMESPACES=$(mint_all | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')
log "tokens minted in: $TIER_NAMESPACES"
# a repeat mint is one API call once the informers have synced and the reviews are cached
STEADY=false
for _ in $(seq 1 20); do
  before=$(counts)
  mint_all > /dev/null
  after=$(counts)
  calls=$(jq -n --argjson b "$before" --argjson a "$after" '$a.api_requests - $b.api_requests')
  if [ "$calls" = "${#USERS[@]}" ]; then STEADY=true; break; fi
  sleep 0.5
done
$STEADY || log "warning: repeat mints still cost more than one API call each ($calls for ${#USERS[@]} mints)"

# the baseline: the TokenRequests exactly as maas-api sent them (path per user, body, content type)
curl -fsS "$STUB/_stub/token-requests" > "$WORK/token-requests.json"
jq -r '.body as $b | .content_type as $c | .paths[] | [., "-", $c, $b] | @tsv' "$WORK/token-requests.json" \
  > "$WORK/direct.requests"
[ "$(wc -l < "$WORK/direct.requests")" = "${#USERS[@]}" ] || die "expected ${#USERS[@]} TokenRequest paths at the stub"
jq -r '.body' "$WORK/token-requests.json" > "$OUT/tokenrequest-body.json"
cut -f1 "$WORK/direct.requests" > "$OUT/tokenrequest-paths.txt"

# --- CPU accounting, as in bench/run.sh ---
NPROC=$(nproc)
HZ=$(getconf CLK_TCK)
ticks() { [ -r "/proc/$1/stat" ] && sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}' || echo 0; }
snapshot() { # machine busy ticks, service ticks, stub ticks, reaped children (wrk) ticks, time
  echo "$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat) $(ticks "$APP_PID") $(ticks "$STUB_PID")" \
    "$(sed 's/^.*) //' /proc/$$/stat | awk '{print $14 + $15}') $(date +%s.%N)"
}

# wrk_run LABEL TARGET(mint|direct) CONNECTIONS SECONDS -> $OUT/runs/LABEL.json
wrk_run() {
  local label=$1 target=$2 conns=$3 secs=$4 url=$APP c_before c_after m_before m_after before after
  [ "$target" = direct ] && url=$STUB
  m_before=$(minted)
  c_before=$(counts)
  before=$(snapshot)
  BENCH_LABEL=$label BENCH_REQUESTS="$WORK/$target.requests" BENCH_OUT="$WORK/$label.json" \
    wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$url" > "$WORK/$label.txt" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || die "$label: wrk failed: $(cat "$WORK/$label.txt")"
  WRK_PID=""
  after=$(snapshot)
  sleep 0.3 # requests in flight when wrk stopped still reach the stub
  c_after=$(counts)
  m_after=$(minted)
  kill -0 "$APP_PID" 2>/dev/null || die "$label: the service is gone; see $OUT/app.log"
  kill -0 "$STUB_PID" 2>/dev/null || die "$label: the API stub is gone; see $OUT/stub.log"
  jq -c --arg before "$before" --arg after "$after" --argjson cb "$c_before" --argjson ca "$c_after" \
    --argjson minted "$((m_after - m_before))" \
    --argjson nproc "$NPROC" --argjson hz "$HZ" --arg target "$target" --argjson conns "$conns" \
    --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
      ($before | split(" ") | map(tonumber)) as $b | ($after | split(" ") | map(tonumber)) as $a |
      [range(0; 4) | ($a[.] - $b[.]) / $hz] as $d | ($a[4] - $b[4]) as $wall |
      def r1: . * 10 | round / 10;
      . + {target: $target, connections: $conns, service_mints: $minted,
           api: {api_requests: ($ca.api_requests - $cb.api_requests), token_requests: ($ca.token_requests - $cb.token_requests),
                 token_reviews: ($ca.token_reviews - $cb.token_reviews), other: ($ca.other - $cb.other),
                 watches: ($ca.watches - $cb.watches)},
           other_cpu_pct: (($d[0] - $d[1] - $d[2] - $d[3]) / ($wall * $nproc) * 100 | if . < 0 then 0 else . end | r1),
           service_cpu_pct: ($d[1] / ($wall * $nproc) * 100 | r1),
           stub_cpu_pct: ($d[2] / ($wall * $nproc) * 100 | r1),
           wrk_cpu_pct: ($d[3] / ($wall * $nproc) * 100 | r1),
           service_cpu_us_per_request: ($d[1] * 1e6 / .requests | r1),
           stub_cpu_us_per_request: ($d[2] * 1e6 / .requests | r1),
           loadavg_after: $load}' "$WORK/$label.json" > "$OUT/runs/$label.json"
  local errors
  errors=$(jq '.errors.connect + .errors.read + .errors.write + .errors.status + .errors.timeout + .bad_status' \
    "$OUT/runs/$label.json")
  [ "$errors" = 0 ] || die "$label: $errors errors or unexpected statuses: $(jq -c '[.errors, .first_bad_status]' "$OUT/runs/$label.json")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $NPROC cores, load average $LOAD_BEFORE; service JVM options: $JVM_OPTS"
# warm-up: mints at -c$CONNECTIONS for BENCH_MINT_WARMUP s and direct TokenRequests for a quarter of that,
# then 5 s steps of mints until the JIT compiler threads use under 10% of a core, at most 2 steps
# (on the busy 2-core machine C2 was still at 35 to 55% of a core after 40 s: see docs/performance.md)
log "warm-up: ${WARMUP}s of mints and $((WARMUP / 4))s of direct TokenRequests at -c$CONNECTIONS, then until the JIT is quiet"
wrk_run warmup-mint mint "$CONNECTIONS" "$WARMUP"
wrk_run warmup-direct direct "$CONNECTIONS" $((WARMUP / 4))
WARMED=$((WARMUP + WARMUP / 4))
for step in 1 2; do
  jit_before=$(jit_ticks "$APP_PID")
  wrk_run "warmup-mint-$step" mint "$CONNECTIONS" 5
  WARMED=$((WARMED + 5))
  JIT_PCT=$(( ($(jit_ticks "$APP_PID") - jit_before) * 100 / (HZ * 5) ))
  [ "$JIT_PCT" -lt 10 ] && break
  log "  JIT still busy: ${JIT_PCT}% of a core over the last 5 s"
done
log "warm-up done after ${WARMED}s (JIT at ${JIT_PCT}% of a core in the last 5 s)"

for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS: mint and direct TokenRequest, -c1 then -c$CONNECTIONS, ${DURATION}s each"
  wrk_run "mint-c1-$round" mint 1 "$DURATION"
  wrk_run "direct-c1-$round" direct 1 "$DURATION"
  wrk_run "mint-c$CONNECTIONS-$round" mint "$CONNECTIONS" "$DURATION"
  wrk_run "direct-c$CONNECTIONS-$round" direct "$CONNECTIONS" "$DURATION"
done
VMRSS_KB=$(awk '/^VmRSS:/{print $2}' "/proc/$APP_PID/status")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary: per concurrency, the median over rounds of each figure, overheads from the same round ---
jq -s --arg jvm "$JVM_OPTS" --arg stub_jvm "$STUB_JVM_OPTS" --argjson nproc "$NPROC" \
  --arg load_before "$LOAD_BEFORE" --arg load_after "$LOAD_AFTER" --argjson rss "$VMRSS_KB" \
  --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --arg date "$(date -u +%FT%TZ)" \
  --argjson users "${#USERS[@]}" --arg namespaces "$TIER_NAMESPACES" --argjson steady "$STEADY" \
  --argjson jit_pct "$JIT_PCT" --argjson duration "$DURATION" --argjson rounds "$ROUNDS" \
  --argjson warmup "$WARMED" --arg body "$MINT_BODY" --argjson elapsed "$(( $(date +%s) - START ))" \
  --argjson conns "$CONNECTIONS" '
  def r2: . * 100 | round / 100;
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . / 1000 | r2;
  map(select(.label | startswith("warmup") | not)) as $runs |
  def level($c):
    ($runs | map(select(.target == "mint" and .connections == $c)) | sort_by(.label)) as $m |
    ($runs | map(select(.target == "direct" and .connections == $c)) | sort_by(.label)) as $d |
    def fig($r): {p50_ms: ($r | map(.latency_us.p50) | median | ms), p90_ms: ($r | map(.latency_us.p90) | median | ms),
                  p99_ms: ($r | map(.latency_us.p99) | median | ms), rps: ($r | map(.rps) | median | round),
                  requests: ($r | map(.requests) | add),
                  rounds: ($r | map({p50_ms: (.latency_us.p50 | ms), p99_ms: (.latency_us.p99 | ms), rps: (.rps | round)})),
                  service_cpu_us_per_request: ($r | map(.service_cpu_us_per_request) | median | round),
                  stub_cpu_us_per_request: ($r | map(.stub_cpu_us_per_request) | median | round),
                  other_cpu_pct: ($r | map(.other_cpu_pct))};
    {connections: $c, mint: fig($m), direct_tokenrequest: fig($d),
     overhead_p50_ms: ([range(0; $m | length) | $m[.].latency_us.p50 - $d[.].latency_us.p50] | median | ms),
     overhead_p99_ms: ([range(0; $m | length) | $m[.].latency_us.p99 - $d[.].latency_us.p99] | median | ms),
     ratio_p50: ([range(0; $m | length) | $m[.].latency_us.p50 / $d[.].latency_us.p50] | median | r2),
     ratio_p99: ([range(0; $m | length) | $m[.].latency_us.p99 / $d[.].latency_us.p99] | median | r2),
     ratio_rps: ([range(0; $m | length) | $m[.].rps / $d[.].rps] | median | r2)};
  ($runs | map(select(.target == "mint"))) as $mints |
  ($mints | map(.service_mints) | add) as $n |
  ($mints | map(.api) | {api_requests: (map(.api_requests) | add), token_requests: (map(.token_requests) | add),
    token_reviews: (map(.token_reviews) | add), other: (map(.other) | add), watches: (map(.watches) | add)}) as $api |
  {
    date: $date, commit: $commit, nproc: $nproc, loadavg_before: $load_before, loadavg_after: $load_after,
    other_cpu_pct_max: ($runs | map(.other_cpu_pct) | max), other_cpu_pct_median: ($runs | map(.other_cpu_pct) | median | . * 10 | round / 10),
    elapsed_s: $elapsed, warmup_s: $warmup, jit_pct_last_warmup_5s: $jit_pct,
    jvm_options: $jvm, stub_jvm_options: $stub_jvm, users: $users, tier_namespaces: $namespaces,
    mint_body: $body, wrk: "-t1, -c1 and -c\($conns), \($duration) s per run, \($rounds) rounds",
    repeat_mint_steady_before_measuring: $steady,
    latency_c1: level(1), load: level($conns),
    api_calls: ($api + {mints: $n, watches_note: "long-lived watches (informers) are not API calls per mint",
      per_mint: ($api.api_requests / $n * 100 | round / 100), per_mint_exact: ($api.api_requests / $n),
      token_requests_per_mint: ($api.token_requests / $n), token_reviews_per_mint: ($api.token_reviews / $n)}),
    vmrss_mib: ($rss / 1024 | r2),
    targets: {api_calls_per_mint: {target: "1.00 (one TokenRequest, nothing else but an expired review now and then)",
      met: (($api.api_requests / $n * 100 | round) == 100 and $api.other == 0)}}
  }' "$OUT"/runs/*.json > "$OUT/summary.json"

jq -r --argjson c "$CONNECTIONS" '
  def ok(t): if t.met then "met" else "MISSED" end;
  ["mint_c1_p50_ms", .latency_c1.mint.p50_ms, "", ""],
  ["mint_c1_p99_ms", .latency_c1.mint.p99_ms, "", ""],
  ["direct_tokenrequest_c1_p50_ms", .latency_c1.direct_tokenrequest.p50_ms, "", ""],
  ["direct_tokenrequest_c1_p99_ms", .latency_c1.direct_tokenrequest.p99_ms, "", ""],
  ["mint_overhead_c1_p50_ms", .latency_c1.overhead_p50_ms, "", ""],
  ["mint_overhead_c1_p99_ms", .latency_c1.overhead_p99_ms, "", ""],
  ["mint_ratio_c1_p50", .latency_c1.ratio_p50, "", ""],
  ["mint_c\($c)_rps", .load.mint.rps, "", ""],
  ["direct_tokenrequest_c\($c)_rps", .load.direct_tokenrequest.rps, "", ""],
  ["mint_c\($c)_p50_ms", .load.mint.p50_ms, "", ""],
  ["mint_c\($c)_p99_ms", .load.mint.p99_ms, "", ""],
  ["mint_service_cpu_us", .load.mint.service_cpu_us_per_request, "", ""],
  ["api_calls_per_mint", (.api_calls.per_mint_exact * 100 | round | . / 100), "1.00", ok(.targets.api_calls_per_mint)],
  ["mint_other_cpu_pct_max", .other_cpu_pct_max, "", ""]
  | @tsv' "$OUT/summary.json" > "$OUT/summary.tsv"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  def signed: if . >= 0 then "+\(.)" else tostring end;
  def f2: . * 100 | round | "\(. / 100 | floor).\(. % 100 | tostring | if length < 2 then "0" + . else . end)";
  def pad($n): tostring | if length < $n then . + (" " * ($n - length)) else . end;
  def row($cells): [range(0; $cells | length) as $i | $cells[$i] | pad([30, 9, 9, 9, 13, 0][$i])] | join(" ") | sub(" +$"; "");
  def lines($l):
    row(["-c\($l.connections)", "p50 ms", "p99 ms", "req/s", "us CPU/req", "per round (p50/p99 ms, req/s)"]),
    row(["  mint  POST /v1/tokens", $l.mint.p50_ms, $l.mint.p99_ms, $l.mint.rps,
         "\($l.mint.service_cpu_us_per_request) svc", ($l.mint.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))]),
    row(["  direct TokenRequest to stub", $l.direct_tokenrequest.p50_ms, $l.direct_tokenrequest.p99_ms,
         $l.direct_tokenrequest.rps, "\($l.direct_tokenrequest.stub_cpu_us_per_request) stub",
         ($l.direct_tokenrequest.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))]),
    row(["  maas-api overhead", ($l.overhead_p50_ms | signed), ($l.overhead_p99_ms | signed), "", "",
         "mint/direct: p50 x\($l.ratio_p50), p99 x\($l.ratio_p99), req/s x\($l.ratio_rps)"]);
  "",
  "maas-api token mint benchmark, \(.date), commit \(.commit)",
  "machine: \(.nproc) cores; load average \(.loadavg_before) before, \(.loadavg_after) after;" +
    " other processes took \(.other_cpu_pct_median)% (median), up to \(.other_cpu_pct_max)% of all CPU during a measured run",
  "service JVM options: \(.jvm_options); API stub (KubernetesApiStub): \(.stub_jvm_options)",
  "repeat mints for \(.users) users with a ServiceAccount (\(.tier_namespaces)), body \(.mint_body);" +
    " warm-up \(.warmup_s) s (JIT \(.jit_pct_last_warmup_5s)% of a core in its last 5 s); wrk \(.wrk); medians over rounds",
  "",
  lines(.latency_c1),
  lines(.load),
  "",
  "API calls per mint: \(.api_calls.per_mint_exact | f2) (\(.targets.api_calls_per_mint | ok(.)), expected 1.00):" +
    " \(.api_calls.api_requests) requests at the stub for \(.api_calls.mints) mints counted by the service:" +
    " \(.api_calls.token_requests) TokenRequests, \(.api_calls.token_reviews) TokenReviews (30 s review cache)," +
    " \(.api_calls.other) other; watches apart: \(.api_calls.watches) new",
  "service VmRSS after the run: \(.vmrss_mib) MiB; took \(.elapsed_s) s",
  "results: bench-results/mint/summary.txt, summary.tsv, summary.json, runs/*.json"
' "$OUT/summary.json" | tee "$OUT/summary.txt"

# --- appended to the summary of `make bench` ---
if [ "${BENCH_MINT_APPEND:-0}" = 1 ] && [ -f "$RESULTS/summary.json" ]; then
  cat "$OUT/summary.txt" >> "$RESULTS/summary.txt"
  cat "$OUT/summary.tsv" >> "$RESULTS/summary.tsv"
  jq --slurpfile mint "$OUT/summary.json" '. + {mint: $mint[0]}' "$RESULTS/summary.json" > "$WORK/summary.json"
  mv "$WORK/summary.json" "$RESULTS/summary.json"
fi
