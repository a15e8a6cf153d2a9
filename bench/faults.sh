#!/usr/bin/env bash
# The packaged jar against a failing Kubernetes API (issues 8 and 24; docs/performance.md, "Kubernetes API
# outages").
#   A real control plane on loopback (tools/control-plane) in target/bench-faults/control-plane, seeded with the
#   shipped manifests; maas-api (target/quarkus-app, the deployment's JVM options) runs as its own ServiceAccount
#   with the shipped RBAC, through org.maas.api.tools.FaultProxy (testing/ApiFaults in front of the real
#   kube-apiserver). For each fault it times POST /v1/tokens, DELETE /v1/tokens and GET /v1/tiers/me with a
#   fresh bearer (curl), 30 concurrent mints, a lookup during the outage, and a mint after recovery; then an API
#   server that goes away and comes back; then the log lines the jar writes during a 15 s refused-connection
#   outage and during a restart of the kube-apiserver process, and fails when that outage writes
#   $MAX_OUTAGE_LINES lines or more. Needs `./mvnw -B -ntp package -DskipTests` first (the jar and the test classes).
# Knobs: BENCH_FAULTS_APP_PORT, BENCH_FAULTS_CONTROL_PORT (the proxy's control port).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${BENCH_FAULTS_APP_PORT:-18190}
CONTROL_PORT=${BENCH_FAULTS_CONTROL_PORT:-18193}
MVN=${MVN:-./mvnw -B -ntp}
JAR=target/quarkus-app/quarkus-run.jar
MAIN=org.maas.api.tools.FaultProxy
FAULTS=(REFUSED SILENT SLOW_BODY ERROR_500 UNAVAILABLE_503 TOO_MANY_429)
STATE=target/bench-faults
PLANE=$STATE/control-plane
OUTAGE_S=15
MAX_OUTAGE_LINES=50 # issue 24: a 15 s outage must not flood the log

BENCH_NAME=bench-faults
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing curl jq openssl
[ -f "$JAR" ] || die "$JAR missing: run './mvnw -B -ntp package -DskipTests'"
[ -f "target/test-classes/${MAIN//.//}.class" ] || die "target/test-classes has no $MAIN: build with the tests compiled"
require_free_ports "BENCH_FAULTS_APP_PORT / BENCH_FAULTS_CONTROL_PORT" "$APP_PORT" "$CONTROL_PORT"
JVM_OPTS=$(deployment_jvm_opts)

WORK=$(mktemp -d)
APP_PID=""
PROXY_PID=""
on_exit() { # the service's log outlives $WORK
  mkdir -p bench-results && cp "$WORK/app.log" bench-results/faults-app.log 2>/dev/null || true
}
stop_at_exit APP_PID PROXY_PID # the service first (so that it does not log the API server going away), then the proxy

CLASSPATH_FILE=target/bench-test-classpath.txt # shared with bench/mint.sh
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  log "resolving the test classpath"
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" > "$WORK/mvn.log" 2>&1 \
    || die "mvn dependency:build-classpath failed: $(tail -20 "$WORK/mvn.log")"
  mv "$WORK/cp.txt" "$CLASSPATH_FILE"
fi

rm -rf "$PLANE/claims"
start_plane_for_maas_api "$PLANE" "$WORK/direct.kubeconfig"
java -Xmx256m -cp "target/test-classes:$(cat "$CLASSPATH_FILE")" "$MAIN" "$PLANE" "$CONTROL_PORT" \
  > "$WORK/proxy.out" 2> "$WORK/proxy.log" &
PROXY_PID=$!
for _ in $(seq 1 120); do
  grep -qs '^ready' "$WORK/proxy.out" && break
  kill -0 "$PROXY_PID" 2>/dev/null || die "the fault proxy exited: $(tail -5 "$WORK/proxy.log")"
  sleep 0.25
done
grep -q '^ready' "$WORK/proxy.out" || die "the fault proxy is not ready after 30 s"
PROXY_URL=$(awk -F'\t' '$1 == "url" {print $2}' "$WORK/proxy.out")
# fresh bearers: static users of the API server, each reviewed for the first time when used
mapfile -t BEARERS < <(for i in $(seq -f '%02g' 1 150); do user_token "$PLANE" "free-$i"; done)
NEXT=0
fresh() { BEARER=${BEARERS[$NEXT]}; NEXT=$((NEXT + 1)); } # a user whose review is not cached yet
fault() { curl -fsS -o /dev/null -X POST "http://127.0.0.1:$CONTROL_PORT/fault/$1"; }

# maas-api's own ServiceAccount token, through the proxy (which serves the control plane's certificate)
(umask 077 && sed "s|server: .*|server: $PROXY_URL|" "$WORK/direct.kubeconfig" > "$WORK/kubeconfig")
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
KUBECONFIG=$WORK/kubeconfig java $JVM_OPTS -Dmaas.tiers.source=file -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
wait_ready "$APP" "$APP_PID" bench-results/faults-app.log

# prints "status retry-after seconds" of one request
timed() {
  local method=$1 path=$2 bearer=$3 out
  out=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code} %{time_total}' --max-time 60 -X "$method" \
    -H "Authorization: Bearer $bearer" "$APP$path") || out="000 60"
  local retry
  retry=$(awk -F': ' 'tolower($1) == "retry-after" {gsub("\r", "", $2); print $2}' "$WORK/headers")
  if [ "${out%% *}" = 503 ] && ! grep -q '"error":"unavailable"' "$WORK/body"; then
    die "a 503 without the JSON error shape: $(cat "$WORK/body")"
  fi
  printf '%s %s %s' "${out%% *}" "${retry:--}" "${out#* }"
}
log_lines() { wc -l < "$WORK/app.log"; }

fresh
[ "$(timed POST /v1/tokens "$BEARER" | cut -d' ' -f1)" = 201 ] || die "the first mint failed: $(cat "$WORK/body")"
printf '| API server | POST /v1/tokens | DELETE /v1/tokens | GET /v1/tiers/me | 30 concurrent mints | lookup during | mint after recovery |\n'
printf '|---|---|---|---|---|---|---|\n'
for f in "${FAULTS[@]}"; do
  fault "$f"
  fresh; post=$(timed POST /v1/tokens "$BEARER")
  fresh; delete=$(timed DELETE /v1/tokens "$BEARER")
  fresh; me=$(timed GET /v1/tiers/me "$BEARER")
  fresh
  start=$(date +%s.%N)
  for _ in $(seq 1 30); do
    curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 -X POST \
      -H "Authorization: Bearer $BEARER" "$APP/v1/tokens" >> "$WORK/concurrent-$f" &
  done
  lookup=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -H 'Content-Type: application/json' \
    --data '{"groups": ["system:authenticated"]}' "$APP/v1/tiers/lookup")
  wait $(jobs -p | grep -v -e "^$APP_PID\$" -e "^$PROXY_PID\$") 2>/dev/null || true
  all=$(awk '{n++; c[$1]++; if ($2 > max) max = $2} END {s = ""; for (k in c) s = s (s == "" ? "" : ", ") c[k] "x " k; printf "%d answered (%s), slowest %.2f s", n, s, max}' "$WORK/concurrent-$f")
  fault NONE
  fresh; after=$(timed POST /v1/tokens "$BEARER")
  fmt() { set -- $1; printf '%s (Retry-After %s) in %.2f s' "$1" "$2" "$3"; }
  printf '| %s | %s | %s | %s | %s | %s in %.3f s | %s |\n' "$f" "$(fmt "$post")" "$(fmt "$delete")" "$(fmt "$me")" \
    "$all" "${lookup%% *}" "${lookup#* }" "$(fmt "$after")"
done

# up, then down, then up again on the same address: no restart of maas-api
fresh; timed POST /v1/tokens "$BEARER" > /dev/null
fault REFUSED
fresh; down=$(timed POST /v1/tokens "$BEARER")
fault NONE
fresh; up=$(timed POST /v1/tokens "$BEARER")
printf '\nAPI server stopped mid-run: a fresh bearer'"'"'s mint %s; back on the same address: %s\n' \
  "$(fmt "$down")" "$(fmt "$up")"

# 250 mints waiting on a silent API server (bearers it knows and ones it does not): what else still answers
fault SILENT
for i in $(seq 1 250); do
  if [ $((i % 2)) = 0 ]; then b="sha256~unknown-$RANDOM-$i"; else b=${BEARERS[$((NEXT + i % 5))]}; fi
  curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 -X POST -H "Authorization: Bearer $b" \
    "$APP/v1/tokens" >> "$WORK/waiting" &
done
sleep 1
printf '\n250 mints waiting on a silent API server, 1 s after they were sent:\n'
for probe in "GET /q/health/ready" "GET /q/metrics" "GET /v1/tiers" "GET /v1/tiers/policies" "POST /v1/tokens"; do
  set -- $probe
  answer=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 -X "$1" "$APP$2")
  printf -- '- %s (no Authorization): %s in %.3f s\n' "$probe" "${answer%% *}" "${answer#* }"
done
wait $(jobs -p | grep -v -e "^$APP_PID\$" -e "^$PROXY_PID\$") 2>/dev/null || true
awk '{n++; c[$1]++; if ($2 > max) max = $2} END {s = ""; for (k in c) s = s (s == "" ? "" : ", ") c[k] "x " k; printf "- the 250 mints: %d answered (%s), slowest %.2f s\n", n, s, max}' "$WORK/waiting"
fault NONE

# --- issue 24: what the jar writes to its log while the API server is away (no requests meanwhile) ---
# the informers' watches re-established after the SILENT run above: every informer on the readiness data says
# watching (Informers: back within about 8 s of the API server): 120 tries, 0.5 s apart (each at most 5 s)
watching() {
  curl -sS --max-time 5 "$APP/q/health/ready" | jq -e '[.checks[] | select(.name == "kubernetes-informers")
    | .data // {} | to_entries[] | select(.key | endswith(".watching")) | .value] | all' > /dev/null
}
for _ in $(seq 1 120); do watching && break; sleep 0.5; done
watching || die "the informers are not watching after 120 tries since the API server came back: $(curl -sS "$APP/q/health/ready")"
before=$(log_lines)
fault REFUSED
sleep "$OUTAGE_S"
during_refused=$(( $(log_lines) - before ))
fault NONE
before=$(log_lines)
sleep 10
after_refused=$(( $(log_lines) - before ))
fresh; back_refused=$(timed POST /v1/tokens "$BEARER")

before=$(log_lines)
start=$(date +%s.%N)
tools/control-plane/control-plane.sh stop-apiserver "$PLANE"
sleep "$OUTAGE_S"
tools/control-plane/control-plane.sh start-apiserver "$PLANE" 2> "$WORK/restart.err" \
  || die "the kube-apiserver did not start again: $(tail -5 "$WORK/restart.err")"
restart_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')
during_restart=$(( $(log_lines) - before ))
before=$(log_lines)
sleep 10
after_restart=$(( $(log_lines) - before ))
fresh; back_restart=$(timed POST /v1/tokens "$BEARER")
printf '
Log lines the service wrote (no requests meanwhile):
'
printf -- '- %s s of refused connections (the proxy'"'"'s port closed): %d lines; 10 s after: %d; then a fresh mint %s\n' \
  "$OUTAGE_S" "$during_refused" "$after_refused" "$(fmt "$back_refused")"
printf -- '- kube-apiserver process stopped for %s s and started again (%.1f s until ready): %d lines; 10 s after: %d; then a fresh mint %s\n' \
  "$OUTAGE_S" "$restart_s" "$during_restart" "$after_restart" "$(fmt "$back_restart")"

log "the service's log lines by level and logger: $(grep -E '^[0-9]{4}-' "$WORK/app.log" | awk '{print $2, $3}' \
  | sort | uniq -c | sort -rn | tr -s ' ' | tr '\n' ';')"
[ "$during_refused" -lt "$MAX_OUTAGE_LINES" ] \
  || die "a ${OUTAGE_S} s outage wrote $during_refused log lines (limit $MAX_OUTAGE_LINES): see bench-results/faults-app.log"
