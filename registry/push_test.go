package registry_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/jacscale/jac/internal/loopback"
	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/internal/testutil"
)

// maxCompressed is the per-platform budget of an app image (compressed).
const maxCompressed = 20 << 20

func realRuntime(t testing.TB) registry.RuntimeFiles {
	return registry.RuntimeFiles(testutil.SlimBinaries(t))
}

// pushed pulls ref back and returns the index and its platform images.
func pulled(t *testing.T, ref string) (v1.ImageIndex, map[string]v1.Image) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Index(r)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	imgs := map[string]v1.Image{}
	for _, d := range m.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		imgs[registry.PlatformString(*d.Platform)] = img
	}
	return idx, imgs
}

func TestPushPullRealRuntime(t *testing.T) {
	ctx := context.Background()
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	rt := realRuntime(t)
	reg := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	app := writeApp(t, t.TempDir())
	ref := mustRef(t, reg.Host+"/acme/demo:v1")

	var mu sync.Mutex
	var events []registry.Event
	progress := registry.WithProgress(func(e registry.Event) { mu.Lock(); events = append(events, e); mu.Unlock() })

	start := time.Now()
	b, err := registry.Build(ctx, app, registry.WithRuntime(rt), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"), progress)
	if err != nil {
		t.Fatal(err)
	}
	buildTime := time.Since(start)
	start = time.Now()
	res, err := registry.Push(ctx, b, ref, progress)
	if err != nil {
		t.Fatal(err)
	}
	pushTime := time.Since(start)
	if res.Ref.DigestStr() != b.Digest.String() {
		t.Fatalf("pushed %s, built %s", res.Ref, b.Digest)
	}
	// 2 runtime layers + 1 shared app layer + 2 configs, and the SBOMs: 2 documents
	// + the artifacts' shared empty config.
	if puts := reg.BlobPuts(); len(puts) != 8 {
		t.Fatalf("first push uploaded %d blobs, want 8: %v", len(puts), puts)
	}

	idx, imgs := pulled(t, ref.String())
	if d, _ := idx.Digest(); d != b.Digest {
		t.Fatalf("pulled index %s, built %s", d, b.Digest)
	}
	if len(imgs) != 2 || imgs["linux/amd64"] == nil || imgs["linux/arm64"] == nil {
		t.Fatalf("platforms pulled: %v", slices.Sorted(mapsKeys(imgs)))
	}
	var appDigest v1.Hash
	for p, img := range imgs {
		cf, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if cf.Architecture != strings.TrimPrefix(p, "linux/") || cf.OS != "linux" {
			t.Errorf("%s: config says %s/%s", p, cf.OS, cf.Architecture)
		}
		c := cf.Config
		if got := strings.Join(c.Entrypoint, " "); got != "/jac start /app/app.jac --host 0.0.0.0 --port 8000" {
			t.Errorf("%s: entrypoint %q", p, got)
		}
		if c.User != "65532:65532" {
			t.Errorf("%s: user %q", p, c.User)
		}
		for k, v := range map[string]string{registry.LabelSource: "https://example.com/demo", registry.LabelRevision: "abc123", registry.LabelCreated: "2023-11-14T22:13:20Z"} {
			if c.Labels[k] != v {
				t.Errorf("%s: label %s = %q, want %q", p, k, c.Labels[k], v)
			}
		}
		ls, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 2 {
			t.Fatalf("%s: %d layers", p, len(ls))
		}
		ad, _ := ls[1].Digest()
		if appDigest.Hex != "" && ad != appDigest {
			t.Errorf("the app layer differs between platforms")
		}
		appDigest = ad
		size := int64(0)
		for _, l := range ls {
			s, _ := l.Size()
			size += s
		}
		m, _ := img.RawManifest()
		rc, _ := img.RawConfigFile()
		size += int64(len(m) + len(rc))
		t.Logf("%s: %d bytes compressed (%.2f MB), runtime layer %d bytes", p, size, float64(size)/(1<<20), mustSize(ls[0]))
		if size > maxCompressed {
			t.Errorf("%s: %d bytes compressed, budget %d", p, size, maxCompressed)
		}
	}
	t.Logf("build %v, push %v (loopback), index %s", buildTime.Round(time.Millisecond), pushTime.Round(time.Millisecond), b.Digest)

	// Same app, same CLI: same digest, nothing uploaded again.
	b2, err := registry.Build(ctx, app, registry.WithRuntime(rt), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"))
	if err != nil {
		t.Fatal(err)
	}
	if b2.Digest != b.Digest {
		t.Fatalf("rebuild: %s, first %s", b2.Digest, b.Digest)
	}
	res2, err := registry.Push(ctx, b2, ref)
	if err != nil {
		t.Fatal(err)
	}
	if puts := reg.BlobPuts(); len(puts) != 0 || len(res2.Uploaded) != 0 || res2.Bytes != 0 {
		t.Fatalf("second push uploaded %v (reported %v, %d bytes)", puts, res2.Uploaded, res2.Bytes)
	}

	// App change: one new layer (shared by both platforms), two configs and the two
	// SBOMs (they list the app's files); the runtime layers are never uploaded again.
	if err := os.WriteFile(filepath.Join(filepath.Dir(app), "static/index.html"), []byte("<h1>v2</h1>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b3, err := registry.Build(ctx, app, registry.WithRuntime(rt), registry.WithSource("https://example.com/demo"), registry.WithRevision("abc123"))
	if err != nil {
		t.Fatal(err)
	}
	res3, err := registry.Push(ctx, b3, ref)
	if err != nil {
		t.Fatal(err)
	}
	puts := reg.BlobPuts()
	if res3.Bytes <= 0 || res3.Bytes > 64<<10 {
		t.Errorf("after an app change the push reports %d bytes uploaded, want a few kB", res3.Bytes)
	}
	newApp, _ := b3.AppLayer.Digest()
	var runtimeDigests []string
	for _, pi := range b.Images {
		ls, _ := pi.Image.Layers()
		d, _ := ls[0].Digest()
		runtimeDigests = append(runtimeDigests, d.String())
	}
	if len(puts) != 5 || !slices.Contains(puts, newApp.String()) {
		t.Fatalf("after an app change uploaded %v, want the new app layer %s, two configs and two SBOMs", puts, newApp)
	}
	for _, d := range runtimeDigests {
		if slices.Contains(puts, d) {
			t.Fatalf("runtime layer %s uploaded again", d)
		}
	}
	_, imgs3 := pulled(t, ref.String())
	for p, img := range imgs3 {
		old := imgs[p]
		ol, _ := old.Layers()
		nl, _ := img.Layers()
		d0o, _ := ol[0].Digest()
		d0n, _ := nl[0].Digest()
		d1o, _ := ol[1].Digest()
		d1n, _ := nl[1].Digest()
		if d0o != d0n || d1o == d1n {
			t.Errorf("%s: runtime %v→%v app %v→%v; want only the app layer to change", p, d0o, d0n, d1o, d1n)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Type)
	}
	for _, want := range []string{"layer", "image", "index", "blob", "progress", "manifest", "pushed"} {
		if !slices.Contains(kinds, want) {
			t.Errorf("no %q event in %v", want, kinds)
		}
	}
}

func mustSize(l v1.Layer) int64 { s, _ := l.Size(); return s }

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestImageRuns unpacks the pushed image of this machine's platform and runs its
// binary: `/jac version` (works with any runtime), then the entrypoint itself,
// polling /healthz for a 200.
func TestImageRuns(t *testing.T) {
	ctx := context.Background()
	rt := realRuntime(t)
	reg := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	app := writeApp(t, t.TempDir())
	ref := mustRef(t, reg.Host+"/acme/serve:v1")
	b, err := registry.Build(ctx, app, registry.WithRuntime(rt))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Push(ctx, b, ref); err != nil {
		t.Fatal(err)
	}
	_, imgs := pulled(t, ref.String())
	img := imgs[testutil.NativePlatform()]
	if img == nil {
		t.Skipf("no image for %s", testutil.NativePlatform())
	}
	rootfs := t.TempDir()
	if err := testutil.Unpack(img, rootfs); err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("running as uid %d (chroot when root)", os.Geteuid())

	t.Run("version", func(t *testing.T) {
		out, err := testutil.Command(t, rootfs, cf.Config, "/jac", "version").CombinedOutput()
		if err != nil {
			t.Fatalf("/jac version: %v\n%s", err, out)
		}
		if !strings.HasPrefix(string(out), "jac ") {
			t.Fatalf("/jac version said %q", out)
		}
	})

	t.Run("healthz", func(t *testing.T) {
		port := loopback.FreePort(t)
		args := append(append([]string(nil), cf.Config.Entrypoint...), "--host", "127.0.0.1", "--port", fmt.Sprint(port))
		res, err := testutil.WaitHealthy(testutil.Command(t, rootfs, cf.Config, args...), port, 30*time.Second)
		if err != nil || res.Status != 200 {
			t.Fatalf("entrypoint %v: status %d exited %v err %v\n%s", args, res.Status, res.Exited, err, res.Output)
		}
		t.Logf("/healthz: %s", strings.TrimSpace(res.Body))
	})
}

func TestPushErrors(t *testing.T) {
	ctx := context.Background()
	b, err := registry.Build(ctx, writeApp(t, t.TempDir()), registry.WithRuntime(fakeRuntime))
	if err != nil {
		t.Fatal(err)
	}
	reg := testutil.NewRegistry(t, testutil.TokenAuth, "alice", "s3cret")
	ref := mustRef(t, reg.Host+"/alice/demo:v1")

	_, err = registry.Push(ctx, b, ref, registry.WithAuth(&authn.Basic{Username: "alice", Password: "wrong"}))
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Errorf("wrong password: exit %d (%v), want %d", code, err, registry.ExitAuth)
	}
	_, err = registry.Push(ctx, b, ref, registry.WithAuth(authn.Anonymous))
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Errorf("anonymous: exit %d (%v), want %d", code, err, registry.ExitAuth)
	}
	if _, err := registry.Push(ctx, b, ref, registry.WithAuth(&authn.Basic{Username: "alice", Password: "s3cret"})); err != nil {
		t.Fatalf("token flow with the right password: %v", err)
	}

	// Nothing listening: network.
	dead := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	dead.Server.Close()
	_, err = registry.Push(ctx, b, mustRef(t, dead.Host+"/x/y:z"), registry.WithRemoteOptions(remote.WithRetryBackoff(remote.Backoff{Steps: 1})))
	if code := registry.ExitCode(err); code != registry.ExitNetwork {
		t.Errorf("closed registry: exit %d (%v), want %d", code, err, registry.ExitNetwork)
	}
}

// BenchmarkBuild measures assembling the two-platform image of a small app with
// the real slim runtime binaries (gzip of both runtime layers dominates).
func BenchmarkBuild(b *testing.B) {
	rt := realRuntime(b)
	app := writeApp(b, b.TempDir())
	for b.Loop() {
		if _, err := registry.Build(context.Background(), app, registry.WithRuntime(rt)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPush measures pushing a freshly built image to an empty in-process registry.
func BenchmarkPush(b *testing.B) {
	rt := realRuntime(b)
	app := writeApp(b, b.TempDir())
	built, err := registry.Build(context.Background(), app, registry.WithRuntime(rt))
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		reg := testutil.NewRegistry(b, testutil.NoAuth, "", "")
		i++
		if _, err := registry.Push(context.Background(), built, mustRef(b, fmt.Sprintf("%s/bench/app%d:v1", reg.Host, i))); err != nil {
			b.Fatal(err)
		}
	}
}

func mustRef(t testing.TB, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
