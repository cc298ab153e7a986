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

# The Go builds below are independent and cached (each skips itself when its binary is
# there), so they run at the same time: on 2 cores that overlaps each build's single-threaded
# link and module downloads with the others' compiles. Cold costs on 2 cores (docs/deploy.md,
# "Test environment and its cold cost"): idle, the control plane ~10 min, kwok ~5 min,
# the Pulumi CLI 5-9 min; the provider plugin 49 min on a loaded box and more than an hour
# under a load average of 40 — it dominates, so CI keeps $HOME/.cache/jac-testenv.
# JAC_TESTENV_PULUMI=0 skips the Pulumi CLI and the provider (the deploy tests then skip).
here="$(dirname "$0")"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
pids=()
build() { # build NAME SCRIPT: run SCRIPT in the background, its stdout into $out/NAME
  local name=$1 script=$2
  "$here/$script" >"$out/$name" &
  pids+=($!)
}
build JAC_TEST_FERRETDB ferretdb.sh
# A real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
# for the infra tests and the deploy cycle, and kwok for its fake node.
build JAC_TEST_KUBE_ASSETS kube-testenv.sh
build JAC_TEST_KWOK kwok.sh
# The trace receiver of the tracing tests: the OpenTelemetry Collector's OTLP receiver
# in a small program (hack/otlpsink; cold ~2.5 min with a warm module cache, ~6.5 min
# on a loaded machine).
build JAC_TEST_OTLPSINK otlpsink.sh
if [ "${JAC_TESTENV_PULUMI:-1}" != 0 ]; then
  # The Pulumi CLI for the Automation API, and the Kubernetes provider plugin it
  # installs into each test's PULUMI_HOME.
  build JAC_TEST_PULUMI pulumi-cli.sh
  build JAC_TEST_PULUMI_KUBERNETES pulumi-kubernetes.sh
fi
for pid in "${pids[@]}"; do wait "$pid"; done
for f in "$out"/*; do echo "$(basename "$f")=$(cat "$f")"; done
