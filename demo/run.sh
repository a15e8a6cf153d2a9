#!/usr/bin/env bash
# `make demo`: maas-api (the packaged jar) against a local stand-in for a cluster, on 127.0.0.1 only.
# The stand-in (org.maas.api.demo.DemoCluster, test scope) is the test suite's Kubernetes API stub and
# Limitador fake, seeded with the default tiers, four users, three models and some counters (README,
# "Try it locally"). Prints a "try this" block of curl lines; Ctrl-C stops both.
#   demo/run.sh            interactive: serves until Ctrl-C
#   demo/run.sh --check    headless (make test): walks the journey, checks every answer, stops
# Knobs: DEMO_PORT (maas-api, default 8080; 0 with --check picks a free one), MVN.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=false
[ "${1:-}" = --check ] && CHECK=true
MVN=${MVN:-./mvnw -B -ntp}
JAR=target/quarkus-app/quarkus-run.jar
MAIN=org.maas.api.demo.DemoCluster
die() { echo "demo: $*" >&2; exit 1; }
for tool in curl jq java; do command -v "$tool" > /dev/null || die "$tool is needed"; done
[ -f "$JAR" ] || die "$JAR is missing: run make demo (it builds first)"
[ -f "target/test-classes/${MAIN//.//}.class" ] || die "no $MAIN in target/test-classes: run make demo"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
PORT=${DEMO_PORT:-8080}
if $CHECK && [ -z "${DEMO_PORT:-}" ]; then PORT=$(free_port); fi

WORK=$(mktemp -d)
APP_PID=""
STAND_IN_PID=""
alive() { # a child that exited stays a zombie (kill -0 succeeds) until waited for
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${state#Z}" = "$state" ]
}
cleanup() { # maas-api before the stand-in, so that it does not log the API going away
  local pid
  for pid in "$APP_PID" "$STAND_IN_PID"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the test classpath, kept in target/ until pom.xml changes (as bench/mint.sh does)
CLASSPATH_FILE=target/bench-test-classpath.txt
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  echo "demo: resolving the test classpath"
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" > "$WORK/mvn.log" 2>&1 \
    || die "mvn dependency:build-classpath failed: $(tail -20 "$WORK/mvn.log")"
  mv "$WORK/cp.txt" "$CLASSPATH_FILE"
fi

LOGS=target/demo
mkdir -p "$LOGS"
java -XX:+UseSerialGC -Xmx256m -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" "$MAIN" 0 \
  "$LOGS/kubeconfig" > "$WORK/stand-in.out" 2> "$LOGS/stand-in.log" &
STAND_IN_PID=$!
for _ in $(seq 1 120); do
  grep -qs '^ready' "$WORK/stand-in.out" && break
  alive "$STAND_IN_PID" || die "the stand-in exited; see $LOGS/stand-in.log"
  sleep 0.25
done
grep -q '^ready' "$WORK/stand-in.out" || die "the stand-in is not ready after 30 s; see $LOGS/stand-in.log"
field() { awk -F'\t' -v k="$1" '$1 == k {print $2}' "$WORK/stand-in.out"; }
token_of() { awk -F'\t' -v u="$1" '$1 == "user" && $2 == u {print $4}' "$WORK/stand-in.out"; }
LIMITADOR=$(field limitador)

KUBECONFIG="$PWD/$LOGS/kubeconfig" java -XX:+UseSerialGC -Xmx256m \
  -Dmaas.tiers.config-map-namespace=maas-api -Dmaas.usage.limitador-url="$LIMITADOR" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" > "$LOGS/maas-api.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$PORT
for _ in $(seq 1 240); do
  curl -fs -o /dev/null "$APP/q/health/ready" && break
  alive "$APP_PID" || die "maas-api exited; see $LOGS/maas-api.log"
  sleep 0.25
done
curl -fs -o /dev/null "$APP/q/health/ready" || die "maas-api is not ready after 60 s; see $LOGS/maas-api.log"

PAT=$(token_of pat)
cat <<TRY

maas-api on $APP, against a local stand-in for a cluster ($(field api), kubeconfig: $LOGS/kubeconfig).
Users (cluster tokens, by tier):
$(awk -F'\t' '$1 == "user" {printf "  %-7s %-10s %s\n", $2, $3, $4}' "$WORK/stand-in.out")

Try this (pat, premium):
  PAT=$PAT
  curl -sS -X POST $APP/v1/tokens -H "Authorization: Bearer \$PAT" -H 'Content-Type: application/json' -d '{"expiration":"1h"}' | jq
  curl -sS $APP/v1/models -H "Authorization: Bearer \$PAT" | jq '.data[].id'
  KEY=\$(curl -sS -X POST $APP/v1/api-keys -H "Authorization: Bearer \$PAT" -H 'Content-Type: application/json' -d '{"name":"laptop"}')
  curl -sS $APP/v1/api-keys -H "Authorization: Bearer \$PAT" | jq
  curl -sS $APP/v1/models -H "Authorization: Bearer \$(jq -r .key <<< "\$KEY")" -o /dev/null -w '%{http_code}\n'
  curl -sS $APP/v1/usage -H "Authorization: Bearer \$PAT" | jq
  curl -sS -X DELETE $APP/v1/api-keys/\$(jq -r .id <<< "\$KEY") -H "Authorization: Bearer \$PAT" -w '%{http_code}\n'
  # the stand-in's TokenReview (what the gateway asks) now refuses the key: "authenticated": false
  curl -sS -X POST $(field api)/apis/authentication.k8s.io/v1/tokenreviews -H 'Content-Type: application/json' -d "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"\$(jq -r .key <<< "\$KEY")\"}}" | jq .status
Logs: $LOGS/. Ctrl-C stops both.
TRY

if ! $CHECK; then
  wait "$APP_PID"
  exit 0
fi

# --- headless: the journey above, every answer checked ---
fail() { echo "demo check FAILED: $*" >&2; echo "--- maas-api log:" >&2; tail -30 "$LOGS/maas-api.log" >&2; exit 1; }
call() { # METHOD PATH BEARER [BODY] -> prints the status, the body in $WORK/body
  local data=()
  [ $# -ge 4 ] && data=(-H 'Content-Type: application/json' --data-binary "$4")
  curl -sS -o "$WORK/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" "${data[@]}" "$APP$2"
}
[ "$(call POST /v1/tokens "$PAT" '{"expiration":"1h"}')" = 201 ] || fail "mint: $(cat "$WORK/body")"
[ -n "$(jq -r '.token // empty' "$WORK/body")" ] || fail "mint answered no token: $(cat "$WORK/body")"
echo "ok: a token minted for pat"
[ "$(call GET /v1/models "$PAT")" = 200 ] || fail "models: $(cat "$WORK/body")"
MODELS=$(jq -r '[.data[].id] | sort | join(",")' "$WORK/body")
[ "$MODELS" = "ibm-granite/granite-3.1-8b-instruct,meta-llama/Llama-3.1-8B-Instruct" ] || fail "pat's models: $MODELS"
echo "ok: pat (premium) may call $MODELS"
[ "$(call POST /v1/api-keys "$PAT" '{"name":"laptop"}')" = 201 ] || fail "create key: $(cat "$WORK/body")"
KEY_ID=$(jq -r .id "$WORK/body")
KEY=$(jq -r .key "$WORK/body")
echo "ok: key $KEY_ID created"
[ "$(call GET /v1/api-keys "$PAT")" = 200 ] || fail "list keys: $(cat "$WORK/body")"
jq -e --arg id "$KEY_ID" '[.. | objects | select(.id? == $id)] | length == 1' "$WORK/body" > /dev/null \
  || fail "the key is not listed: $(cat "$WORK/body")"
echo "ok: key listed"
[ "$(call GET /v1/models "$KEY")" = 200 ] || fail "the key is not accepted: $(cat "$WORK/body")"
[ "$(call GET /v1/usage "$PAT")" = 200 ] || fail "usage: $(cat "$WORK/body")"
jq -e '[.usage[] | select(.used > 0)] | length > 0' "$WORK/body" > /dev/null || fail "no usage: $(cat "$WORK/body")"
echo "ok: usage read"
STATUS=$(call DELETE "/v1/api-keys/$KEY_ID" "$PAT")
[ "$STATUS" = 204 ] || [ "$STATUS" = 200 ] || fail "revoke: $STATUS $(cat "$WORK/body")"
echo "ok: key revoked"
REVIEW=$(curl -sS -X POST "$(field api)/apis/authentication.k8s.io/v1/tokenreviews" -H 'Content-Type: application/json' \
  --data-binary "$(jq -n --arg t "$KEY" '{apiVersion:"authentication.k8s.io/v1",kind:"TokenReview",spec:{token:$t}}')")
[ "$(jq -r '.status.authenticated // false' <<< "$REVIEW")" = false ] || fail "the stand-in still accepts the revoked key"
echo "ok: the revoked key is refused by the stand-in's TokenReview"
echo "demo check passed"
