#!/usr/bin/env bash
# hack/kwok.sh [DIR] — build kwok (sigs.k8s.io/kwok, fake nodes whose Pods become Ready
# without running containers) from the Go module proxy into DIR, default
# $HOME/.cache/jac-testenv/kwok-$KWOK_VERSION, with the stage definitions it needs
# (stages.yaml: node initialize + heartbeat, pod ready/complete/delete from the module's
# kustomize/stage), skipping the build when both are there; prints DIR.
# Cold build on 2 cores: ~5 min loaded (shared/notes/deploy-testenv.md), 64 MB.
set -euo pipefail
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
dir="${1:-${JAC_TESTENV_CACHE:-$HOME/.cache/jac-testenv}/kwok-$KWOK_VERSION}"
log() { printf '%s kwok: %s\n' "$(date +%T)" "$*" >&2; }
if [ -x "$dir/kwok" ] && [ -s "$dir/stages.yaml" ]; then log "cached: $dir"; echo "$dir"; exit 0; fi

work="$(mktemp -d)"
trap 'rm -rf "$work" "$dir"/*.tmp$$' EXIT
cd "$work"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
t0=$(date +%s)
go mod init kwok-build >/dev/null 2>&1
go mod edit -require="sigs.k8s.io/kwok@$KWOK_VERSION"
src="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cat >tools.go <<'GO'
//go:build tools

package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
GO
log "resolving modules"
go mod tidy >&2
mkdir -p "$dir"
stage="$src/kustomize/stage"
for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml \
         pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  printf -- '---\n'
  cat "$stage/$f"
done >"$dir/stages.yaml.tmp$$"
t1=$(date +%s)
log "building kwok $KWOK_VERSION"
go build -trimpath -ldflags "-s -w" -o "$dir/kwok.tmp$$" sigs.k8s.io/kwok/cmd/kwok
mv -f "$dir/stages.yaml.tmp$$" "$dir/stages.yaml"
mv -f "$dir/kwok.tmp$$" "$dir/kwok"
log "built $dir/kwok: modules $((t1 - t0)) s, compile $(($(date +%s) - t1)) s"
echo "$dir"
