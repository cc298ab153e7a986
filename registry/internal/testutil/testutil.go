// Package testutil builds the slim runtime binaries once per test process, runs
// in-process OCI registries on loopback (plain, basic auth as ECR and Artifact
// Registry use, or DockerHub's bearer-token flow), and unpacks and runs images.
package testutil

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	slimOnce sync.Once
	slimDir  string
	slimBins map[string]string
	slimErr  error
)

// Cleanup removes what the helpers left behind; call it from TestMain after m.Run.
func Cleanup() {
	if slimDir != "" {
		os.RemoveAll(slimDir)
	}
}

// ModuleRoot is the directory of the module's go.mod (or $JAC_TEST_SLIM_SRC, a
// checkout to build the runtime binaries from instead).
func ModuleRoot() (string, error) {
	if d := os.Getenv("JAC_TEST_SLIM_SRC"); d != "" {
		return d, nil
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not in a module")
	}
	return filepath.Dir(gomod), nil
}

// SlimBinaries builds `CGO_ENABLED=0 go build -trimpath -tags slim -ldflags '-s -w'
// ./cmd/jac` for linux/amd64 and linux/arm64 once per process and returns
// "linux/ARCH" → path. The go build cache makes later runs fast.
func SlimBinaries(t testing.TB) map[string]string {
	t.Helper()
	slimOnce.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			slimErr = err
			return
		}
		slimDir, err = os.MkdirTemp("", "jac-slim-")
		if err != nil {
			slimErr = err
			return
		}
		slimBins = map[string]string{}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, arch := range []string{"amd64", "arm64"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out := filepath.Join(slimDir, "jac-linux-"+arch)
				cmd := exec.Command("go", "build", "-trimpath", "-tags", "slim", "-ldflags", "-s -w", "-o", out, "./cmd/jac")
				cmd.Dir = root
				cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					slimErr = fmt.Errorf("go build linux/%s: %v\n%s", arch, err, stderr.String())
					return
				}
				slimBins["linux/"+arch] = out
			}()
		}
		wg.Wait()
	})
	if slimErr != nil {
		t.Fatalf("building the slim runtime binaries: %v", slimErr)
	}
	return slimBins
}

// NativePlatform is "linux/amd64" or "linux/arm64" for the machine running the tests.
func NativePlatform() string { return "linux/" + runtime.GOARCH }

// FakeELF is a few bytes that pass the image builder's ELF check for arch: enough
// for tests that never run the binary.
func FakeELF(arch, payload string) []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	m := map[string]uint16{"amd64": 62, "arm64": 183}[arch]
	b[18], b[19] = byte(m), byte(m>>8)
	return append(b, payload...)
}
