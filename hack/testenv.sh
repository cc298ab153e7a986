#!/usr/bin/env bash
# hack/testenv.sh — install what the tests need on a fresh machine (idempotent) and
# print the environment the Go tests read (KEY=VALUE lines, for `make test` to export).
# The tests start their own servers on free loopback ports from these binaries.
# Slow builds are cached under $HOME/.cache/jac-testenv.
set -euo pipefail
cache="${JAC_TESTENV_CACHE:-$HOME/.cache/jac-testenv}"
mkdir -p "$cache"
log() { printf '%s testenv: %s\n' "$(date +%T)" "$*" >&2; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    sudo apt-get update -qq >&2
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

apt_install redis-server openssl chromium
echo "JAC_TEST_CHROMIUM=$(command -v chromium)"
echo "JAC_TEST_REDIS_SERVER=$(command -v redis-server)"
echo "JAC_TEST_FERRETDB=$("$(dirname "$0")/ferretdb.sh")"
# The trace receiver of the tracing tests: the OpenTelemetry Collector's OTLP receiver
# in a small program (hack/otlpsink, built from the module proxy, cached).
echo "JAC_TEST_OTLPSINK=$("$(dirname "$0")/otlpsink.sh")"
# A real kube-apiserver + etcd (built from the Go module proxy, ~4-5 min cold,
# cached) for the infra tests that create the rendered objects on a real server.
echo "JAC_TEST_KUBE_ASSETS=$("$(dirname "$0")/kube-testenv.sh")"
# The Pulumi CLI (built from the module proxy, ~5-9 min cold, cached) for the
# Automation API test (workspace, stack, encrypted config, preview, destroy against
# a file:// backend). JAC_TESTENV_PULUMI=0 skips it (the test then skips).
if [ "${JAC_TESTENV_PULUMI:-1}" != 0 ]; then
  echo "JAC_TEST_PULUMI=$("$(dirname "$0")/pulumi-cli.sh")"
fi
