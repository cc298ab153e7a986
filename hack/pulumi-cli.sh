#!/usr/bin/env bash
# hack/pulumi-cli.sh [DIR] — build the Pulumi CLI (pkg/v3 v3.250.0) from the Go module
# proxy into DIR (default $HOME/.cache/jac-testenv/pulumi-v3.250.0), skipping the build
# when it is there; prints the binary's path. ~9 min cold on 2 cores, 157 MB.
# hack/testenv.sh runs it (unless JAC_TESTENV_PULUMI=0) for infra/deploy's
# Automation API test. The Kubernetes provider
# plugin and the Go language host cannot be fetched here (see docs/deploy.md).
set -euo pipefail
ver=v3.250.0
dir="${1:-${JAC_TESTENV_CACHE:-$HOME/.cache/jac-testenv}/pulumi-$ver}"
bin="$dir/pulumi"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
log() { printf '%s pulumi-cli: %s\n' "$(date +%T)" "$*" >&2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export GOFLAGS=-mod=mod CGO_ENABLED=0
go mod init pulumi-cli-build >/dev/null 2>&1
go mod edit -require="github.com/pulumi/pulumi/pkg/v3@$ver" -require="github.com/pulumi/pulumi/sdk/v3@$ver"
go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
log "resolving modules"
go mod tidy >&2
mkdir -p "$dir"
log "building (about 9 minutes cold)"
go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$ver" -o "$bin.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin.tmp" "$bin"
log "built $bin"
echo "$bin"
