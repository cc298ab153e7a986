package runtimebin

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/jacscale/jac/registry"
)

// Module is the jac module, whose cmd/jac built with -tags slim is the runtime.
const Module = "github.com/jacscale/jac"

// EnvSource names a jac source tree to build the runtime from (a checkout, for a
// CLI built from one, whose version the module proxy does not have).
const EnvSource = "JAC_RUNTIME_SOURCE"

// Toolchain builds the runtime binary with the Go toolchain on PATH, as ko builds
// images: for a CLI installed with `go install github.com/jacscale/jac/cmd/jac@VERSION`
// (which embeds no runtime) it builds cmd/jac of the same module version with
// -tags slim, CGO off, for the image's platform, through the module proxy; the
// binary is cached per version and platform under the user cache directory
// (~/.cache/jac/runtime/VERSION/jac-linux-ARCH). With JAC_RUNTIME_SOURCE=DIR it
// builds DIR's cmd/jac instead (Go's build cache makes repeats fast; nothing else
// is cached). Errors say exactly what to do when neither is possible.
var Toolchain registry.RuntimeSource = registry.RuntimeFunc(toolchainBinary)

func toolchainBinary(ctx context.Context, p v1.Platform) ([]byte, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, registry.Errorf(registry.KindInput, "runtime",
			"this jac embeds no runtime binaries and there is no Go toolchain on PATH to build one: install Go (https://go.dev/dl), or build jac with `make build`, or give --runtime linux/ARCH=PATH or --base IMAGE")
	}
	if dir := os.Getenv(EnvSource); dir != "" {
		return goBuild(ctx, goBin, dir, "./cmd/jac", p, "dev")
	}
	version, ok := moduleVersion()
	if !ok {
		return nil, registry.Errorf(registry.KindInput, "runtime",
			"this jac was built from a source tree, not installed at a released version, and embeds no runtime binaries: build it with `make build` (embeds them), or set %s to the jac checkout to build the runtime from, or give --runtime linux/ARCH=PATH or --base IMAGE", EnvSource)
	}
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		return nil, registry.Wrap(registry.KindOther, "runtime", err)
	}
	cached := filepath.Join(cacheDir, "jac", "runtime", version, "jac-"+strings.ReplaceAll(registry.PlatformString(p), "/", "-"))
	if b, err := os.ReadFile(cached); err == nil {
		return b, nil
	}
	work, err := os.MkdirTemp("", "jac-runtime-")
	if err != nil {
		return nil, registry.Wrap(registry.KindOther, "runtime", err)
	}
	defer os.RemoveAll(work)
	for _, args := range [][]string{{"mod", "init", "jac-runtime-build"}, {"mod", "edit", "-require=" + Module + "@" + version}} {
		if err := runGo(ctx, goBin, work, nil, args...); err != nil {
			return nil, err
		}
	}
	b, err := goBuild(ctx, goBin, work, Module+"/cmd/jac", p, version)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err == nil {
		tmp := fmt.Sprintf("%s.tmp%d", cached, os.Getpid())
		if os.WriteFile(tmp, b, 0o755) == nil {
			os.Rename(tmp, cached)
		}
	}
	return b, nil
}

// moduleVersion is the released version of the jac module this binary was built
// from: false for a source-tree build ("(devel)", or a pseudo-version of a dirty tree).
func moduleVersion() (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Path != Module {
		return "", false
	}
	v := bi.Main.Version
	return v, v != "" && v != "(devel)" && !strings.Contains(v, "+dirty")
}

// goBuild builds pkg in dir for p as the runtime: -tags slim, static, stripped.
func goBuild(ctx context.Context, goBin, dir, pkg string, p v1.Platform, version string) ([]byte, error) {
	out, err := os.CreateTemp("", "jac-runtime-bin-")
	if err != nil {
		return nil, registry.Wrap(registry.KindOther, "runtime", err)
	}
	out.Close()
	defer os.Remove(out.Name())
	env := []string{"CGO_ENABLED=0", "GOOS=" + p.OS, "GOARCH=" + p.Architecture, "GOFLAGS=-mod=mod"}
	if p.Variant != "" && p.Architecture == "arm" {
		env = append(env, "GOARM="+strings.TrimPrefix(p.Variant, "v"))
	}
	if err := runGo(ctx, goBin, dir, env, "build", "-trimpath", "-tags", "slim",
		"-ldflags", "-s -w -X main.version="+version, "-o", out.Name(), pkg); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(out.Name())
	if err != nil {
		return nil, registry.Wrap(registry.KindOther, "runtime", err)
	}
	return b, nil
}

func runGo(ctx context.Context, goBin, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return registry.Errorf(registry.KindOther, "runtime", "go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
