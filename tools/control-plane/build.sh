#!/usr/bin/env bash
# Builds the local control plane (etcd, kube-apiserver, kube-controller-manager, kubectl) from the Go
# module proxy into a cache outside the repo, keyed by version, and prints that directory last.
# A second call with the binaries present returns at once. Never commit the binaries.
#   tools/control-plane/build.sh            -> builds if needed, prints the bin directory
# Environment: MAAS_CONTROL_PLANE_CACHE (default ~/.cache/maas-api/control-plane).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# The versions are the ones the two go.mod files require (`require k8s.io/kubernetes vX` or in a block).
required() { sed -nE "s#^(require)?[[:space:]]*$1 (v[^ ]+).*#\2#p" "$2" | head -1; }
k8s_version="$(required k8s.io/kubernetes "$here/kubernetes/go.mod")"
etcd_version="$(required go.etcd.io/etcd/server/v3 "$here/etcd/go.mod")"
cache="${MAAS_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/maas-api/control-plane}"
bin="$cache/kubernetes-$k8s_version-etcd-$etcd_version"
binaries=(etcd kube-apiserver kube-controller-manager kubectl)

complete() { for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi

if ! command -v go >/dev/null; then
  echo "control plane: Go is not installed; building etcd and kube-apiserver needs Go 1.26 or later (README: What they need)" >&2
  exit 1
fi

say() { echo "control plane: $*" >&2; }
mkdir -p "$bin"
# One build at a time per cache: a second `make test` waits instead of building the same binaries twice.
exec 9>"$cache/.build.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

start=$SECONDS
major="${k8s_version#v}"; major="${major%%.*}"
minor="${k8s_version#v*.}"; minor="${minor%%.*}"
pkg=k8s.io/component-base/version
k8s_ldflags="-s -w -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"

build() { # module dir, output name, package, ldflags
  local t=$SECONDS
  say "building $2 ($3) into $bin ..."
  (cd "$here/$1" && CGO_ENABLED=0 go build -mod=mod -trimpath -buildvcs=false -ldflags "$4" -o "$bin/.$2.tmp" "$3")
  mv "$bin/.$2.tmp" "$bin/$2"
  say "built $2 in $((SECONDS - t)) s"
}
say "Kubernetes $k8s_version and etcd $etcd_version, from the Go module proxy (the first build takes a while; later runs reuse $bin)"
[ -x "$bin/etcd" ] || build etcd etcd go.etcd.io/etcd/server/v3 "-s -w"
[ -x "$bin/kube-apiserver" ] || build kubernetes kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
[ -x "$bin/kube-controller-manager" ] || build kubernetes kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_ldflags"
[ -x "$bin/kubectl" ] || build kubernetes kubectl k8s.io/kubernetes/cmd/kubectl "$k8s_ldflags"
say "done in $((SECONDS - start)) s"
echo "$bin"
