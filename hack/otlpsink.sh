#!/usr/bin/env bash
# hack/otlpsink.sh [DIR] — build hack/otlpsink (the OpenTelemetry Collector's own OTLP
# receiver, otlpreceiver v0.165.0, keeping spans in memory behind a query API) into DIR
# (default $HOME/.cache/jac-testenv/otlpsink-v0.165.0-<source hash>), skipping the build
# when the binary is there. Prints the binary's path. The tracing tests
# (runtime/server/tracing_test.go) read it from JAC_TEST_OTLPSINK.
set -euo pipefail
src="$(cd "$(dirname "$0")/otlpsink" && pwd)"
ver=v0.165.0
sum="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)"
dir="${1:-$HOME/.cache/jac-testenv/otlpsink-$ver-$sum}"
bin="$dir/otlpsink"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
log() { printf '%s otlpsink: %s\n' "$(date +%T)" "$*" >&2; }
mkdir -p "$dir"
log "building (the collector's receiver; about a minute cold)"
start=$(date +%s)
(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" .)
mv "$bin.tmp" "$bin"
log "built in $(( $(date +%s) - start ))s"
echo "$bin"
