package registry_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/internal/testutil"
)

// fakeRuntime gives tiny ELF-looking binaries: enough to assemble images fast.
var fakeRuntime = registry.RuntimeFunc(func(_ context.Context, p v1.Platform) ([]byte, error) {
	return testutil.FakeELF(p.Architecture, strings.Repeat("runtime "+p.Architecture, 1000)), nil
})

// writeApp creates a small app directory and returns the path of its entry file.
func writeApp(t testing.TB, dir string) string {
	t.Helper()
	dir = filepath.Join(dir, "demo") // the image title comes from this name
	files := map[string]string{
		"app.jac":            "walker hello { can go with Root entry { report \"hi\"; } }\n",
		"jac.toml":           "[project]\nname = \"demo\"\n",
		"lib/util.jac":       "def add(a: int, b: int) -> int { return a + b; }\n",
		"static/index.html":  "<h1>demo</h1>\n",
		"static/app.js":      "console.log('hi')\n",
		".gitignore":         "*.log\nbuild/\n",
		".jacignore":         "secrets/\n!keep.log\n",
		"debug.log":          "noise\n",
		"keep.log":           "kept\n",
		"build/out.bin":      "artifact\n",
		"secrets/key.pem":    "PRIVATE\n",
		".env":               "TOKEN=x\n",
		".jac/data/graph.db": "state\n",
		".git/HEAD":          "ref: refs/heads/main\n",
		"sub/.gitignore":     "local.tmp\n",
		"sub/local.tmp":      "tmp\n",
		"sub/kept.jac":       "obj A {}\n",
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "app.jac")
}

func layerFiles(t testing.TB, l v1.Layer) map[string]*tar.Header {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	out := map[string]*tar.Header{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = h
	}
}

func TestBuildReproducibleAndFiltered(t *testing.T) {
	ctx := context.Background()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	app := writeApp(t, t.TempDir())
	b1, err := registry.Build(ctx, app, registry.WithRuntime(fakeRuntime), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"))
	if err != nil {
		t.Fatal(err)
	}
	// Same app in another directory, built again: same digest.
	app2 := writeApp(t, t.TempDir())
	b2, err := registry.Build(ctx, app2, registry.WithRuntime(fakeRuntime), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"))
	if err != nil {
		t.Fatal(err)
	}
	if b1.Digest != b2.Digest {
		t.Fatalf("same app, different digests: %s vs %s", b1.Digest, b2.Digest)
	}
	// A different SOURCE_DATE_EPOCH is a different image.
	t.Setenv("SOURCE_DATE_EPOCH", "1700000001")
	b3, err := registry.Build(ctx, app2, registry.WithRuntime(fakeRuntime), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"))
	if err != nil {
		t.Fatal(err)
	}
	if b3.Digest == b1.Digest {
		t.Fatal("SOURCE_DATE_EPOCH does not reach the image")
	}
	// ... but not the runtime layer, which every app of this CLI version shares.
	for i := range b1.Images {
		l1, _ := b1.Images[i].Image.Layers()
		l3, _ := b3.Images[i].Image.Layers()
		d1, _ := l1[0].Digest()
		d3, _ := l3[0].Digest()
		if d1 != d3 {
			t.Fatalf("runtime layer depends on SOURCE_DATE_EPOCH: %s vs %s", d1, d3)
		}
	}

	files := layerFiles(t, b1.AppLayer)
	var names []string
	for n, h := range files {
		names = append(names, n)
		if h.Uid != registry.UID || h.Gid != registry.GID || h.Uname != "" || !h.ModTime.Equal(time.Unix(1700000000, 0)) {
			t.Errorf("%s: uid %d gid %d uname %q mtime %v", n, h.Uid, h.Gid, h.Uname, h.ModTime)
		}
	}
	sort.Strings(names)
	want := []string{"app/", "app/.gitignore", "app/.jacignore", "app/app.jac", "app/jac.toml", "app/keep.log",
		"app/lib/", "app/lib/util.jac", "app/static/", "app/static/app.js", "app/static/index.html",
		"app/sub/", "app/sub/.gitignore", "app/sub/kept.jac"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("app layer:\n got %v\nwant %v", names, want)
	}
	if len(b1.Images) != 2 || registry.PlatformString(b1.Images[0].Platform) != "linux/amd64" || registry.PlatformString(b1.Images[1].Platform) != "linux/arm64" {
		t.Fatalf("platforms: %+v", b1.Images)
	}
	for _, pi := range b1.Images {
		cf, err := pi.Image.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		c := cf.Config
		if got := strings.Join(c.Entrypoint, " "); got != "/jac start /app/app.jac --host 0.0.0.0 --port 8000" {
			t.Errorf("entrypoint %q", got)
		}
		if c.User != "65532:65532" || c.WorkingDir != "/app" {
			t.Errorf("user %q workdir %q", c.User, c.WorkingDir)
		}
		if c.Labels[registry.LabelCreated] != "2023-11-14T22:13:20Z" || c.Labels[registry.LabelSource] != "https://example.com/demo" || c.Labels[registry.LabelRevision] != "abc123" {
			t.Errorf("labels %v", c.Labels)
		}
		if !cf.Created.Time.Equal(time.Unix(1700000000, 0)) || cf.Architecture != pi.Platform.Architecture || cf.OS != "linux" {
			t.Errorf("config created %v arch %s os %s", cf.Created, cf.Architecture, cf.OS)
		}
		ls, _ := pi.Image.Layers()
		if len(ls) != 2 {
			t.Fatalf("%d layers", len(ls))
		}
		rt := layerFiles(t, ls[0])
		for _, n := range []string{"jac", "etc/passwd", "etc/group", "tmp/", "home/jac/"} {
			if rt[n] == nil {
				t.Errorf("runtime layer lacks %s", n)
			}
		}
		if rt["jac"].Mode != 0o755 || rt["tmp/"].Mode != 0o1777 || rt["home/jac/"].Uid != registry.UID {
			t.Errorf("runtime layer modes: jac %o tmp %o home uid %d", rt["jac"].Mode, rt["tmp/"].Mode, rt["home/jac/"].Uid)
		}
	}
}

func TestAppChangeIsOneLayer(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := writeApp(t, dir)
	b1, err := registry.Build(ctx, app, registry.WithRuntime(fakeRuntime))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(app), "lib/util.jac"), []byte("def add(a: int, b: int) -> int { return b + a; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b2, err := registry.Build(ctx, app, registry.WithRuntime(fakeRuntime))
	if err != nil {
		t.Fatal(err)
	}
	if b1.Digest == b2.Digest {
		t.Fatal("app change did not change the digest")
	}
	for i := range b1.Images {
		l1, _ := b1.Images[i].Image.Layers()
		l2, _ := b2.Images[i].Image.Layers()
		if len(l1) != len(l2) {
			t.Fatal("layer count changed")
		}
		changed := 0
		for j := range l1 {
			d1, _ := l1[j].Digest()
			d2, _ := l2[j].Digest()
			if d1 != d2 {
				changed++
				if j != len(l1)-1 {
					t.Errorf("layer %d (not the app layer) changed", j)
				}
			}
		}
		if changed != 1 {
			t.Errorf("%s: %d layers changed, want 1", registry.PlatformString(b1.Images[i].Platform), changed)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	app := writeApp(t, dir)
	cases := []struct {
		name string
		app  string
		opts []registry.Option
		code int
	}{
		{"missing app", filepath.Join(dir, "nope.jac"), []registry.Option{registry.WithRuntime(fakeRuntime)}, registry.ExitInput},
		{"not a .jac", filepath.Join(filepath.Dir(app), "jac.toml"), []registry.Option{registry.WithRuntime(fakeRuntime)}, registry.ExitInput},
		{"no runtime", app, nil, registry.ExitInput},
		{"wrong arch", app, []registry.Option{registry.WithRuntime(registry.RuntimeFunc(func(context.Context, v1.Platform) ([]byte, error) {
			return testutil.FakeELF("amd64", "x"), nil
		}))}, registry.ExitInput},
		{"not elf", app, []registry.Option{registry.WithRuntime(registry.RuntimeFunc(func(context.Context, v1.Platform) ([]byte, error) {
			return []byte("#!/bin/sh\necho hi\n"), nil
		}))}, registry.ExitInput},
		{"base not found", app, []registry.Option{registry.WithBase(name.MustParseReference("127.0.0.1:1/none/base:v1"))}, registry.ExitNetwork},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := registry.Build(ctx, c.app, c.opts...)
			if err == nil {
				t.Fatal("want an error")
			}
			if got := registry.ExitCode(err); got != c.code {
				t.Fatalf("exit code %d, want %d (%v)", got, c.code, err)
			}
		})
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, err := registry.Build(ctx, app, registry.WithRuntime(fakeRuntime)); registry.ExitCode(err) != registry.ExitInput {
		t.Fatalf("bad SOURCE_DATE_EPOCH: %v", err)
	}
}

func TestWriteLayout(t *testing.T) {
	ctx := context.Background()
	app := writeApp(t, t.TempDir())
	b, err := registry.Build(ctx, app, registry.WithRuntime(fakeRuntime))
	if err != nil {
		t.Fatal(err)
	}
	var t1, t2 bytes.Buffer
	if err := registry.WriteLayout(&t1, b, "example.com/demo:v1"); err != nil {
		t.Fatal(err)
	}
	if err := registry.WriteLayout(&t2, b, "example.com/demo:v1"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(t1.Bytes(), t2.Bytes()) {
		t.Fatal("layout tar is not reproducible")
	}
	dir := t.TempDir()
	tr := tar.NewReader(&t1)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, h.Name)
		if h.Typeflag == tar.TypeDir {
			os.MkdirAll(p, 0o755)
			continue
		}
		data, _ := io.ReadAll(tr)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	top, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 || im.Manifests[0].Digest != b.Digest || im.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != "example.com/demo:v1" {
		t.Fatalf("index.json: %+v", im)
	}
	idx, err := top.ImageIndex(b.Digest)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			rc, err := l.Compressed()
			if err != nil {
				t.Fatal(err)
			}
			rc.Close()
		}
	}
}

func TestRuntimeOnlyImage(t *testing.T) {
	b, err := registry.Build(context.Background(), "", registry.WithRuntime(fakeRuntime))
	if err != nil {
		t.Fatal(err)
	}
	if b.AppLayer != nil {
		t.Fatal("runtime-only image has an app layer")
	}
	cf, _ := b.Images[0].Image.ConfigFile()
	if strings.Join(cf.Config.Entrypoint, " ") != "/jac" {
		t.Fatalf("entrypoint %v", cf.Config.Entrypoint)
	}
}
