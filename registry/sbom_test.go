package registry_test

import (
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/internal/testutil"
)

// TestSBOMReferrers: the pushed image has one SPDX SBOM attached as an OCI referrer,
// listing the real runtime binary's Go modules (from its build information) and the
// app's files; a rebuild gives the same SBOM bytes.
func TestSBOMReferrers(t *testing.T) {
	native := testutil.NativePlatform()
	self := testutil.SlimBinaries(t)[native] // the real runtime, shared with TestPushPullRealRuntime
	platform, err := registry.ParsePlatform(native)
	if err != nil {
		t.Fatal(err)
	}
	rt := registry.RuntimeFiles{native: self}
	srv := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)), ggcrregistry.WithReferrersSupport(true)))
	defer srv.Close()
	ctx := context.Background()
	app := writeApp(t, t.TempDir())
	ref := mustRef(t, strings.TrimPrefix(srv.URL, "http://")+"/acme/demo:v1")
	b, err := registry.Build(ctx, app, registry.WithRuntime(rt), registry.WithPlatforms(platform), registry.WithVersion("test"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := registry.Push(ctx, b, ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SBOMs) != 1 {
		t.Fatalf("SBOMs pushed: %v", res.SBOMs)
	}

	img := b.Images[0]
	refs, err := remote.Referrers(ref.Context().Digest(img.Digest.String()))
	if err != nil {
		t.Fatal(err)
	}
	im, err := refs.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 {
		t.Fatalf("referrers of %s: %+v", img.Digest, im.Manifests)
	}
	// (go-containerregistry's registry reports the config's media type as the
	// referrer's artifactType; the manifest itself carries the SPDX one.)
	art, err := remote.Image(ref.Context().Digest(im.Manifests[0].Digest.String()))
	if err != nil {
		t.Fatal(err)
	}
	am, err := art.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if am.ArtifactType != string(registry.SBOMMediaType) || am.Subject == nil || am.Subject.Digest != img.Digest {
		t.Fatalf("artifact manifest: artifactType %q, subject %+v", am.ArtifactType, am.Subject)
	}
	layers, err := art.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("artifact layers %d, %v", len(layers), err)
	}
	rc, err := layers[0].Compressed()
	if err != nil {
		t.Fatal(err)
	}
	pulled, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(pulled, img.SBOM) {
		t.Fatal("the pulled SBOM differs from the built one")
	}

	var doc struct {
		SPDXVersion string `json:"spdxVersion"`
		Packages    []struct {
			Name    string `json:"name"`
			Version string `json:"versionInfo"`
		} `json:"packages"`
		Files []struct {
			Name      string `json:"fileName"`
			Checksums []struct{ Algorithm, ChecksumValue string }
		} `json:"files"`
	}
	if err := json.Unmarshal(pulled, &doc); err != nil || doc.SPDXVersion != "SPDX-2.3" {
		t.Fatalf("SBOM: %v %q", err, doc.SPDXVersion)
	}
	bi, err := buildinfo.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, p := range doc.Packages {
		names[p.Name] = p.Version
	}
	if _, ok := names[bi.Path]; !ok {
		t.Errorf("no package for the binary's main module %s", bi.Path)
	}
	if len(bi.Deps) < 10 || names["github.com/spf13/cobra"] == "" {
		t.Errorf("the runtime's modules are not listed: %d in its build info, packages %v", len(bi.Deps), names)
	}
	for _, m := range bi.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		if names[m.Path] != m.Version {
			t.Errorf("module %s: SBOM says %q, the binary %q", m.Path, names[m.Path], m.Version)
		}
	}
	files := map[string]bool{}
	for _, f := range doc.Files {
		files[f.Name] = len(f.Checksums) == 2
	}
	for _, want := range []string{"/app/app.jac", "/app/lib/util.jac", "/app/static/index.html"} {
		if !files[want] {
			t.Errorf("SBOM files lack %s with checksums: %v", want, files)
		}
	}
	if files["/app/debug.log"] {
		t.Error("an ignored file is in the SBOM")
	}

	b2, err := registry.Build(ctx, app, registry.WithRuntime(rt), registry.WithPlatforms(platform), registry.WithVersion("test"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b2.Images[0].SBOM, img.SBOM) {
		t.Error("a rebuild gives another SBOM")
	}
	t.Logf("SBOM: %d packages, %d files, %d bytes", len(doc.Packages), len(doc.Files), len(pulled))
}
