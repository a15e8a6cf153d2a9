#!/usr/bin/env bash
# `make demo`: maas-api (the packaged jar) against a real local Kubernetes control plane (etcd,
# kube-apiserver, kube-controller-manager from tools/control-plane), on 127.0.0.1 only. The cluster is
# seeded by org.maas.api.tools.DemoCluster (test scope): CRDs, the shipped manifests and RBAC, three models,
# an admin group; it also runs the Limitador fake. maas-api authenticates as its own ServiceAccount.
# Prints a "try this" block of curl and kubectl lines; Ctrl-C stops everything.
#   demo/run.sh            interactive: serves until Ctrl-C
#   demo/run.sh --check    headless (make test): walks the journey, checks every answer, stops
# Knobs: DEMO_PORT (maas-api, default 8080; with --check a free one unless set), MVN.
# Each port has its own directory, target/demo/<port>/ (kubeconfigs, logs, the control plane's files).
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=false
[ "${1:-}" = --check ] && CHECK=true
MVN=${MVN:-./mvnw -B -ntp}
JAR=target/quarkus-app/quarkus-run.jar
MAIN=org.maas.api.tools.DemoCluster
die() { echo "demo: $*" >&2; exit 1; }
for tool in curl jq java python3; do command -v "$tool" > /dev/null || die "$tool is needed"; done
[ -f "$JAR" ] || die "$JAR is missing: run make demo (it builds first)"
[ -f "target/test-classes/${MAIN//.//}.class" ] || die "no $MAIN in target/test-classes: run make demo"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=${DEMO_PORT:-8080}
if $CHECK && [ -z "${DEMO_PORT:-}" ]; then PORT=$(free_port); fi

DIR=target/demo/$PORT
PLANE=$DIR/control-plane
rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
APP_PID=""
SEED_PID=""
alive() { # a child that exited stays a zombie (kill -0 succeeds) until waited for
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${state#Z}" = "$state" ]
}
cleanup() { # maas-api first, so that it does not log the API going away
  local pid
  for pid in "$APP_PID" "$SEED_PID"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
  done
  tools/control-plane/control-plane.sh stop "$PLANE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the test classpath, kept in target/ until pom.xml changes (as bench/mint.sh does)
CLASSPATH_FILE=target/bench-test-classpath.txt
if [ ! -s "$CLASSPATH_FILE" ] || [ pom.xml -nt "$CLASSPATH_FILE" ]; then
  echo "demo: resolving the test classpath"
  # shellcheck disable=SC2086 # MVN is a command line
  $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DIR/cp.txt" > "$DIR/mvn.log" 2>&1 \
    || die "mvn dependency:build-classpath failed: $(tail -20 "$DIR/mvn.log")"
  mv "$DIR/cp.txt" "$CLASSPATH_FILE"
fi

echo "demo: starting the control plane (the first run on a machine builds it from the Go module proxy)"
tools/control-plane/control-plane.sh start "$PLANE" > /dev/null
# shellcheck disable=SC1091
. "$PLANE/env"
KUBECTL=$KUBE_BIN/kubectl
ADMIN_KUBECONFIG=$PLANE/admin.kubeconfig

java -XX:+UseSerialGC -Xmx256m -Dcrd.schemas.dir="${CRD_SCHEMAS_DIR:-../shared/schemas/crds}" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" "$MAIN" \
  "$PLANE" "$DIR/maas-api.kubeconfig" > "$DIR/seed.out" 2> "$DIR/seed.log" &
SEED_PID=$!
for _ in $(seq 1 240); do
  grep -qs '^ready' "$DIR/seed.out" && break
  alive "$SEED_PID" || die "seeding the cluster failed; see $DIR/seed.log"
  sleep 0.25
done
grep -q '^ready' "$DIR/seed.out" || die "the cluster is not seeded after 60 s; see $DIR/seed.log"
LIMITADOR=$(awk -F'\t' '$1 == "limitador" {print $2}' "$DIR/seed.out")

# shellcheck disable=SC2046 # the Deployment's JVM options, one word each
KUBECONFIG="$DIR/maas-api.kubeconfig" java $(tools/deployment-jvm-options.sh) \
  -Dmaas.models.manage-access=true -Dmaas.usage.limitador-url="$LIMITADOR" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$JAR" > "$DIR/maas-api.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$PORT
for _ in $(seq 1 240); do
  curl -fs -o /dev/null "$APP/q/health/ready" && break
  alive "$APP_PID" || die "maas-api exited; see $DIR/maas-api.log"
  sleep 0.25
done
curl -fs -o /dev/null "$APP/q/health/ready" || die "maas-api is not ready after 60 s; see $DIR/maas-api.log"

token_of() { awk -F, -v u="$1" '$2 == u {print $1}' "$PLANE/users.csv"; }
PAT=$(token_of pat)
ADA=$(token_of ada)
AUDIENCE=maas-default-gateway-sa
cat <<TRY

maas-api on $APP (MAAS=$APP), against a real local control plane at $KUBE_API.
maas-api is the ServiceAccount maas-api/maas-api with the shipped RBAC and overlays/model-access.
Users (static cluster tokens; the API server adds system:authenticated to each):
  alice  free        ALICE=$(token_of alice)
  pat    premium     PAT=$PAT
  erin   enterprise  ERIN=$(token_of erin)
  ada    admin       ADA=$ADA   (group maas-admins: may delete ServiceAccounts, so may use /v1/admin)

Try this (pat, premium):
  MAAS=$APP PAT=$PAT ADA=$ADA
  curl -sS -X POST \$MAAS/v1/tokens -H "Authorization: Bearer \$PAT" -H 'Content-Type: application/json' -d '{"expiration":"1h"}' | jq
  curl -sS \$MAAS/v1/models -H "Authorization: Bearer \$PAT" | jq '.data[].id'
  KEY=\$(curl -sS -X POST \$MAAS/v1/api-keys -H "Authorization: Bearer \$PAT" -H 'Content-Type: application/json' -d '{"name":"laptop"}')
  curl -sS \$MAAS/v1/api-keys -H "Authorization: Bearer \$PAT" | jq
  curl -sS \$MAAS/v1/models -H "Authorization: Bearer \$(jq -r .key <<< "\$KEY")" -o /dev/null -w '%{http_code}\n'
  curl -sS \$MAAS/v1/usage -H "Authorization: Bearer \$PAT" | jq
  curl -sS \$MAAS/v1/access -H "Authorization: Bearer \$PAT" | jq      # why 403 / 429 (docs/access.md)
  curl -sS "\$MAAS/v1/admin/api-keys?user=pat" -H "Authorization: Bearer \$ADA" | jq
  curl -sS \$MAAS/v1/admin/doctor -H "Authorization: Bearer \$ADA" -H 'Accept: text/plain'   # is the gateway enforcing? (docs/doctor.md)
  curl -sS -X DELETE \$MAAS/v1/api-keys/\$(jq -r .id <<< "\$KEY") -H "Authorization: Bearer \$PAT" -w '%{http_code}\n'
The cluster, as an admin sees it (system:masters):
  export KUBECONFIG=$ADMIN_KUBECONFIG KUBECTL=$KUBECTL
  \$KUBECTL get serviceaccounts,secrets -n maas-default-gateway-tier-premium
  \$KUBECTL get roles,rolebindings -n llm          # what maas-api's reconciler granted
  # what the gateway asks: is this key still a credential for its audience? (false within 10 s of the revoke)
  \$KUBECTL create -o json -f - <<< "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"audiences\":[\"$AUDIENCE\"],\"token\":\"\$(jq -r .key <<< "\$KEY")\"}}" | jq '.status.authenticated == true'
Logs: $DIR/. Ctrl-C stops everything.
TRY

if ! $CHECK; then
  wait "$APP_PID"
  exit 0
fi

# --- headless: the journey above, every answer checked ---
fail() { echo "demo check FAILED: $*" >&2; echo "--- maas-api log:" >&2; tail -30 "$DIR/maas-api.log" >&2; exit 1; }
call() { # METHOD PATH BEARER [BODY] -> prints the status, the body in $DIR/body
  local data=()
  [ $# -ge 4 ] && data=(-H 'Content-Type: application/json' --data-binary "$4")
  curl -sS -o "$DIR/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" "${data[@]}" "$APP$2"
}
review() { # TOKEN -> true|false: the API server's TokenReview with the gateway's audience, as the gateway asks
  KUBECONFIG=$ADMIN_KUBECONFIG "$KUBECTL" create -o json -f - <<< \
    "$(jq -n --arg t "$1" --arg a "$AUDIENCE" '{apiVersion:"authentication.k8s.io/v1",kind:"TokenReview",spec:{token:$t,audiences:[$a]}}')" \
    | jq -r '.status.authenticated == true'
}
[ "$(call POST /v1/tokens "$PAT" '{"expiration":"1h"}')" = 201 ] || fail "mint: $(cat "$DIR/body")"
TOKEN=$(jq -r '.token // empty' "$DIR/body")
[ -n "$TOKEN" ] || fail "mint answered no token: $(cat "$DIR/body")"
[ "$(review "$TOKEN")" = true ] || fail "the API server does not accept the minted token for $AUDIENCE"
echo "ok: a token minted for pat, accepted by the API server for $AUDIENCE"
MODELS=""
for _ in $(seq 1 120); do # the reconciler grants the models as it starts: wait for its RoleBindings
  [ "$(call GET /v1/models "$PAT")" = 200 ] || fail "models: $(cat "$DIR/body")"
  MODELS=$(jq -r '[.data[].id] | sort | join(",")' "$DIR/body")
  [ "$MODELS" = "ibm-granite/granite-3.1-8b-instruct,meta-llama/Llama-3.1-8B-Instruct" ] && break
  sleep 0.5
done
[ "$MODELS" = "ibm-granite/granite-3.1-8b-instruct,meta-llama/Llama-3.1-8B-Instruct" ] || fail "pat's models: $MODELS"
echo "ok: pat (premium) may call $MODELS (granted by maas-api's reconciler through real RBAC)"
[ "$(call POST /v1/api-keys "$PAT" '{"name":"laptop"}')" = 201 ] || fail "create key: $(cat "$DIR/body")"
KEY_ID=$(jq -r .id "$DIR/body")
KEY=$(jq -r .key "$DIR/body")
[ "$(call POST /v1/api-keys "$PAT" '{"name":"kept"}')" = 201 ] || fail "create a second key: $(cat "$DIR/body")"
KEPT=$(jq -r .key "$DIR/body")
echo "ok: keys laptop ($KEY_ID) and kept created"
[ "$(call GET /v1/api-keys "$PAT")" = 200 ] || fail "list keys: $(cat "$DIR/body")"
jq -e --arg id "$KEY_ID" '[.. | objects | select(.id? == $id)] | length == 1' "$DIR/body" > /dev/null \
  || fail "the key is not listed: $(cat "$DIR/body")"
echo "ok: key listed"
[ "$(call GET /v1/models "$KEY")" = 200 ] || fail "the key is not accepted: $(cat "$DIR/body")"
[ "$(call GET /v1/usage "$PAT")" = 200 ] || fail "usage: $(cat "$DIR/body")"
jq -e '[.usage[] | select(.used > 0)] | length > 0' "$DIR/body" > /dev/null || fail "no usage: $(cat "$DIR/body")"
echo "ok: usage read"
[ "$(call GET /v1/access "$KEY")" = 200 ] || fail "access: $(cat "$DIR/body")"
jq -e '.caller.credential == "api-key" and .caller.owner == "pat" and .caller.keyName == "laptop"
  and ([.models[] | select(.name == "granite" and .allowed
    and (.reason | startswith("RBAC: allowed by RoleBinding \"maas-model-granite-access/llm\"")))] | length == 1)' \
  "$DIR/body" > /dev/null || fail "access for pat's key: $(cat "$DIR/body")"
echo "ok: GET /v1/access for pat's key names its owner and the RoleBinding that lets it call granite"
[ "$(call GET "/v1/admin/api-keys?user=pat" "$ADA")" = 200 ] || fail "admin list as ada: $(cat "$DIR/body")"
[ "$(jq 'length' "$DIR/body")" = 2 ] || fail "ada should see pat's 2 keys: $(cat "$DIR/body")"
[ "$(call GET "/v1/admin/api-keys?user=pat" "$PAT")" = 403 ] || fail "pat is no admin: $(cat "$DIR/body")"
echo "ok: ada (maas-admins) lists pat's keys; pat may not"
[ "$(call GET /v1/admin/doctor "$PAT")" = 403 ] || fail "pat is no admin, yet ran the doctor: $(cat "$DIR/body")"
[ "$(call GET /v1/admin/doctor "$ADA")" = 200 ] || fail "doctor as ada: $(cat "$DIR/body")"
# What maas-api controls passes; what only controllers write (the Gateway's Programmed, the policies' Accepted and
# Enforced, Limitador's limits) fails here, where no gateway controller or Kuadrant operator runs.
jq -e 'def s($c): (.checks[] | select(.check == $c) | .status);
  s("gateway.programmed") == "fail" and s("gateway.listener") == "pass"
  and s("policy.gateway-auth-policy") == "fail" and s("policy.gateway-rate-limits.rendered") == "pass"
  and s("policy.gateway-token-rate-limits.rendered") == "pass" and s("auth.tier-lookup") == "pass"
  and s("auth.audiences") == "pass" and s("models.ready") == "pass" and s("models.routed") == "pass"
  and s("models.callable") == "pass" and s("models.tier-annotation") == "pass"
  and s("permissions.model-access") == "pass" and s("permissions.doctor") == "pass"' "$DIR/body" > /dev/null \
  || fail "the doctor's checks for the demo cluster: $(cat "$DIR/body")"
curl -sS -H "Authorization: Bearer $ADA" -H 'Accept: text/plain' "$APP/v1/admin/doctor" > "$DIR/doctor.txt" \
  || fail "the doctor's table"
head -1 "$DIR/doctor.txt" | grep -q '^doctor: fail' || fail "the doctor's table: $(cat "$DIR/doctor.txt")"
echo "ok: the doctor for ada (pat may not run it); its table for this cluster (no gateway controller, no Kuadrant operator):"
cat "$DIR/doctor.txt"
[ "$(review "$KEY")" = true ] && [ "$(review "$KEPT")" = true ] || fail "the API server does not accept the keys before revoke"
STATUS=$(call DELETE "/v1/api-keys/$KEY_ID" "$PAT")
[ "$STATUS" = 204 ] || fail "revoke: $STATUS $(cat "$DIR/body")"
# kube-apiserver caches a successful token review for 10 s (per token and audiences), and the key was just
# reviewed above: refused within that, not at once.
REVOKED_AT=$SECONDS
until [ "$(review "$KEY")" = false ]; do
  [ $((SECONDS - REVOKED_AT)) -le 20 ] || fail "the API server still accepts the revoked key for $AUDIENCE after 20 s"
  sleep 0.5
done
[ "$(review "$KEPT")" = true ] || fail "revoking laptop also revoked kept"
echo "ok: the API server refuses the revoked key for $AUDIENCE ($((SECONDS - REVOKED_AT)) s after revoke: its 10 s token cache) and still accepts the kept one"
ACCOUNTS=$(KUBECONFIG=$ADMIN_KUBECONFIG "$KUBECTL" get serviceaccounts -n maas-default-gateway-tier-premium -o name)
grep -q '^serviceaccount/pat-' <<< "$ACCOUNTS" || fail "kubectl sees no ServiceAccount of pat in maas-default-gateway-tier-premium: $ACCOUNTS"
echo "ok: kubectl sees pat's ServiceAccount in maas-default-gateway-tier-premium"
# nobody: an admin takes system:authenticated out of tier free; alice, in no other group, is then in no tier
# and GET /v1/access says why. The tier config is put back after.
ALICE=$(token_of alice)
tiers_configmap() { KUBECONFIG=$ADMIN_KUBECONFIG "$KUBECTL" -n maas-api "$@"; }
set_tiers() { tiers_configmap patch configmap tier-to-group-mapping --type merge \
  -p "$(jq -n --arg t "$1" '{data: {tiers: $t}}')" > /dev/null || fail "could not edit the tier ConfigMap"; }
TIERS=$(tiers_configmap get configmap tier-to-group-mapping -o jsonpath='{.data.tiers}')
set_tiers "${TIERS/- system:authenticated/- demo-free-users}"
NOBODY_AT=$SECONDS
until [ "$(call GET /v1/access "$ALICE")" = 200 ] && jq -e '.tier.outcome == "not_found"' "$DIR/body" > /dev/null; do
  [ $((SECONDS - NOBODY_AT)) -le 60 ] || fail "alice still has a tier after free lost system:authenticated: $(cat "$DIR/body")"
  sleep 0.5
done
jq -e '.models == [] and .limits.limits == [] and (.tier.why | contains("no default tier"))' "$DIR/body" > /dev/null \
  || fail "access for nobody: $(cat "$DIR/body")"
echo "ok: with system:authenticated out of tier free, alice is in no tier; GET /v1/access says why:"
jq -c '{tier: .tier | {outcome, why}, models, hiddenModels, gateway: .gateway.note}' "$DIR/body"
set_tiers "$TIERS"
until [ "$(call GET /v1/access "$ALICE")" = 200 ] && jq -e '.tier.name == "free"' "$DIR/body" > /dev/null; do
  [ $((SECONDS - NOBODY_AT)) -le 120 ] || fail "alice is not back in tier free: $(cat "$DIR/body")"
  sleep 0.5
done
echo "ok: the tier config is back; alice is free again"
echo "demo check passed"
