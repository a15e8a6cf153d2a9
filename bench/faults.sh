#!/usr/bin/env bash
# The packaged jar against a failing Kubernetes API (issue 8; docs/performance.md, "Kubernetes API outages").
#   maas-api (target/quarkus-app, the deployment's JVM options, KUBECONFIG pointing at loopback) talks to
#   org.maas.api.testing.ApiFaultServer: the tests' API stub behind a fault proxy. For each fault it times
#   POST /v1/tokens, DELETE /v1/tokens and GET /v1/tiers/me with a fresh bearer (curl), 30 concurrent
#   mints, a lookup during the outage, and a mint after recovery; then an API server that goes away and
#   comes back. Needs `./mvnw -B -ntp package -DskipTests` first (the jar and the test classes).
# Knobs: BENCH_FAULTS_APP_PORT, BENCH_FAULTS_PORT (the API server, 3 consecutive ports: stub, proxy, control).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT=${BENCH_FAULTS_APP_PORT:-18190}
STUB_PORT=${BENCH_FAULTS_PORT:-18191}
API_PORT=$((STUB_PORT + 1))
CONTROL_PORT=$((STUB_PORT + 2))
MVN=${MVN:-./mvnw -B -ntp}
JAR=target/quarkus-app/quarkus-run.jar
MAIN=org.maas.api.testing.ApiFaultServer
FAULTS=(REFUSED SILENT SLOW_BODY ERROR_500 UNAVAILABLE_503 TOO_MANY_429)

BENCH_NAME=bench-faults
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing curl
[ -f "$JAR" ] || die "$JAR missing: run './mvnw -B -ntp package -DskipTests'"
[ -f "target/test-classes/${MAIN//.//}.class" ] || die "target/test-classes has no $MAIN: build with the tests compiled"
require_free_ports "BENCH_FAULTS_APP_PORT / BENCH_FAULTS_PORT" "$APP_PORT" "$STUB_PORT" "$API_PORT" "$CONTROL_PORT"
JVM_OPTS=$(deployment_jvm_opts)

WORK=$(mktemp -d)
APP_PID=""
STUB_PID=""
cleanup() {
  local pid
  for pid in "$APP_PID" "$STUB_PID"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
  done
  mkdir -p bench-results && cp "$WORK/app.log" bench-results/faults-app.log 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CLASSPATH_FILE=target/bench-test-classpath.txt # shared with bench/mint.sh
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  log "resolving the test classpath"
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" > "$WORK/mvn.log" 2>&1 \
    || die "mvn dependency:build-classpath failed: $(tail -20 "$WORK/mvn.log")"
  mv "$WORK/cp.txt" "$CLASSPATH_FILE"
fi
USERS=()
for i in $(seq 1 40); do USERS+=("user-$i=system:authenticated"); done
java -Xmx256m -cp "target/test-classes:$(cat "$CLASSPATH_FILE")" "$MAIN" "$STUB_PORT" "$API_PORT" "$CONTROL_PORT" \
  "${USERS[@]}" > "$WORK/stub.out" 2> "$WORK/stub.log" &
STUB_PID=$!
for _ in $(seq 1 120); do
  grep -qs '^ready' "$WORK/stub.out" && break
  kill -0 "$STUB_PID" 2>/dev/null || die "the fault server exited: $(tail -5 "$WORK/stub.log")"
  sleep 0.25
done
grep -q '^ready' "$WORK/stub.out" || die "the fault server is not ready after 30 s"
mapfile -t BEARERS < <(awk -F'\t' '$1 == "user" {print $3}' "$WORK/stub.out")
NEXT=0
fresh() { BEARER=${BEARERS[$NEXT]}; NEXT=$((NEXT + 1)); } # a user whose review is not cached yet
fault() { curl -fsS -o /dev/null -X POST "http://127.0.0.1:$CONTROL_PORT/fault/$1"; }

cat > "$WORK/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: faults, cluster: {server: "http://127.0.0.1:$API_PORT"}}]
users: [{name: maas-api, user: {token: maas-api-own-token}}]
contexts: [{name: faults, context: {cluster: faults, user: maas-api, namespace: maas-api}}]
current-context: faults
KUBECONFIG
# shellcheck disable=SC2086 # JVM_OPTS is a list of options
KUBECONFIG=$WORK/kubeconfig java $JVM_OPTS -Dmaas.tiers.source=file -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$APP_PORT" -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$APP/q/health/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || die "the service exited: $(tail -5 "$WORK/app.log")"
  sleep 0.5
done

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
  wait $(jobs -p | grep -v -e "^$APP_PID\$" -e "^$STUB_PID\$") 2>/dev/null || true
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
wait $(jobs -p | grep -v -e "^$APP_PID\$" -e "^$STUB_PID\$") 2>/dev/null || true
awk '{n++; c[$1]++; if ($2 > max) max = $2} END {s = ""; for (k in c) s = s (s == "" ? "" : ", ") c[k] "x " k; printf "- the 250 mints: %d answered (%s), slowest %.2f s\n", n, s, max}' "$WORK/waiting"
fault NONE

log "the service's log lines by level and logger: $(grep -E '^[0-9]{4}-' "$WORK/app.log" | awk '{print $2, $3}' \
  | sort | uniq -c | sort -rn | tr -s ' ' | tr '\n' ';')"
