# Shared by the bench/*.sh scripts (sourced, not run). Set BENCH_NAME before sourcing.

log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Installs the Debian packages of the named commands that are missing ("command=package" when they differ).
install_missing() {
  local need=() spec cmd
  for spec in "$@"; do
    cmd=${spec%%=*}
    command -v "$cmd" >/dev/null || [ -x "/usr/sbin/$cmd" ] || need+=("${spec#*=}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

# The deployment's JVM options (tools/deployment-jvm-options.sh reads them from application.properties).
deployment_jvm_opts() {
  tools/deployment-jvm-options.sh || die "no JVM options for the jar"
}

# Fails when any of the loopback ports is taken; $1 names the knobs that move them.
require_free_ports() {
  local knobs=$1 port
  shift
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is in use (set $knobs)"
    fi
  done
}

# CPU ticks the JIT compiler threads of a JVM have used so far: the warm-up runs until they go quiet.
jit_ticks() {
  local t total=0
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ CompilerThre*|C2\ CompilerThre*) total=$((total + $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo "$total"
}

# However the script ends: stops the processes whose pids the named variables hold at that moment (scalars or
# arrays, in the order named: load generators before the service, so that it does not log them going away), then
# the control plane start_plane_for_maas_api started, then runs the script's own on_exit (if it defines one, e.g.
# to keep a log) and removes $WORK.
stop_at_exit() {
  STOP_AT_EXIT=("$@")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local name pid
  for name in "${STOP_AT_EXIT[@]}"; do
    local -n pids=$name
    for pid in "${pids[@]}"; do
      [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true
    done
    unset -n pids
  done
  [ -n "${PLANE_STARTED:-}" ] && tools/control-plane/control-plane.sh stop "$PLANE_STARTED"
  if declare -F on_exit > /dev/null; then on_exit; fi
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
  return 0
}

# Waits up to 120 s for the service at $1 to be ready; dies when its process ($2) exits first. $3: where its log is.
wait_ready() {
  local _
  for _ in $(seq 1 240); do
    curl -fs --max-time 5 -o /dev/null "$1/q/health/ready" && return 0
    kill -0 "$2" 2>/dev/null || die "the service exited; see $3"
    sleep 0.5
  done
  die "the service is not ready after 120 s; see $3"
}

# Starts a control plane (tools/control-plane) in $1 and seeds maas-api's shipped manifests (MANIFEST:
# namespace, ServiceAccount, tier ConfigMap, RBAC; no Deployment, no Gateway API / Kuadrant objects: their
# CRDs are not installed here; nothing in the gateway's namespace, the doctor's Role, which does not exist here). Writes a kubeconfig for maas-api's own ServiceAccount to $2, so that the jar
# runs with exactly the RBAC it ships. Sets MAAS_NAMESPACE and MAAS_ACCOUNT (the Deployment's namespace and
# ServiceAccount in the manifests), KUBE_API, KUBE_BIN, KUBECTL, PKI, SA_TOKEN, APISERVER_PID, ETCD_PID, KCM_PID,
# and PLANE_STARTED (so that stop_at_exit's cleanup stops the plane).
start_plane_for_maas_api() {
  local plane=$1 kubeconfig=$2 manifest=target/kubernetes/kubernetes.json seed
  [ -f "$manifest" ] || die "$manifest missing: run 'make build'"
  MAAS_NAMESPACE=$(jq -r 'first(.[] | select(.kind == "Deployment")) | .metadata.namespace // empty' "$manifest")
  MAAS_ACCOUNT=$(jq -r 'first(.[] | select(.kind == "Deployment")) | .spec.template.spec.serviceAccountName // empty' "$manifest")
  if [ -z "$MAAS_NAMESPACE" ] || [ -z "$MAAS_ACCOUNT" ]; then
    die "no Deployment with a namespace and a ServiceAccount in $manifest"
  fi
  mkdir -p "$plane"
  log "starting the control plane in $plane"
  PLANE_STARTED=$plane
  tools/control-plane/control-plane.sh start "$plane" > /dev/null 2> "$plane/start.err" \
    || die "the control plane did not start: $(tail -5 "$plane/start.err")"
  # shellcheck disable=SC1091
  . "$plane/env"
  case $KUBE_API in https://127.0.0.1:*) ;; *) die "the API server is not on loopback: $KUBE_API" ;; esac
  KUBECTL="$KUBE_BIN/kubectl --kubeconfig $plane/admin.kubeconfig"
  PKI=$plane/pki
  APISERVER_PID=$(cat "$plane/kube-apiserver.pid")
  ETCD_PID=$(cat "$plane/etcd.pid")
  KCM_PID=$(cat "$plane/kube-controller-manager.pid")
  seed=$plane/seed.json
  jq -c --arg ns "$MAAS_NAMESPACE" '.[] | select(.apiVersion | test("^(v1|rbac\\.authorization\\.k8s\\.io/v1|networking\\.k8s\\.io/v1)$"))
    | select(.metadata.namespace // $ns | . == $ns)' \
    "$manifest" > "$seed"
  # shellcheck disable=SC2086 # KUBECTL is a command line
  $KUBECTL apply --request-timeout=30s --server-side --field-manager=bench -f "$seed" > "$plane/seed.txt" 2>&1 \
    || die "seeding the cluster failed: $(cat "$plane/seed.txt")"
  # shellcheck disable=SC2086
  SA_TOKEN=$($KUBECTL create token --request-timeout=30s "$MAAS_ACCOUNT" -n "$MAAS_NAMESPACE" --duration=24h) \
    || die "no token for $MAAS_NAMESPACE/$MAAS_ACCOUNT"
  (umask 077 && cat > "$kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: $KUBE_API
    certificate-authority: $(cd "$PKI" && pwd)/ca.crt
users:
- name: maas-api
  user:
    token: $SA_TOKEN
contexts:
- name: maas-api
  context: {cluster: bench, user: maas-api, namespace: $MAAS_NAMESPACE}
current-context: maas-api
KUBECONFIG
)
}

# The claims of the JWT read on stdin, as JSON: its payload, base64url-decoded (the signature is not checked).
jwt_claims() {
  jq -R 'split(".")[1] | gsub("-"; "+") | gsub("_"; "/") | . + "=="[0:((4 - length % 4) % 4)] | @base64d | fromjson'
}

# The token of a static user of the control plane in $1 (tools/control-plane's users.csv).
user_token() {
  awk -F, -v u="$2" '$2 == u {print $1}' "$1/users.csv"
}

# kube-apiserver's own request counters, summed by "VERB group/resource[/subresource]" (codes together);
# non-resource requests (/metrics, /readyz, discovery) as "VERB nonresource PATH"
api_counts() {
  curl -fsS --max-time 10 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$KUBE_API/metrics" | awk '
    function label(name) {
      if (!match($0, "[{,]" name "=\"[^\"]*\"")) return ""
      return substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
    }
    /^apiserver_request_total\{/ {
      r = label("resource"); g = label("group"); s = label("subresource")
      key = r == "" ? label("verb") " nonresource " s : label("verb") " " (g == "" ? "core" : g) "/" r (s == "" ? "" : "/" s)
      n[key] += $NF
    }
    END { for (k in n) printf "%s\t%d\n", k, n[k] }' | jq -Rn '[inputs | split("\t") | {(.[0]): (.[1] | tonumber)}] | add // {}'
}
