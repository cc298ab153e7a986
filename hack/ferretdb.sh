#!/usr/bin/env bash
# hack/ferretdb.sh [DIR] — build FerretDB v1.24.0 (MongoDB wire protocol on SQLite)
# from the Go module proxy into DIR (default $HOME/.cache/jac-testenv/ferretdb-v1.24.0),
# skipping the build when the binary is there. Prints the binary's path.
set -euo pipefail
ver=v1.24.0
dir="${1:-$HOME/.cache/jac-testenv/ferretdb-$ver}"
bin="$dir/ferretdb"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
log() { printf '%s ferretdb: %s\n' "$(date +%T)" "$*" >&2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export GOFLAGS=-mod=mod CGO_ENABLED=0
go mod init ferretdb-build >/dev/null 2>&1
go mod edit -require="github.com/FerretDB/FerretDB@$ver"
log "downloading FerretDB $ver"
go mod download "github.com/FerretDB/FerretDB@$ver"
src="$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$ver"
cp -R "$src" "$work/ferretdb-src"
chmod -R u+w "$work/ferretdb-src"
mkdir -p "$work/ferretdb-src/build/version"
printf '%s' "$ver" > "$work/ferretdb-src/build/version/version.txt"
go mod edit -replace="github.com/FerretDB/FerretDB=$work/ferretdb-src"
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
GO
go mod tidy >&2
mkdir -p "$dir"
log "building (about a minute)"
go build -trimpath -o "$bin.tmp" github.com/FerretDB/FerretDB/cmd/ferretdb
mv "$bin.tmp" "$bin"
echo "$bin"
