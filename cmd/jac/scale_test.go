//go:build !slim

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/registry/jacbuild"
)

var update = flag.Bool("update", false, "rewrite the golden files of the --dry-run tests")

// runJac runs the CLI in-process with env as its whole environment for settings.
func runJac(t *testing.T, env map[string]string, args ...string) (string, int) {
	t.Helper()
	old := scaleEnv
	scaleEnv = func(k string) string { return env[k] }
	defer func() { scaleEnv = old }()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	code := 0
	if err != nil {
		code = 1
		if ee, ok := err.(*exitError); ok {
			code = ee.code
		}
		out.WriteString("ERROR: " + err.Error() + "\n")
	}
	return out.String(), code
}

// TestDryRunGolden: `jac start APP --scale --dry-run --output yaml` for a plain app
// and for an app with both databases, against testdata/scale/*.yaml.
func TestDryRunGolden(t *testing.T) {
	for _, name := range []string{"plain", "databases"} {
		t.Run(name, func(t *testing.T) {
			out, code := runJac(t, nil, "start", filepath.Join("testdata", "scale", name, "app.jac"), "--scale", "--dry-run", "--output", "yaml")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, out)
			}
			golden := filepath.Join("testdata", "scale", name+".yaml")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if out != string(want) {
				t.Errorf("--dry-run output differs from %s (go test -run TestDryRunGolden -update to accept):\n%s", golden, out)
			}
		})
	}
}

func TestDryRunJSONAndErrors(t *testing.T) {
	app := filepath.Join("testdata", "scale", "databases", "app.jac")
	out, code := runJac(t, nil, "start", app, "--scale", "--dry-run", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var list struct {
		Kind  string           `json:"kind"`
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Kind != "List" || len(list.Items) != 12 {
		t.Fatalf("json: %v kind %q items %d", err, list.Kind, len(list.Items))
	}
	// A bad setting: exit 2, and with --json an error event.
	out, code = runJac(t, map[string]string{"K8s_NODE_PORT": "99999"}, "start", app, "--scale", "--dry-run")
	if code != 2 || !strings.Contains(out, "K8s_NODE_PORT") {
		t.Fatalf("bad node port: exit %d: %s", code, out)
	}
	out, code = runJac(t, map[string]string{"K8s_NODE_PORT": "99999"}, "start", app, "--scale", "--json")
	if code != 2 || !strings.Contains(out, `"type":"error","kind":"config","message"`) || !strings.Contains(out, `"exit":2`) {
		t.Fatalf("--json bad config: exit %d: %s", code, out)
	}
	// No image, and this test binary embeds no runtime to build one with (nor
	// JAC_RUNTIME_SOURCE): exit 2, saying how to get one.
	t.Setenv("JAC_RUNTIME_SOURCE", "")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte("with entry {}\n"), 0o644)
	out, code = runJac(t, nil, "start", filepath.Join(dir, "app.jac"), "--scale", "--dry-run")
	if code != 2 || !strings.Contains(out, "no image configured") || !strings.Contains(out, "make build") {
		t.Fatalf("no image: exit %d: %s", code, out)
	}
	// --target aws without a cluster name.
	out, code = runJac(t, map[string]string{"JAC_IMAGE": "x"}, "start", app, "--scale", "--dry-run", "--target", "aws")
	if code != 2 || !strings.Contains(out, "JAC_CLUSTER") {
		t.Fatalf("aws without cluster: exit %d: %s", code, out)
	}
	// The deploy commands exist in the full build.
	for cmd, text := range map[string]string{"destroy": "--delete-data", "status": "replicas", "rollback": "--to REVISION"} {
		out, code = runJac(t, nil, cmd, "--help")
		if code != 0 || !strings.Contains(out, text) {
			t.Fatalf("%s --help: %d %s", cmd, code, out)
		}
	}
}

// TestDryRunBuildsTheImage: --dry-run with no image configured renders the app
// with the image jac build makes of it, pinned by the digest jac build prints
// (built locally, reproducibly, pushed nowhere).
func TestDryRunBuildsTheImage(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "hello", "app.jac")
	os.MkdirAll(filepath.Dir(app), 0o755)
	os.WriteFile(app, []byte("with entry { print(1); }\n"), 0o644)
	rt := []string{"linux/amd64=" + fakeELF(t, dir, "amd64"), "linux/arm64=" + fakeELF(t, dir, "arm64")}
	buildRequestHook = func(r *jacbuild.Request) { r.Runtime = rt }
	defer func() { buildRequestHook = nil }()
	env := map[string]string{"APP_NAME": "hello"}

	out, code := runJac(t, env, "start", app, "--scale", "--dry-run", "--output", "yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	res, err := jacbuild.Run(context.Background(), jacbuild.Request{App: app, Runtime: rt, Version: version, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	want := "image: hello@" + res.Digest
	if !strings.Contains(out, want) {
		t.Fatalf("the dry run does not render %q:\n%s", want, out)
	}
	again, _ := runJac(t, env, "start", app, "--scale", "--dry-run", "--output", "yaml")
	if again != out {
		t.Error("a second dry run renders differently")
	}
}

// TestScaleBuildStep: the --build step is registry/jacbuild's build and push; the
// deploy gets the pushed image pinned by digest.
func TestScaleBuildStep(t *testing.T) {
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	app := filepath.Join(dir, "app.jac")
	os.WriteFile(app, []byte("with entry { print(1); }\n"), 0o644)
	rt := []string{"linux/amd64=" + fakeELF(t, dir, "amd64"), "linux/arm64=" + fakeELF(t, dir, "arm64")}
	buildRequestHook = func(r *jacbuild.Request) { r.Runtime = rt }
	defer func() { buildRequestHook = nil }()

	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	s := settings.Defaults()
	s.Image = host + "/hello@sha256:" + strings.Repeat("0", 64) // a pinned JAC_IMAGE: the build replaces the digest
	ref, err := buildImage(context.Background(), root, ScaleRequest{App: app, JSON: true}, s, "other")
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.HasPrefix(ref, host+"/hello@sha256:") {
		t.Fatalf("ref %q", ref)
	}
	d, err := name.NewDigest(ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Index(d); err != nil {
		t.Fatalf("pushed index not in the registry: %v", err)
	}
	// A registry that refuses: jac build's exit status comes through.
	s.Image = "127.0.0.1:1/hello"
	if _, err := buildImage(context.Background(), root, ScaleRequest{App: app}, s, "other"); err == nil {
		t.Fatal("push to a closed port succeeded")
	} else if ee, ok := err.(*exitError); !ok || ee.code == 0 {
		t.Fatalf("err %v", err)
	}
}
