# jac-scale for Go. `make run` serves an example app; `make test` installs what the
# tests need (Redis, FerretDB, a Kubernetes control plane with kwok, the Pulumi CLI and its
# Kubernetes provider plugin; hack/testenv.sh, cached) and runs every test.
GO        ?= go
BIN       ?= bin
APP       ?= examples/todo/app.jac
PORT      ?= 8000
GOFLAGS   += -trimpath
CONFORMANCE ?= ../shared/conformance

.PHONY: all build build-slim run test test-go conformance bench bench-cpu bench-cpu-extra fuzz lint fmt clean

all: build

## build: the `jac` CLI (run, start, ...) into bin/jac, with the runtime binaries
## of `jac build` embedded (-tags runtimeembed)
build:
	$(GO) build $(GOFLAGS) -tags runtimeembed -o $(BIN)/jac ./cmd/jac

## build-slim: the runtime-only binary that goes into app images (no Pulumi, no cloud SDKs)
build-slim:
	CGO_ENABLED=0 $(GO) build $(GOFLAGS) -tags slim -ldflags '-s -w' -o $(BIN)/jac-slim ./cmd/jac

## run: serve an example app on the embedded store, with the slim runtime binary
## (serving needs neither Pulumi nor the cloud SDKs nor the embedded runtimes)
run: build-slim
	$(BIN)/jac-slim start $(APP) --port $(PORT)

## test: install test dependencies, then every test (unit, conformance, servers)
test:
	@set -e; env_lines=$$(./hack/testenv.sh); \
	  for kv in $$env_lines; do export "$$kv"; done; \
	  $(MAKE) --no-print-directory test-go

## test-go: the tests alone; artifacts (the /graph screenshot) go to test-artifacts/.
## The servers the tests start are built with the race detector (JAC_TEST_RACE=1):
## a race they report fails the test.
test-go:
	$(GO) vet ./...
	mkdir -p test-artifacts
	JAC_TEST_RACE=1 $(GO) test -count=1 -timeout 40m -artifacts -outputdir $(CURDIR)/test-artifacts ./...

## conformance: the shared conformance corpus against a fresh build
conformance: build
	bash $(CONFORMANCE)/check.sh $(BIN)/jac $(CONFORMANCE)/run

## bench: every Go benchmark (figures go to docs/performance.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

## bench-cpu: jac run against the real CPython binary on runtime/interp/testdata/bench
## (CPU time, peak RSS, output checked; JAC_BENCH_RUNS=N runs each process N times)
bench-cpu:
	$(GO) test -run '^$$' -bench CPUvsCPython -benchtime 1x ./runtime/interp

## bench-cpu-extra: the same on runtime/interp/testdata/bench-extra (programs of other
## shapes, written to check the engine on code the suite was not tuned on)
bench-cpu-extra:
	$(GO) test -run '^$$' -bench ExtraVsCPython -benchtime 1x ./runtime/interp

## fuzz: each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzScan  -fuzztime $(FUZZTIME) ./runtime/syntax
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./runtime/syntax
	$(GO) test -run '^$$' -fuzz FuzzValues -fuzztime $(FUZZTIME) ./runtime/stdlib

## lint: gofmt, go vet and staticcheck (pinned; fetched through the module proxy)
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	gofmt -l . | tee /dev/stderr | (! read -r _)
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -w .

clean:
	rm -rf $(BIN)

## runtime-embed: the slim runtime binaries for every RUNTIME_PLATFORMS into
## registry/runtimebin/out/ (a build output, ignored), where `make build` embeds
## them for `jac build`
RUNTIME_PLATFORMS ?= linux/amd64 linux/arm64
RUNTIME_EMBED_DIR := registry/runtimebin/out
.PHONY: runtime-embed runtime-embed-clean
runtime-embed:
	@mkdir -p $(RUNTIME_EMBED_DIR)
	@set -e; for p in $(RUNTIME_PLATFORMS); do \
	  os=$${p%%/*}; arch=$${p#*/}; \
	  echo "runtime $$os/$$arch -> $(RUNTIME_EMBED_DIR)/jac-$$os-$$arch"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(GOFLAGS) -tags slim -ldflags '-s -w' \
	    -o $(RUNTIME_EMBED_DIR)/jac-$$os-$$arch ./cmd/jac; \
	  gzip -n -f $(RUNTIME_EMBED_DIR)/jac-$$os-$$arch; \
	done
build: runtime-embed
runtime-embed-clean:
	rm -rf $(RUNTIME_EMBED_DIR)
clean: runtime-embed-clean
