#!/usr/bin/env bash
# The GET /v1/models benchmark (issues 10 and 23), run by `make bench` after the mint benchmark
# (docs/performance.md, "Model list"). maas-api (the jar, the deployment's JVM options, its own ServiceAccount
# with the shipped RBAC) against a real control plane on loopback (tools/control-plane) holding TOTAL ready
# LLMInferenceServices on the gateway in ten namespaces, VISIBLE of them granted to the free tier by a Role and
# RoleBinding each, as an admin grants them (docs/deployment.md); the real kube-apiserver answers every
# SubjectAccessReview. One free-tier caller with their own cluster token (a static user of the control plane).
# Reports the cold first answer (every decision a SubjectAccessReview), then the warm cache: p50/p99 at -c1 and
# -cN and API requests per request (watches apart), as kube-apiserver counts them. Warm means within the
# decision and review caches' TTLs: the run sets both to 1h so that no entry expires in the middle of a
# measurement (defaults: 30 s).
# Then GET /v1/usage for the same caller and models (issue 23): the 100 visible models' counters from a Limitador
# fake (bench/limitador_fake.py: each route holds the counters of BENCH_USAGE_USERS other users too, as a busy
# route does): the first answer (every route's counters read; the access decisions are already cached) and warm
# p50/p99 (route counters reused for maas.usage.cache-ttl, 5 s, then read again).
# Knobs (environment): BENCH_MODELS_TOTAL, BENCH_MODELS_VISIBLE, BENCH_MODELS_DURATION (s per run),
# BENCH_MODELS_ROUNDS, BENCH_MODELS_WARMUP (s), BENCH_MODELS_CONNECTIONS, BENCH_MODELS_APP_PORT (and the next
# port, the Limitador fake's), BENCH_USAGE_USERS,
# CRD_SCHEMAS_DIR (the CRDs to install; default ../shared/schemas/crds). Results: stdout and
# bench-results/models/.
set -euo pipefail
cd "$(dirname "$0")/.."

TOTAL=${BENCH_MODELS_TOTAL:-1000}
VISIBLE=${BENCH_MODELS_VISIBLE:-100}
DURATION=${BENCH_MODELS_DURATION:-5}
ROUNDS=${BENCH_MODELS_ROUNDS:-2}
WARMUP=${BENCH_MODELS_WARMUP:-15}
CONNECTIONS=${BENCH_MODELS_CONNECTIONS:-8}
APP_PORT=${BENCH_MODELS_APP_PORT:-18092}
LIMITADOR_PORT=$((APP_PORT + 1))
USAGE_USERS=${BENCH_USAGE_USERS:-200}
CRDS=${CRD_SCHEMAS_DIR:-../shared/schemas/crds}
OUT=bench-results/models
STATE=target/bench-models
PLANE=$STATE/control-plane
USER_NAME=free-01
JAR=target/quarkus-app/quarkus-run.jar
LUA=bench/mint.lua

BENCH_NAME=bench-models
# shellcheck source=bench/common.sh
. bench/common.sh

install_missing wrk curl jq bc openssl python3
[ -f "$JAR" ] || die "$JAR missing: run 'make bench' (it builds first)"
[ -f "$CRDS/llminferenceservices.serving.kserve.io.yaml" ] || die "no CRDs in $CRDS (set CRD_SCHEMAS_DIR)"
JVM_OPTS=$(deployment_jvm_opts)
require_free_ports "BENCH_MODELS_APP_PORT" "$APP_PORT" "$LIMITADOR_PORT"

WORK=$(mktemp -d)
APP_PID=""
LIMITADOR_PID=""
stop_at_exit APP_PID LIMITADOR_PID
rm -rf "$OUT"
mkdir -p "$OUT/runs/models" "$OUT/runs/usage"

start_plane_for_maas_api "$PLANE" "$STATE/maas-api.kubeconfig"
# the CRDs maas-api watches for /v1/models (KServe, Gateway API): a plain create (KServe's is too large
# for client-side apply's annotation)
for crd in llminferenceservices.serving.kserve.io httproutes.gateway.networking.k8s.io; do
  # shellcheck disable=SC2086 # KUBECTL is a command line
  $KUBECTL create -f "$CRDS/$crd.yaml" > /dev/null || die "could not create the CRD $crd"
done
for crd in llminferenceservices.serving.kserve.io httproutes.gateway.networking.k8s.io; do
  for _ in $(seq 1 120); do # (kubectl wait fails on a CRD whose status has no conditions yet)
    # shellcheck disable=SC2086
    [ "$($KUBECTL get "crd/$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2> /dev/null)" = True ] \
      && break
    sleep 0.5
  done
done
log "$TOTAL models in 10 namespaces, $VISIBLE of them granted to the free tier's group"
python3 - "$TOTAL" "$VISIBLE" "$WORK" <<'PY'
import json, sys
total, visible, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
group = "system:serviceaccounts:maas-default-gateway-tier-free"
every = max(1, total // max(1, visible))
objects, statuses, granted = [], [], 0
for ns in range(10):
    objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"bench-models-{ns}"}})
for i in range(total):
    ns, name = f"bench-models-{i % 10}", f"model-{i}"
    meta = {"name": name, "namespace": ns}
    objects.append({"apiVersion": "serving.kserve.io/v1alpha2", "kind": "LLMInferenceService", "metadata": meta,
                    "spec": {"model": {"uri": f"hf://org/{name}", "name": f"org/{name}"},
                             "router": {"gateway": {"refs": [{"name": "maas-default-gateway",
                                                              "namespace": "openshift-ingress"}]}}}})
    statuses.append({"apiVersion": "serving.kserve.io/v1alpha2", "kind": "LLMInferenceService", "metadata": meta,
                     "status": {"addresses": [{"name": "gateway-external",
                                               "url": f"https://maas.apps.example.com/{ns}/{name}"}],
                                "conditions": [{"type": "Ready", "status": "True",
                                                "lastTransitionTime": "2026-01-01T00:00:00Z"}]}})
    if i % every == 0 and granted < visible:
        granted += 1
        objects.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                        "metadata": {"name": f"{name}-post", "namespace": ns},
                        "rules": [{"apiGroups": ["serving.kserve.io"], "resources": ["llminferenceservices"],
                                   "resourceNames": [name], "verbs": ["post"]}]})
        objects.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                        "metadata": {"name": f"{name}-post", "namespace": ns},
                        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{name}-post"},
                        "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": group}]})
for file, items in (("models.json", objects), ("status.json", statuses)):
    with open(f"{work}/{file}", "w") as out:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, out)
PY
# shellcheck disable=SC2086
$KUBECTL apply --server-side --field-manager=bench -f "$WORK/models.json" > "$OUT/seed-models.txt" 2>&1 \
  || die "creating the models failed: $(tail -5 "$OUT/seed-models.txt")"
# shellcheck disable=SC2086 # the status as KServe's controller writes it: through the status subresource
$KUBECTL apply --server-side --field-manager=bench --subresource=status -f "$WORK/status.json" \
  > "$OUT/seed-status.txt" 2>&1 || die "writing the models' status failed: $(tail -5 "$OUT/seed-status.txt")"
counts() { # the kube-apiserver's counters of what maas-api asks it
  api_counts | jq -c '{subject_access_reviews: (.["POST authorization.k8s.io/subjectaccessreviews"] // 0),
    token_reviews: (.["POST authentication.k8s.io/tokenreviews"] // 0),
    watches: ([to_entries[] | select(.key | startswith("WATCH")) | .value] | add // 0),
    api_requests: ([to_entries[] | select(.key | test("^(POST authorization.k8s.io/subjectaccessreviews|POST authentication.k8s.io/tokenreviews|(GET|LIST) (serving.kserve.io|gateway.networking.k8s.io)/)")) | .value] | add // 0)}'
}
# (api_requests: what a GET /v1/models can cause; the leases and endpoints that run anyway are left out)
BEARER=$(user_token "$PLANE" "$USER_NAME")
[ -n "$BEARER" ] || die "no user $USER_NAME in $PLANE/users.csv"

python3 bench/limitador_fake.py "$LIMITADOR_PORT" "$WORK/userid" "$USAGE_USERS" &
LIMITADOR_PID=$!
# shellcheck disable=SC2086
KUBECONFIG=$STATE/maas-api.kubeconfig java $JVM_OPTS -Dmaas.models.access-cache-ttl=1h \
  -Dmaas.identity.review-cache-ttl=1h -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" \
  -Dmaas.usage.limitador-url="http://127.0.0.1:$LIMITADOR_PORT" -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
APP=http://127.0.0.1:$APP_PORT
wait_ready "$APP" "$APP_PID" "$OUT/app.log"

# cold: the first request starts the informers and decides every model with a SubjectAccessReview; should
# that take longer than maas.kubernetes.request-deadline it answers 503 while the reviews it started go on
# filling the cache: the script then asks again until the answer is 200, and reports how many it took
before=$(counts)
COLD_START=$(date +%s.%N)
COLD_TRIES=0
while :; do
  COLD_TRIES=$((COLD_TRIES + 1))
  code=$(curl -sS -o "$WORK/first.json" -w '%{http_code}' -H "Authorization: Bearer $BEARER" "$APP/v1/models")
  [ "$code" = 200 ] && break
  [ "$code" = 503 ] && [ "$COLD_TRIES" -lt 30 ] || die "GET /v1/models answered $code: $(cat "$WORK/first.json")"
  sleep 1
done
COLD="200 $(echo "$(date +%s.%N) - $COLD_START" | bc)"
after=$(counts)
LISTED=$(jq '.data | length' "$WORK/first.json")
[ "$LISTED" = "$VISIBLE" ] || die "the first answer lists $LISTED models, expected $VISIBLE"
COLD_SARS=$(jq -n --argjson b "$before" --argjson a "$after" '$a.subject_access_reviews - $b.subject_access_reviews')
log "cold: first 200 after ${COLD#* } s and $COLD_TRIES request(s), $LISTED models listed, $COLD_SARS SubjectAccessReviews"
printf '/v1/models\t%s\t-\t\n' "$BEARER" > "$WORK/models.requests"

wrk_run() { # LABEL CONNECTIONS SECONDS [ENDPOINT] -> $OUT/runs/ENDPOINT/LABEL.json (ENDPOINT models, the default, or usage)
  local label=$1 conns=$2 secs=$3 endpoint=${4:-models} c_before c_after
  c_before=$(counts)
  BENCH_METHOD=GET BENCH_STATUS=200 BENCH_LABEL=$label BENCH_REQUESTS="$WORK/$endpoint.requests" \
    BENCH_OUT="$WORK/$label.json" wrk -t1 -c"$conns" -d"${secs}s" --timeout 5s -s "$LUA" "$APP" \
    > "$WORK/$label.txt" 2>&1 || die "$label: wrk failed: $(cat "$WORK/$label.txt")"
  sleep 0.3
  c_after=$(counts)
  jq -c --argjson cb "$c_before" --argjson ca "$c_after" --argjson conns "$conns" \
    '. + {connections: $conns, api_requests: ($ca.api_requests - $cb.api_requests),
          subject_access_reviews: ($ca.subject_access_reviews - $cb.subject_access_reviews),
          token_reviews: ($ca.token_reviews - $cb.token_reviews), watches: ($ca.watches - $cb.watches)}' \
    "$WORK/$label.json" > "$OUT/runs/$endpoint/$label.json"
  local errors
  errors=$(jq '.errors.connect + .errors.read + .errors.write + .errors.status + .errors.timeout + .bad_status' "$OUT/runs/$endpoint/$label.json")
  [ "$errors" = 0 ] || die "$label: $errors errors or unexpected statuses"
}

log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); warm-up ${WARMUP}s at -c$CONNECTIONS"
wrk_run warmup "$CONNECTIONS" "$WARMUP"
for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS: -c1 then -c$CONNECTIONS, ${DURATION}s each"
  wrk_run "c1-$round" 1 "$DURATION"
  wrk_run "c$CONNECTIONS-$round" "$CONNECTIONS" "$DURATION"
done

jq -s --arg cold "$COLD" --argjson tries "$COLD_TRIES" --argjson sars "$COLD_SARS" --argjson total "$TOTAL" --argjson visible "$VISIBLE" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg date "$(date -u +%FT%TZ)" --arg jvm "$JVM_OPTS" --argjson conns "$CONNECTIONS" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . / 1000 | . * 100 | round / 100;
  map(select(.label != "warmup")) as $runs |
  def level($c): ($runs | map(select(.connections == $c))) as $r |
    {connections: $c, p50_ms: ($r | map(.latency_us.p50) | median | ms), p99_ms: ($r | map(.latency_us.p99) | median | ms),
     rps: ($r | map(.rps) | median | round), requests: ($r | map(.requests) | add),
     rounds: ($r | map({p50_ms: (.latency_us.p50 | ms), p99_ms: (.latency_us.p99 | ms), rps: (.rps | round)}))};
  ($runs | map(.requests) | add) as $n | ($runs | map(.api_requests) | add) as $api |
  {date: $date, commit: $commit, loadavg_after: $load, jvm_options: $jvm, models: $total, visible: $visible,
   cold: {seconds_to_first_200: ($cold | split(" ")[1] | tonumber | . * 100 | round / 100), requests: $tries, subject_access_reviews: $sars},
   c1: level(1), load: level($conns), requests: $n, api_requests: $api,
   subject_access_reviews: ($runs | map(.subject_access_reviews) | add),
   token_reviews: ($runs | map(.token_reviews) | add), watches: ($runs | map(.watches) | add),
   api_requests_per_request: ($api / $n),
   targets: {p99_ms_c1: {target: 5, met: (level(1).p99_ms <= 5)}, api_requests_per_request: {target: 0, met: ($api == 0)}}}
  ' "$OUT"/runs/models/*.json > "$OUT/summary.json"

jq -r '
  def ok(t): if t.met then "met" else "MISSED" end;
  "",
  "maas-api GET /v1/models benchmark, \(.date), commit \(.commit)",
  "\(.models) models on the gateway, \(.visible) visible to the caller; service JVM options: \(.jvm_options)",
  "cold: first 200 after \(.cold.seconds_to_first_200) s (\(.cold.requests) request(s): one that spends the 10 s deadline answers 503 and is asked again), \(.cold.subject_access_reviews) SubjectAccessReviews",
  "warm -c1:  p50 \(.c1.p50_ms) ms, p99 \(.c1.p99_ms) ms (target <= 5: \(ok(.targets.p99_ms_c1))), \(.c1.rps) req/s; rounds \(.c1.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))",
  "warm -c\(.load.connections):  p50 \(.load.p50_ms) ms, p99 \(.load.p99_ms) ms, \(.load.rps) req/s; rounds \(.load.rounds | map("\(.p50_ms)/\(.p99_ms) \(.rps)") | join(", "))",
  "API requests per request: \(.api_requests_per_request) (\(.api_requests) for \(.requests) requests: \(.subject_access_reviews) SubjectAccessReviews, \(.token_reviews) TokenReviews; target 0: \(ok(.targets.api_requests_per_request))); watches apart: \(.watches)",
  "load average after: \(.loadavg_after); results: bench-results/models/summary.txt, summary.json, runs/models/*.json"
' "$OUT/summary.json" | tee "$OUT/summary.txt"

# --- GET /v1/usage: the same caller and the same 100 models, counters from the Limitador fake ---
limitador_requests() { curl -fsS "http://127.0.0.1:$LIMITADOR_PORT/stats" | jq .requests; }
# The caller's gateway userid is their ServiceAccount's name: the sub (system:serviceaccount:<ns>:<name>) of a
# token minted for them. Not GET /v1/access, which would read (and cache) every route's counters before the fake
# knows the caller; it is asked below, once the first GET /v1/usage is measured, to confirm the userid.
curl -fsS -X POST -H "Authorization: Bearer $BEARER" -H 'Content-Type: application/json' -d '{}' "$APP/v1/tokens" \
  | jq -r .token | jwt_claims | jq -r '.sub | split(":") | last' > "$WORK/userid" || die "no token minted for the caller, so no gateway userid"
[ -s "$WORK/userid" ] || die "the minted token names no ServiceAccount"
lim_before=$(limitador_requests)
USAGE_START=$(date +%s.%N)
code=$(curl -sS -o "$WORK/usage.json" -w '%{http_code}' -H "Authorization: Bearer $BEARER" "$APP/v1/usage")
USAGE_FIRST=$(echo "$(date +%s.%N) - $USAGE_START" | bc)
[ "$code" = 200 ] || die "GET /v1/usage answered $code: $(cat "$WORK/usage.json")"
USAGE_FIRST_READS=$(( $(limitador_requests) - lim_before ))
# every visible model with both free-tier limits, none left out, the caller's own counters (half used) found
jq -e --argjson n "$VISIBLE" '(.partial != true) and (.usage | length == 2 * $n)
  and (.usage | all(.used == (.max - (.max / 2 | floor))))' "$WORK/usage.json" > /dev/null \
  || die "GET /v1/usage is not the expected answer: $(head -c 600 "$WORK/usage.json")"
log "usage: first 200 after $USAGE_FIRST s, $USAGE_FIRST_READS Limitador reads, $(jq '.usage | length' "$WORK/usage.json") entries"
[ "$(curl -fsS -H "Authorization: Bearer $BEARER" "$APP/v1/access" | jq -r .gateway.userid)" = "$(cat "$WORK/userid")" ] \
  || die "GET /v1/access names another gateway userid than the minted token's ServiceAccount"
printf '/v1/usage\t%s\t-\t\n' "$BEARER" > "$WORK/usage.requests"
lim_before=$(limitador_requests)
wrk_run usage-warmup "$CONNECTIONS" "$WARMUP" usage
for round in $(seq 1 "$ROUNDS"); do
  log "usage round $round/$ROUNDS: -c1 then -c$CONNECTIONS, ${DURATION}s each"
  wrk_run "c1-$round" 1 "$DURATION" usage
  wrk_run "c$CONNECTIONS-$round" "$CONNECTIONS" "$DURATION" usage
done
USAGE_READS=$(( $(limitador_requests) - lim_before ))

jq -s --arg first "$USAGE_FIRST" --argjson first_reads "$USAGE_FIRST_READS" --argjson reads "$USAGE_READS" \
  --argjson visible "$VISIBLE" --argjson users "$USAGE_USERS" --argjson conns "$CONNECTIONS" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def ms: . / 1000 | . * 100 | round / 100;
  map(select(.label != "usage-warmup")) as $runs |
  def level($c): ($runs | map(select(.connections == $c))) as $r |
    {connections: $c, p50_ms: ($r | map(.latency_us.p50) | median | ms), p99_ms: ($r | map(.latency_us.p99) | median | ms),
     rps: ($r | map(.rps) | median | round), requests: ($r | map(.requests) | add)};
  {models: $visible, other_users_per_route: $users, loadavg_after: $load,
   first: {seconds: ($first | tonumber | . * 1000 | round / 1000), limitador_reads: $first_reads},
   c1: level(1), load: level($conns), limitador_reads_warm: $reads,
   api_requests: ($runs | map(.api_requests) | add)}
  ' "$OUT"/runs/usage/*.json > "$OUT/usage-summary.json"
jq -r '
  "GET /v1/usage, \(.models) models, each route holding \(.other_users_per_route) other users'"'"' counters:",
  "first: 200 after \(.first.seconds) s, \(.first.limitador_reads) Limitador reads (access decisions already cached)",
  "warm -c1:  p50 \(.c1.p50_ms) ms, p99 \(.c1.p99_ms) ms, \(.c1.rps) req/s",
  "warm -c\(.load.connections):  p50 \(.load.p50_ms) ms, p99 \(.load.p99_ms) ms, \(.load.rps) req/s",
  "Limitador reads while warm: \(.limitador_reads_warm) (route counters reused for maas.usage.cache-ttl); Kubernetes API requests: \(.api_requests)",
  "results: bench-results/models/usage-summary.json, runs/usage/*.json"
' "$OUT/usage-summary.json" | tee -a "$OUT/summary.txt"
