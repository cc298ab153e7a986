package runtimebin

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/jacscale/jac/registry"
)

// TestToolchainRuntime: a CLI that embeds no runtime builds one with the Go
// toolchain from JAC_RUNTIME_SOURCE (this checkout): a static linux ELF built with
// -tags slim; without the variable, a source-tree build says exactly what to do.
func TestToolchainRuntime(t *testing.T) {
	p := v1.Platform{OS: "linux", Architecture: "amd64"}
	t.Setenv(EnvSource, "")
	_, err := Toolchain.Binary(context.Background(), p)
	if registry.ExitCode(err) != registry.ExitInput {
		t.Fatalf("without %s: %v", EnvSource, err)
	}
	for _, hint := range []string{"make build", EnvSource, "--runtime", "--base"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("the error does not mention %s: %v", hint, err)
		}
	}
	if testing.Short() {
		t.Skip("-short: the runtime build itself is skipped")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvSource, root)
	bin, err := Toolchain.Binary(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(bin, []byte("\x7fELF")) {
		t.Fatal("not an ELF binary")
	}
	bi, err := buildinfo.Read(bytes.NewReader(bin))
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	if set["-tags"] != "slim" || set["CGO_ENABLED"] != "0" || set["GOOS"] != "linux" || set["GOARCH"] != "amd64" || bi.Path != Module+"/cmd/jac" {
		t.Errorf("build info: %s %v", bi.Path, set)
	}
	t.Logf("runtime built from %s: %d MB", root, len(bin)>>20)
}
