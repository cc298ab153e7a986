package jacbuild_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/internal/testutil"
	"github.com/jacscale/jac/registry/jacbuild"
)

var fakeRuntime = registry.RuntimeFunc(func(_ context.Context, p v1.Platform) ([]byte, error) {
	return testutil.FakeELF(p.Architecture, "runtime"), nil
})

func app(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop")
	os.MkdirAll(filepath.Join(dir, "static"), 0o755)
	os.WriteFile(filepath.Join(dir, "main.jac"), []byte("walker ping { can go with Root entry { report \"pong\"; } }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "jac.toml"), []byte("[project]\nname = \"shop\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "static", "logo.svg"), []byte("<svg/>"), 0o644)
	return filepath.Join(dir, "main.jac")
}

func events(t *testing.T, out []byte) []registry.Event {
	t.Helper()
	var es []registry.Event
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var e registry.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		es = append(es, e)
	}
	return es
}

func TestTarballJSONReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	a := app(t)
	tarball := filepath.Join(filepath.Dir(a), "image.tar") // inside the app: must not end up in the image
	var outs [2][]byte
	var tars [2][]byte
	for i := range 2 {
		var stdout, stderr bytes.Buffer
		res, err := jacbuild.Run(context.Background(), jacbuild.Request{App: a, Tarball: tarball, JSON: true,
			RuntimeSource: fakeRuntime, Image: "example.com/shop:v1", Stdout: &stdout, Stderr: &stderr, Source: "https://example.com/shop", Revision: "r1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Images) != 2 {
			t.Fatalf("images %+v", res.Images)
		}
		outs[i] = stdout.Bytes()
		tars[i], _ = os.ReadFile(tarball)
	}
	if !bytes.Equal(tars[0], tars[1]) {
		t.Fatal("the second build (with the first tarball in the app directory) differs")
	}
	es := events(t, outs[0])
	var types []string
	for _, e := range es {
		types = append(types, e.Type)
	}
	for _, want := range []string{"layer", "image", "index", "tarball", "done"} {
		if !slices.Contains(types, want) {
			t.Errorf("no %s event: %v", want, types)
		}
	}
	if last := es[len(es)-1]; last.Type != "done" || !strings.HasPrefix(last.Digest, "sha256:") {
		t.Errorf("last event %+v", last)
	}
}

func TestErrorsAndExitCodes(t *testing.T) {
	ctx := context.Background()
	a := app(t)
	closed := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	closed.Server.Close()
	open := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	cases := []struct {
		name string
		req  jacbuild.Request
		code int
	}{
		{"no app", jacbuild.Request{}, registry.ExitInput},
		{"missing app", jacbuild.Request{App: "nope.jac", RuntimeSource: fakeRuntime}, registry.ExitInput},
		{"bad platform", jacbuild.Request{App: a, Platforms: "windows/amd64", RuntimeSource: fakeRuntime}, registry.ExitInput},
		{"bad registry", jacbuild.Request{App: a, Push: true, Registry: "quay", Image: "x", RuntimeSource: fakeRuntime}, registry.ExitInput},
		{"bad runtime flag", jacbuild.Request{App: a, Runtime: []string{"linux/amd64"}}, registry.ExitInput},
		{"network", jacbuild.Request{App: a, Push: true, Image: closed.Host + "/shop/app:v1", RuntimeSource: fakeRuntime}, registry.ExitNetwork},
		{"base not found", jacbuild.Request{App: a, Base: open.Host + "/no/such-base:v1"}, registry.ExitNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			c.req.JSON, c.req.Stdout, c.req.Stderr = true, &out, &out
			_, err := jacbuild.Run(ctx, c.req)
			if got := registry.ExitCode(err); got != c.code {
				t.Fatalf("exit %d, want %d: %v", got, c.code, err)
			}
			es := events(t, out.Bytes())
			if len(es) == 0 || es[len(es)-1].Type != "error" || es[len(es)-1].Exit != c.code {
				t.Fatalf("no error event with exit %d: %s", c.code, out.String())
			}
		})
	}
}

func TestBaseImageFlow(t *testing.T) {
	// Publish the runtime image, then build apps on it with --base: only the app
	// layer and configs are uploaded.
	ctx := context.Background()
	reg := testutil.NewRegistry(t, testutil.NoAuth, "", "")
	var out bytes.Buffer
	res, err := jacbuild.Run(ctx, jacbuild.Request{RuntimeOnly: true, Push: true, Image: reg.Host + "/jac/runtime:v1",
		RuntimeSource: fakeRuntime, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	reg.BlobPuts()
	res2, err := jacbuild.Run(ctx, jacbuild.Request{App: app(t), Push: true, Base: res.Ref, Image: reg.Host + "/jac/shop:v1",
		Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	puts := reg.BlobPuts()
	if len(puts) != 5 { // one app layer, two configs, two SBOMs
		t.Fatalf("uploaded %v", puts)
	}
	idx, err := remote.Index(mustRef(t, res2.Ref))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := idx.IndexManifest()
	for _, d := range m.Manifests {
		img, _ := idx.Image(d.Digest)
		cf, _ := img.ConfigFile()
		ls, _ := img.Layers()
		if len(ls) != 2 || strings.Join(cf.Config.Entrypoint, " ") != "/jac start /app/main.jac --host 0.0.0.0 --port 8000" || cf.Config.Labels[registry.LabelTitle] != "shop" {
			t.Fatalf("%s: %d layers, config %+v", d.Platform.Architecture, len(ls), cf.Config)
		}
	}
}

func TestECRThroughEnvironment(t *testing.T) {
	reg := testutil.NewRegistry(t, testutil.BasicAuth, "AWS", "ecr-pass")
	fake := testutil.NewFakeAWS(t, reg)
	for k, v := range fake.Env() {
		t.Setenv(k, v)
	}
	var out, errb bytes.Buffer
	res, err := jacbuild.Run(context.Background(), jacbuild.Request{App: app(t), Push: true, Registry: "ecr",
		RuntimeSource: fakeRuntime, Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	// No --image: the repository is the app's name, the host the token's proxy endpoint.
	if !strings.HasPrefix(res.Ref, reg.Host+"/shop@sha256:") || strings.TrimSpace(out.String()) != res.Ref {
		t.Fatalf("ref %q, stdout %q", res.Ref, out.String())
	}
	if !fake.Repos["shop"] {
		t.Fatal("repository not created")
	}
	for _, want := range []string{"auth  ecr as arn:aws:iam::123456789012:user/jac-ci", "repository shop created", "pushed " + res.Ref} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, errb.String())
		}
	}
	if _, err := remote.Index(mustRef(t, res.Ref), remote.WithAuth(&authn.Basic{Username: "AWS", Password: "ecr-pass"})); err != nil {
		t.Fatal(err)
	}
}

// TestGCRThroughADC goes through google.FindDefaultCredentials with a service
// account key file whose token_uri is a local fake of oauth2.googleapis.com.
func TestGCRThroughADC(t *testing.T) {
	const token = "ya29.from-adc"
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || r.Form.Get("assertion") == "" {
			http.Error(w, `{"error":"invalid_grant"}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokenSrv.Close()
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "adc-project", "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "jac-ci@adc-project.iam.gserviceaccount.com", "client_id": "1",
		"token_uri": tokenSrv.URL,
	})
	credFile := filepath.Join(t.TempDir(), "sa.json")
	os.WriteFile(credFile, sa, 0o600)
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", credFile)
	t.Setenv("GOOGLE_CLOUD_PROJECT", "")
	t.Setenv("GOOGLE_CLOUD_REGION", "asia-east1")

	reg := testutil.NewRegistry(t, testutil.BasicAuth, "oauth2accesstoken", token)
	ar := testutil.NewFakeArtifactRegistry(t, token)
	t.Setenv("JAC_ARTIFACTREGISTRY_ENDPOINT", ar.URL)
	var out, errb bytes.Buffer
	res, err := jacbuild.Run(context.Background(), jacbuild.Request{App: app(t), Push: true, Registry: "gcr",
		Image: reg.Host + "/adc-project/jac/shop:v2", RuntimeSource: fakeRuntime, Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !ar.Repos["projects/adc-project/locations/asia-east1/repositories/jac"] {
		t.Fatalf("repository not created: %v %v", ar.Repos, ar.CallList())
	}
	if !strings.HasPrefix(res.Ref, reg.Host+"/adc-project/jac/shop@sha256:") {
		t.Fatalf("ref %s", res.Ref)
	}
}

func TestDockerHubThroughEnvironment(t *testing.T) {
	reg := testutil.NewRegistry(t, testutil.TokenAuth, "alice", "dckr_pat_x")
	t.Setenv("DOCKER_USERNAME", "alice")
	t.Setenv("DOCKER_PASSWORD", "dckr_pat_x")
	var out bytes.Buffer
	req := jacbuild.Request{App: app(t), Push: true, Registry: "dockerhub", Image: reg.Host + "/alice/shop:v1",
		RuntimeSource: fakeRuntime, Stdout: &out, Stderr: &out}
	if _, err := jacbuild.Run(context.Background(), req); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Setenv("DOCKER_PASSWORD", "revoked")
	_, err := jacbuild.Run(context.Background(), req)
	if registry.ExitCode(err) != registry.ExitAuth {
		t.Fatalf("revoked token: %v (exit %d)", err, registry.ExitCode(err))
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
