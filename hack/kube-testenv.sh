#!/usr/bin/env bash
# hack/kube-testenv.sh [DIR] — build a real control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler) from the Go module proxy (no release downloads)
# into DIR, default $HOME/.cache/jac-testenv/kube-v$K8S_VERSION.
# hack/testenv.sh runs it and exports the directory as JAC_TEST_KUBE_ASSETS for the
# infra tests (objects created on a real API server) and the deploy cycle tests
# (infra/kubetest starts all four plus kwok).
# (Adapted from shared/notes/kube-testenv.sh.) Builds only the binaries DIR lacks, so a
# directory holding etcd and kube-apiserver from an earlier version of this script gains
# the other two without rebuilding anything; all four come from one scratch module.
# Prints DIR on stdout (progress goes to stderr), so:
#     export KUBEBUILDER_ASSETS="$(./kube-testenv.sh)"      # for controller-runtime envtest
# Needs only go (>= the Go version k8s.io/kubernetes asks for; 1.26 for v1.36) and coreutils.
# Cold build (empty Go caches, 2 cores): ~5 min, ~2 GB RAM, ~0.8 GB modules + ~2.2 GB build cache;
# with a warm GOCACHE ~15 s. Usage and server flags: toolchain.md, "Kubernetes API server".
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.36.3}"        # k8s.io/kubernetes v$K8S_VERSION
dir="${1:-${JAC_TESTENV_CACHE:-$HOME/.cache/jac-testenv}/kube-v$K8S_VERSION}"
[[ $dir == /* ]] || dir="$PWD/$dir"

log() { printf '%s kube-testenv: %s\n' "$(date +%T)" "$*" >&2; }

# Already built? Each binary is kept when present and of the right version.
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler)
missing=()
for b in "${binaries[@]}"; do
  if [[ ! -x $dir/$b ]] ||
     { [[ $b != etcd ]] && [[ "$("$dir/$b" --version 2>/dev/null)" != "Kubernetes v$K8S_VERSION" ]]; }; then
    missing+=("$b")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  log "cached: $dir"
  printf '%s\n' "$dir"
  exit 0
fi
log "building ${missing[*]}"

IFS=. read -r major minor patch <<<"$K8S_VERSION"
staging="v0.$minor.$patch"            # staging modules (k8s.io/api, ...) use v0.MINOR.PATCH

export CGO_ENABLED=0                 # static binaries
export GOFLAGS=-mod=mod              # the scratch module is built right after tidy
work="$(mktemp -d)"
trap 'rm -rf "$work" "$dir"/*.tmp$$' EXIT
cd "$work"
t0=$(date +%s)

# 1. Scratch module: require k8s.io/kubernetes and replace every staging module it
#    requires at v0.0.0 (its own go.mod points them at ./staging, which a dependency's
#    replace directives cannot do) with the published v0.MINOR.PATCH.
go mod init kube-testenv >/dev/null 2>&1
go mod edit -require="k8s.io/kubernetes@v$K8S_VERSION"
log "downloading k8s.io/kubernetes v$K8S_VERSION"
go mod download "k8s.io/kubernetes@v$K8S_VERSION"
k8smod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K8S_VERSION.mod"
re='^[[:space:]]*(k8s\.io/[^[:space:]]+)[[:space:]]+v0\.0\.0([[:space:]]|$)'
n=0
while IFS= read -r line; do
  if [[ $line =~ $re ]]; then
    m="${BASH_REMATCH[1]}"
    go mod edit -replace="$m=$m@$staging"
    n=$((n + 1))
  fi
done <"$k8smod"
log "replaced $n staging modules with $staging"

# 2. etcd: a main calling etcdmain.Main, at the etcd version k8s.io/kubernetes requires.
mkdir etcd
cat >etcd/main.go <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
cat >tools.go <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
log "go mod tidy"
go mod tidy
t1=$(date +%s)
log "modules resolved in $((t1 - t0)) s (etcd $(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3))"

# 3. Build. The version ldflags matter: without them kube-apiserver reports
#    v0.0.0-master and clients/envtest see a bogus server version.
ld="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=$major -X $p.gitMinor=$minor"
  ld+=" -X $p.gitTreeState=clean"
done
mkdir -p "$dir"
for b in "${missing[@]}"; do
  t=$(date +%s)
  if [[ $b == etcd ]]; then
    go build -trimpath -ldflags "-s -w" -o "$dir/etcd.tmp$$" ./etcd
  else
    go build -trimpath -ldflags "$ld" -o "$dir/$b.tmp$$" "k8s.io/kubernetes/cmd/$b"
  fi
  mv -f "$dir/$b.tmp$$" "$dir/$b"
  log "$b built in $(($(date +%s) - t)) s"
done
log "built $("$dir/kube-apiserver" --version), $("$dir/etcd" --version | head -n 1); total $(($(date +%s) - t0)) s"
printf '%s\n' "$dir"
