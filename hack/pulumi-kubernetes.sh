#!/usr/bin/env bash
# hack/pulumi-kubernetes.sh [DIR] — build the Pulumi Kubernetes provider plugin
# (pulumi-resource-kubernetes) from the Go module proxy into DIR, default
# $HOME/.cache/jac-testenv/pulumi-kubernetes-v$PLUGIN_VERSION, skipping the build when the
# binary is there; prints the binary's path. The tests install it into their own
# PULUMI_HOME with `pulumi plugin install resource kubernetes v$PLUGIN_VERSION -f PATH`.
#
# PLUGIN_VERSION must be the version of github.com/pulumi/pulumi-kubernetes/sdk/v4 that
# go.mod links: the engine asks for the plugin at that version (and would try to download
# any other). The provider module at COMMIT has `replace sdk/v4 => ../sdk`, which
# `go install` refuses, and embeds two generated files that are not in the module zip, so
# the module is copied out of the module cache, the replace pointed at the nearest
# published SDK, and the embedded files generated as its generate.go does.
# Cold build on 2 cores: 49 min on a loaded box (shared/notes/deploy-testenv.md), 167 MB.
set -euo pipefail
PLUGIN_VERSION="${PLUGIN_VERSION:-4.33.0}"
module=github.com/pulumi/pulumi-kubernetes/provider/v4
commit=v4.0.0-20260115033456-f47bc2d6f199
sdk=github.com/pulumi/pulumi-kubernetes/sdk/v4
sdk_version=v4.25.0
dir="${1:-${JAC_TESTENV_CACHE:-$HOME/.cache/jac-testenv}/pulumi-kubernetes-v$PLUGIN_VERSION}"
bin="$dir/pulumi-resource-kubernetes"
log() { printf '%s pulumi-kubernetes: %s\n' "$(date +%T)" "$*" >&2; }
if [ -x "$bin" ]; then log "cached: $bin"; echo "$bin"; exit 0; fi

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work" "$bin".tmp$$' EXIT
export CGO_ENABLED=0 GOFLAGS=-mod=mod
t0=$(date +%s)
src="$(go mod download -json "$module@$commit" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cp -r "$src" "$work/provider"
chmod -R u+w "$work/provider"
cd "$work/provider"
go mod edit -replace="$sdk=$sdk@$sdk_version"
log "downloading modules"
go mod download >&2

# The embedded schema carries the plugin version; both files are minified.
mkdir "$work/gen"
cat >"$work/gen/main.go" <<'GO'
// Command gen writes schema-embed.json (schema.json with "version" set) and
// terraform-mapping-embed.json, minified, as the provider's generate.go does.
package main

import (
	"bytes"
	"encoding/json"
	"log"
	"os"
)

func main() {
	var spec map[string]json.RawMessage
	b, err := os.ReadFile("schema.json")
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		log.Fatal(err)
	}
	spec["version"], _ = json.Marshal(os.Args[1])
	out, err := json.Marshal(spec)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("schema-embed.json", out, 0o644); err != nil {
		log.Fatal(err)
	}
	b, err = os.ReadFile("terraform-mapping.json")
	if err != nil {
		log.Fatal(err)
	}
	var min bytes.Buffer
	if err := json.Compact(&min, b); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("terraform-mapping-embed.json", min.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
GO
(cd cmd/pulumi-resource-kubernetes && GOFLAGS= go run "$work/gen/main.go" "$PLUGIN_VERSION")

mkdir -p "$dir"
t1=$(date +%s)
log "building (tens of minutes cold on 2 cores)"
go build -trimpath -ldflags "-s -w -X $module/pkg/version.Version=$PLUGIN_VERSION" \
  -o "$bin.tmp$$" ./cmd/pulumi-resource-kubernetes
mv -f "$bin.tmp$$" "$bin"
t2=$(date +%s)
log "built $bin: modules $((t1 - t0)) s, compile $((t2 - t1)) s"
echo "$bin"
