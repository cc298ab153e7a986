package auth

import (
	"context"
	"strings"

	artifactregistry "cloud.google.com/go/artifactregistry/apiv1"
	"cloud.google.com/go/artifactregistry/apiv1/artifactregistrypb"
	"github.com/google/go-containerregistry/pkg/authn"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/option"

	"github.com/jacscale/jac/registry"
)

// CloudPlatformScope is the OAuth scope jac asks application default credentials for.
const CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

// EnvAREndpoint overrides the Artifact Registry API endpoint (tests, private service
// connect). With it set, the repository is ensured whatever the image host.
const EnvAREndpoint = "JAC_ARTIFACTREGISTRY_ENDPOINT"

// oauthAuth authenticates to a Google registry as oauth2accesstoken with a token
// that is refreshed when it expires (a long push outlives a one-hour token).
type oauthAuth struct{ ts oauth2.TokenSource }

func (a oauthAuth) Authorization() (*authn.AuthConfig, error) {
	t, err := a.ts.Token()
	if err != nil {
		return nil, registry.Wrap(registry.KindAuth, "google token", err)
	}
	return &authn.AuthConfig{Username: "oauth2accesstoken", Password: t.AccessToken}, nil
}

// resolveGCR: application default credentials → Artifact Registry repository
// (created when missing) → oauth2accesstoken.
func resolveGCR(ctx context.Context, o Options) (*Target, error) {
	ts := o.TokenSource
	credProject := ""
	identity := "google token source"
	if ts == nil {
		creds, err := google.FindDefaultCredentials(ctx, CloudPlatformScope)
		if err != nil {
			return nil, registry.Wrap(registry.KindAuth, "google application default credentials", err)
		}
		ts, credProject, identity = creds.TokenSource, creds.ProjectID, "application default credentials"
	}
	ts = oauth2.ReuseTokenSource(nil, ts)
	if _, err := ts.Token(); err != nil {
		return nil, registry.Wrap(classifyGoogle(err, registry.KindAuth), "google token", err)
	}

	project := firstNonEmpty(o.GCPProject, o.getenv("GOOGLE_CLOUD_PROJECT"), o.getenv("CLOUDSDK_CORE_PROJECT"), credProject)
	location := firstNonEmpty(o.GCPLocation, o.getenv("GOOGLE_CLOUD_REGION"), o.getenv("CLOUDSDK_COMPUTE_REGION"), "us-central1")
	repository := firstNonEmpty(o.GCPRepository, o.getenv("JAC_GCP_REPOSITORY"), "jac")

	host, rest := SplitHost(o.Image)
	var image string
	ensure := false
	switch {
	case host == "":
		if project == "" {
			return nil, errorf(registry.KindInput, "gcr", "no Google Cloud project: set GOOGLE_CLOUD_PROJECT or give a full --image REGION-docker.pkg.dev/PROJECT/REPOSITORY/NAME")
		}
		name := o.Image
		if name == "" {
			name = o.AppName
		}
		image = location + "-docker.pkg.dev/" + project + "/" + repository + "/" + name
		ensure = true
	case strings.HasSuffix(strings.ToLower(host), "-docker.pkg.dev"):
		parts := strings.Split(stripTag(rest), "/")
		if len(parts) < 3 {
			return nil, errorf(registry.KindInput, "image", "%s: want REGION-docker.pkg.dev/PROJECT/REPOSITORY/NAME", o.Image)
		}
		location = strings.TrimSuffix(strings.ToLower(host), "-docker.pkg.dev")
		project, repository = parts[0], parts[1]
		image = o.Image
		ensure = true
	default: // gcr.io hosts (gcr.io repositories in Artifact Registry) and custom hosts
		image = o.Image
		ensure = o.getenv(EnvAREndpoint) != "" && project != ""
	}
	if ensure && !o.NoCreate {
		if err := ensureARRepository(ctx, o, ts, project, location, repository); err != nil {
			return nil, err
		}
	}
	ref, err := o.parse(withTag(image, o.Tag))
	if err != nil {
		return nil, err
	}
	return &Target{Registry: GCR, Ref: ref, Auth: oauthAuth{ts}, Identity: identity}, nil
}

func ensureARRepository(ctx context.Context, o Options, ts oauth2.TokenSource, project, location, repository string) error {
	copts := []option.ClientOption{option.WithTokenSource(ts)}
	if ep := o.getenv(EnvAREndpoint); ep != "" {
		copts = append(copts, option.WithEndpoint(ep))
	}
	copts = append(copts, o.ARClientOpts...)
	client, err := artifactregistry.NewRESTClient(ctx, copts...)
	if err != nil {
		return registry.Wrap(classifyGoogle(err, registry.KindOther), "artifact registry client", err)
	}
	defer client.Close()
	parent := "projects/" + project + "/locations/" + location
	full := parent + "/repositories/" + repository
	_, err = client.GetRepository(ctx, &artifactregistrypb.GetRepositoryRequest{Name: full})
	if err == nil {
		o.emit(registry.Event{Type: "repository", Status: "exists", Ref: full})
		return nil
	}
	if classifyGoogle(err, registry.KindOther) != registry.KindNotFound {
		return registry.Wrap(classifyGoogle(err, registry.KindOther), "artifact registry GetRepository "+full, err)
	}
	op, err := client.CreateRepository(ctx, &artifactregistrypb.CreateRepositoryRequest{
		Parent:       parent,
		RepositoryId: repository,
		Repository: &artifactregistrypb.Repository{
			Format:      artifactregistrypb.Repository_DOCKER,
			Description: "Jac app images (created by jac build)",
			Labels:      map[string]string{"created-by": "jac-build"},
		},
	})
	if err != nil {
		return registry.Wrap(classifyGoogle(err, registry.KindOther), "artifact registry CreateRepository "+full, err)
	}
	if !op.Done() {
		if _, err := op.Wait(ctx); err != nil {
			return registry.Wrap(classifyGoogle(err, registry.KindOther), "artifact registry CreateRepository "+full, err)
		}
	}
	o.emit(registry.Event{Type: "repository", Status: "created", Ref: full})
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
