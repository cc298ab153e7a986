package auth_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/oauth2"

	"github.com/jacscale/jac/registry"
	"github.com/jacscale/jac/registry/auth"
	"github.com/jacscale/jac/registry/internal/testutil"
)

func built(t *testing.T) *registry.Built {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte("with entry { print(1); }\n"), 0o644)
	b, err := registry.Build(context.Background(), filepath.Join(dir, "app.jac"),
		registry.WithRuntime(registry.RuntimeFunc(func(_ context.Context, p v1.Platform) ([]byte, error) {
			return testutil.FakeELF(p.Architecture, "rt"), nil
		})))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func push(t *testing.T, b *registry.Built, tg *auth.Target) error {
	t.Helper()
	opts := []registry.Option{registry.WithRemoteOptions(remote.WithRetryBackoff(remote.Backoff{Steps: 1}))}
	if tg.Auth != nil {
		opts = append(opts, registry.WithAuth(tg.Auth))
	} else {
		opts = append(opts, registry.WithKeychain(tg.Keychain))
	}
	_, err := registry.Push(context.Background(), b, tg.Ref, opts...)
	return err
}

func setenv(t *testing.T, env map[string]string) {
	for k, v := range env {
		t.Setenv(k, v)
	}
}

func TestECR(t *testing.T) {
	ctx := context.Background()
	reg := testutil.NewRegistry(t, testutil.BasicAuth, "AWS", "ecr-registry-password")
	aws := testutil.NewFakeAWS(t, reg)
	setenv(t, aws.Env())
	b := built(t)

	tg, err := auth.Resolve(ctx, auth.Options{Registry: "ecr", Image: reg.Host + "/team/demo:v1"})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Ref.String() != reg.Host+"/team/demo:v1" || !strings.Contains(tg.Identity, "123456789012") {
		t.Fatalf("target %s as %s", tg.Ref, tg.Identity)
	}
	if calls := aws.CallList(); !slices.Equal(calls, []string{"sts:GetCallerIdentity", "DescribeRepositories", "CreateRepository", "GetAuthorizationToken"}) {
		t.Fatalf("calls %v", calls)
	}
	if !aws.Repos["team/demo"] {
		t.Fatalf("repository not created: %v", aws.Repos)
	}
	if err := push(t, b, tg); err != nil {
		t.Fatalf("push with the ECR token: %v", err)
	}

	// The repository exists now; no host in --image: the host is the token's proxy endpoint.
	aws.Calls = nil
	tg, err = auth.Resolve(ctx, auth.Options{Registry: "ecr", Image: "team/demo"})
	if err != nil {
		t.Fatal(err)
	}
	if calls := aws.CallList(); slices.Contains(calls, "CreateRepository") {
		t.Fatalf("created an existing repository: %v", calls)
	}
	if tg.Ref.String() != reg.Host+"/team/demo:latest" {
		t.Fatalf("ref %s", tg.Ref)
	}
	if err := push(t, b, tg); err != nil {
		t.Fatal(err)
	}

	// Access denied: exit code 3.
	aws.DenyAll = true
	_, err = auth.Resolve(ctx, auth.Options{Registry: "ecr", Image: "team/demo"})
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Fatalf("denied: exit %d (%v)", code, err)
	}
	aws.DenyAll = false

	// No credentials at all: exit code 3.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	_, err = auth.Resolve(ctx, auth.Options{Registry: "ecr", Image: "team/demo"})
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Fatalf("no credentials: exit %d (%v)", code, err)
	}
}

func TestECRHostRef(t *testing.T) {
	// A real ECR host fixes the region; the account in the host is the registry id.
	reg := testutil.NewRegistry(t, testutil.BasicAuth, "AWS", "pw")
	aws := testutil.NewFakeAWS(t, reg)
	setenv(t, aws.Env())
	tg, err := auth.Resolve(context.Background(), auth.Options{Registry: "", Image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo"})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Registry != auth.ECR || tg.Ref.String() != "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo:latest" {
		t.Fatalf("%s %s", tg.Registry, tg.Ref)
	}
}

func TestGCR(t *testing.T) {
	ctx := context.Background()
	const token = "ya29.jac-test-token"
	reg := testutil.NewRegistry(t, testutil.BasicAuth, "oauth2accesstoken", token)
	ar := testutil.NewFakeArtifactRegistry(t, token)
	t.Setenv(auth.EnvAREndpoint, ar.URL)
	b := built(t)
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"})

	opts := auth.Options{Registry: "gcr", Image: reg.Host + "/proj-1/apps/demo:v1", TokenSource: ts,
		GCPProject: "proj-1", GCPLocation: "europe-west1", GCPRepository: "apps"}
	tg, err := auth.Resolve(ctx, opts)
	if err != nil {
		t.Fatalf("%v (calls %v)", err, ar.CallList())
	}
	want := "projects/proj-1/locations/europe-west1/repositories/apps"
	if !ar.Repos[want] {
		t.Fatalf("repository not created: %v, calls %v", ar.Repos, ar.CallList())
	}
	if calls := ar.CallList(); len(calls) != 2 || !strings.HasPrefix(calls[0], "GET /v1/"+want) || !strings.HasPrefix(calls[1], "POST /v1/projects/proj-1/locations/europe-west1/repositories") {
		t.Fatalf("calls %v", calls)
	}
	if err := push(t, b, tg); err != nil {
		t.Fatalf("push as oauth2accesstoken: %v", err)
	}
	// Exists now: one GET, no create.
	ar.Calls = nil
	if _, err := auth.Resolve(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if calls := ar.CallList(); len(calls) != 1 {
		t.Fatalf("calls %v", calls)
	}

	// A bare name becomes REGION-docker.pkg.dev/PROJECT/REPOSITORY/NAME.
	t.Setenv(auth.EnvAREndpoint, "")
	tg, err = auth.Resolve(ctx, auth.Options{Registry: "gcr", AppName: "demo", TokenSource: ts, GCPProject: "proj-1", GCPLocation: "europe-west1", GCPRepository: "apps", NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Ref.String() != "europe-west1-docker.pkg.dev/proj-1/apps/demo:latest" {
		t.Fatalf("ref %s", tg.Ref)
	}

	// A rejected token: exit code 3.
	t.Setenv(auth.EnvAREndpoint, ar.URL)
	bad := opts
	bad.TokenSource = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "expired"})
	_, err = auth.Resolve(ctx, bad)
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Fatalf("bad token: exit %d (%v)", code, err)
	}
}

func TestDockerHub(t *testing.T) {
	ctx := context.Background()
	reg := testutil.NewRegistry(t, testutil.TokenAuth, "alice", "hub-token")
	b := built(t)
	t.Setenv("DOCKER_USERNAME", "alice")
	t.Setenv("DOCKER_PASSWORD", "hub-token")
	tg, err := auth.Resolve(ctx, auth.Options{Registry: "dockerhub", Image: reg.Host + "/alice/demo:v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := push(t, b, tg); err != nil {
		t.Fatalf("token flow: %v", err)
	}
	// A bare name goes under DOCKER_USERNAME on docker.io.
	tg, err = auth.Resolve(ctx, auth.Options{Image: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Registry != auth.DockerHub || tg.Ref.Name() != "index.docker.io/alice/demo:latest" {
		t.Fatalf("%s %s", tg.Registry, tg.Ref.Name())
	}
	// Wrong password: the token service says 401; exit code 3.
	t.Setenv("DOCKER_PASSWORD", "wrong")
	tg, err = auth.Resolve(ctx, auth.Options{Registry: "dockerhub", Image: reg.Host + "/alice/demo:v1"})
	if err != nil {
		t.Fatal(err)
	}
	if code := registry.ExitCode(push(t, b, tg)); code != registry.ExitAuth {
		t.Fatalf("wrong password: exit %d", code)
	}
	// Only one of the two variables: an auth error before any request.
	t.Setenv("DOCKER_PASSWORD", "")
	_, err = auth.Resolve(ctx, auth.Options{Registry: "dockerhub", Image: reg.Host + "/alice/demo:v1"})
	if code := registry.ExitCode(err); code != registry.ExitAuth {
		t.Fatalf("half credentials: exit %d", code)
	}
}

func TestDockerConfigKeychain(t *testing.T) {
	// No DOCKER_USERNAME: credentials come from $DOCKER_CONFIG/config.json.
	reg := testutil.NewRegistry(t, testutil.TokenAuth, "bob", "from-config")
	dir := t.TempDir()
	cfg := `{"auths":{"` + reg.Host + `":{"auth":"` + "Ym9iOmZyb20tY29uZmln" + `"}}}` // bob:from-config
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600)
	t.Setenv("DOCKER_CONFIG", dir)
	t.Setenv("DOCKER_USERNAME", "")
	t.Setenv("DOCKER_PASSWORD", "")
	for _, kind := range []string{"dockerhub", "other", ""} {
		tg, err := auth.Resolve(context.Background(), auth.Options{Registry: kind, Image: reg.Host + "/bob/demo:v1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := push(t, built(t), tg); err != nil {
			t.Fatalf("%q: push with the docker config: %v", kind, err)
		}
	}
}

func TestGuessAndSplit(t *testing.T) {
	for img, want := range map[string]string{
		"demo":                 auth.DockerHub,
		"alice/demo:v1":        auth.DockerHub,
		"docker.io/alice/demo": auth.DockerHub,
		"123456789012.dkr.ecr.us-east-1.amazonaws.com/demo": auth.ECR,
		"europe-west1-docker.pkg.dev/p/r/demo":              auth.GCR,
		"gcr.io/p/demo":                                     auth.GCR,
		"ghcr.io/acme/demo":                                 auth.Other,
		"localhost:5000/demo":                               auth.Other,
	} {
		h, _ := auth.SplitHost(img)
		if got := auth.Guess(h); got != want {
			t.Errorf("%s: %s, want %s", img, got, want)
		}
	}
	if _, err := auth.Resolve(context.Background(), auth.Options{Registry: "quay"}); registry.ExitCode(err) != registry.ExitInput {
		t.Errorf("unknown registry: %v", err)
	}
	if _, err := name.ParseReference("x"); err != nil {
		t.Fatal(err)
	}
}
