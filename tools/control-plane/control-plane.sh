#!/usr/bin/env bash
# A real Kubernetes control plane on loopback, the way envtest starts one: etcd, kube-apiserver (RBAC,
# the default admission plugins, a service-account issuer so TokenRequest and TokenReview are real,
# static user tokens with tier groups) and kube-controller-manager with only the controllers maas-api
# relies on. Binaries come from build.sh (built once from the Go module proxy, cached outside the repo).
#   control-plane.sh start DIR   build if needed, start, wait for /readyz; prints DIR/env's lines
#   control-plane.sh stop DIR    stop what start started (logs stay in DIR)
#   control-plane.sh run DIR COMMAND...   start, run COMMAND with MAAS_CONTROL_PLANE_DIR=DIR, stop
#                                          (also when COMMAND fails); exits with COMMAND's status
#   control-plane.sh stop-apiserver DIR   stop only the kube-apiserver process (an outage; etcd keeps the data)
#   control-plane.sh start-apiserver DIR  start it again, same address and flags; wait for /readyz
# DIR afterwards holds:
#   env                 KUBE_API=https://127.0.0.1:<port>, KUBE_BIN=<binaries>, ETCD=...
#   admin.kubeconfig    system:masters (fixtures only: it bypasses RBAC)
#   users.csv           the static users: token,name,uid,"groups" (the --token-auth-file)
#   pki/                CA, serving and admin certificates, the service-account signing key
#   *.log, *.pid
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|run|stop-apiserver|start-apiserver DIR [COMMAND...]" >&2; exit 2; }
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
say() { echo "control plane: $*" >&2; }

stop() { # the named processes, by default all of them
  local name pid
  for name in ${*:-kube-controller-manager kube-apiserver etcd}; do
    [ -f "$dir/$name.pid" ] || continue
    pid="$(cat "$dir/$name.pid")"
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  done
}
if [ "$cmd" = stop ]; then stop; exit 0; fi
if [ "$cmd" = run ]; then
  shift 2
  "$0" start "$dir" > /dev/null
  trap '"$0" stop "$dir"' EXIT
  trap 'exit 130' INT TERM
  MAAS_CONTROL_PLANE_DIR="$dir" "$@"
  exit $?
fi
launch() { # name, command...: in a session of its own, so that stop ends it and nothing else
  local name="$1"; shift
  setsid "$@" > "$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}
alive() { kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }
await() { # name, seconds, probe command...
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$name" || { say "$name exited; the end of $dir/$name.log:"; tail -20 "$dir/$name.log" >&2; stop; exit 1; }
    [ $SECONDS -lt $deadline ] || { say "$name not ready after $seconds s; see $dir/$name.log"; stop; exit 1; }
    sleep 0.2
  done
}

start_apiserver() { # needs bin, etcd_url, api_port, pki
  launch kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers="$etcd_url" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
    --tls-cert-file="$pki/server.crt" --tls-private-key-file="$pki/server.key" \
    --client-ca-file="$pki/ca.crt" --token-auth-file="$dir/users.csv" \
    --authorization-mode=RBAC --allow-privileged=true \
    --service-cluster-ip-range=10.0.0.0/24 \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --cert-dir="$pki"
  readyz() { curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "https://127.0.0.1:$api_port/readyz"; }
  await kube-apiserver 120 readyz
}
if [ "$cmd" = stop-apiserver ]; then stop kube-apiserver; exit 0; fi
if [ "$cmd" = start-apiserver ]; then # the address and etcd of the running control plane, from its env file
  [ -f "$dir/env" ] || { say "no control plane in $dir"; exit 1; }
  stop kube-apiserver
  bin="$(sed -n 's/^KUBE_BIN=//p' "$dir/env")"; etcd_url="$(sed -n 's/^ETCD=//p' "$dir/env")"
  api_port="$(sed -n 's/^KUBE_API=.*://p' "$dir/env")"; pki="$dir/pki"
  start_apiserver
  say "kube-apiserver started again at https://127.0.0.1:$api_port"
  exit 0
fi
[ "$cmd" = start ] || { echo "usage: $0 start|stop|run|stop-apiserver|start-apiserver DIR [COMMAND...]" >&2; exit 2; }
command -v openssl >/dev/null || { say "openssl is needed to make the certificates (apt-get install openssl)"; exit 1; }

bin="$("$here/build.sh")"
stop
start_time=$SECONDS

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
etcd_port=$(free_port); peer_port=$(free_port); api_port=$(free_port)

# Certificates: one CA signs the serving certificate (127.0.0.1, localhost) and the admin's client
# certificate (O=system:masters); a separate key signs ServiceAccount tokens.
pki="$dir/pki"; mkdir -p "$pki"
if [ ! -f "$pki/admin.crt" ]; then
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=maas-api-test-ca 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 3650 -extfile server.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=admin" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile admin.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext
  )
fi

# Static users (kube-apiserver --token-auth-file): the API server adds system:authenticated to each.
# Named pools per tier group, so that each test class takes users of its own (ControlPlane.java), and
# the demo's people. Tokens are random per directory. A mover has three logins under one name (free;
# premium-users; premium-users and enterprise-users), like a person whose groups changed between logins.
# No groups column for a user without groups: an empty one ("") is read as one group named "".
# (Written again when an older directory has fewer users or the old empty-groups column.)
if [ ! -f "$dir/users.csv" ] || ! grep -q ',free-150,' "$dir/users.csv" || ! grep -q ',mover-' "$dir/users.csv" \
  || grep -q ',""$' "$dir/users.csv"; then
  token() { openssl rand -hex 24; }
  {
    printf '%s,alice,alice\n' "$(token)"
    printf '%s,pat,pat,"premium-users"\n' "$(token)"
    printf '%s,erin,erin,"enterprise-users"\n' "$(token)"
    printf '%s,ada,ada,"maas-admins"\n' "$(token)"
    for i in $(seq -f '%02g' 1 150); do # a full `make test` takes about 70 of a pool
      printf '%s,free-%s,free-%s\n' "$(token)" "$i" "$i"
      printf '%s,premium-%s,premium-%s,"premium-users"\n' "$(token)" "$i" "$i"
      printf '%s,enterprise-%s,enterprise-%s,"enterprise-users"\n' "$(token)" "$i" "$i"
    done
    for i in $(seq -w 1 40); do
      printf '%s,admin-%s,admin-%s,"maas-admins"\n' "$(token)" "$i" "$i"
    done
    for i in $(seq -w 1 20); do
      printf '%s,mover-%s,mover-%s\n' "$(token)" "$i" "$i"
      printf '%s,mover-%s,mover-%s,"premium-users"\n' "$(token)" "$i" "$i"
      printf '%s,mover-%s,mover-%s,"premium-users,enterprise-users"\n' "$(token)" "$i" "$i"
    done
  } > "$dir/users.csv"
fi

rm -rf "$dir/etcd-data" "$dir/claims" # a fresh etcd: no user of the pools is taken yet (ControlPlane.user)
launch etcd "$bin/etcd" --name=maas-test --data-dir="$dir/etcd-data" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
  --initial-cluster="maas-test=http://127.0.0.1:$peer_port" --unsafe-no-fsync=true \
  --listen-metrics-urls="http://127.0.0.1:$(free_port)"
await etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"

etcd_url="http://127.0.0.1:$etcd_port"
start_apiserver

cat > "$dir/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: admin
  context: {cluster: local, user: admin, namespace: default}
current-context: admin
EOF

launch kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$dir/admin.kubeconfig" --leader-elect=false --use-service-account-credentials=false \
  --controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,clusterrole-aggregation-controller \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --bind-address=127.0.0.1 --secure-port=0
# Ready when its controllers act: the serviceaccount controller gives every namespace `default`.
default_sa() { curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
  "https://127.0.0.1:$api_port/api/v1/namespaces/default/serviceaccounts/default"; }
await kube-controller-manager 60 default_sa

cat > "$dir/env" <<EOF
KUBE_API=https://127.0.0.1:$api_port
KUBE_BIN=$bin
ETCD=http://127.0.0.1:$etcd_port
EOF
say "ready in $((SECONDS - start_time)) s: $("$bin/kube-apiserver" --version) at https://127.0.0.1:$api_port (logs and kubeconfig in $dir)"
cat "$dir/env"
