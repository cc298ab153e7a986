// Package auth resolves where `jac build --push` sends an image and with which
// credentials, with each registry's own flow:
//
//   - dockerhub: DOCKER_USERNAME / DOCKER_PASSWORD (Basic credentials traded for a
//     bearer token by the registry's token service), else the docker config keychain;
//   - ecr: the AWS default credential chain (env, shared config/SSO, IMDS/IRSA),
//     STS GetCallerIdentity for the account, ECR GetAuthorizationToken, and the
//     repository created when missing;
//   - gcr: Google application default credentials as user oauth2accesstoken, and
//     the Artifact Registry repository created when missing;
//   - any other registry: the default keychain (docker config and credential helpers).
package auth

import (
	"context"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"golang.org/x/oauth2"
	"google.golang.org/api/option"

	"github.com/jacscale/jac/registry"
)

// Registry kinds (the --registry flag).
const (
	DockerHub = "dockerhub"
	ECR       = "ecr"
	GCR       = "gcr"
	Other     = "other"
)

// Options says what to resolve. Zero values take the defaults shown.
type Options struct {
	Registry string // dockerhub, ecr, gcr, other; "" guesses from Image's host (default dockerhub for a bare name)
	Image    string // --image: "", "name[:tag]", "ns/name[:tag]" or a full reference
	AppName  string // image name when Image is "" (registry.AppName of the entry file)
	Tag      string // tag when Image has none (default "latest")
	Insecure bool   // allow plain-http registries other than loopback/RFC 1918
	NoCreate bool   // do not create a missing ECR or Artifact Registry repository

	Getenv   func(string) string // default os.Getenv
	Progress func(registry.Event)

	// ECR
	AWSConfig *aws.Config // default config.LoadDefaultConfig (honours AWS_ENDPOINT_URL_ECR/_STS)
	AWSRegion string      // overrides the default chain's region

	// GCR / Artifact Registry
	TokenSource   oauth2.TokenSource    // default google.FindDefaultCredentials (cloud-platform scope)
	GCPProject    string                // default $GOOGLE_CLOUD_PROJECT, $CLOUDSDK_CORE_PROJECT, the credentials' project
	GCPLocation   string                // default $GOOGLE_CLOUD_REGION, $CLOUDSDK_COMPUTE_REGION, us-central1
	GCPRepository string                // default $JAC_GCP_REPOSITORY, "jac"
	ARClientOpts  []option.ClientOption // extra Artifact Registry client options (endpoint for tests)
}

// Target is a resolved destination.
type Target struct {
	Registry string
	Ref      name.Reference
	Auth     authn.Authenticator // nil: use Keychain
	Keychain authn.Keychain
	Identity string // who we push as (for logs): a DockerHub user, an AWS ARN, a Google account
}

func (o *Options) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

func (o *Options) emit(e registry.Event) {
	if o.Progress != nil {
		o.Progress(e)
	}
}

// Resolve picks the registry, completes the image reference and gets credentials.
// It may create the repository (ECR, Artifact Registry) unless NoCreate.
func Resolve(ctx context.Context, o Options) (*Target, error) {
	if o.Tag == "" {
		o.Tag = "latest"
	}
	kind := strings.ToLower(strings.TrimSpace(o.Registry))
	host, _ := SplitHost(o.Image)
	if kind == "" {
		kind = Guess(host)
	}
	var t *Target
	var err error
	switch kind {
	case DockerHub, "docker", "docker.io":
		t, err = dockerHub(o)
	case ECR, "aws":
		t, err = resolveECR(ctx, o)
	case GCR, "gar", "artifactregistry", "gcp":
		t, err = resolveGCR(ctx, o)
	case Other:
		t, err = other(o)
	default:
		return nil, registry.Errorf(registry.KindInput, "registry", "unknown registry %q: want dockerhub, ecr, gcr or other", o.Registry)
	}
	if err != nil {
		return nil, err
	}
	o.emit(registry.Event{Type: "auth", Ref: t.Ref.String(), Status: t.Registry, Message: t.Identity})
	return t, nil
}

// Guess names the registry kind of an image host ("" host = DockerHub).
func Guess(host string) string {
	h := strings.ToLower(host)
	switch {
	case h == "" || h == "docker.io" || h == "index.docker.io" || h == "registry-1.docker.io":
		return DockerHub
	case isECRHost(h):
		return ECR
	case strings.HasSuffix(h, "-docker.pkg.dev") || h == "gcr.io" || strings.HasSuffix(h, ".gcr.io"):
		return GCR
	}
	return Other
}

// SplitHost splits an image reference into its registry host (empty when the
// first component is not a host, as docker decides: it has a '.' or a ':' or is
// "localhost") and the rest.
func SplitHost(image string) (host, rest string) {
	first, after, ok := strings.Cut(image, "/")
	if !ok {
		return "", image
	}
	if strings.ContainsAny(first, ".:") || first == "localhost" {
		return first, after
	}
	return "", image
}

func (o *Options) parse(s string) (name.Reference, error) {
	var opts []name.Option
	if o.Insecure {
		opts = append(opts, name.Insecure)
	}
	r, err := name.ParseReference(s, append(opts, name.WithDefaultTag(o.Tag))...)
	if err != nil {
		return nil, registry.Wrap(registry.KindInput, "image", err)
	}
	return r, nil
}

// withTag appends :tag to s when it names no tag or digest.
func withTag(s, tag string) string {
	last := s[strings.LastIndex(s, "/")+1:]
	if strings.Contains(last, ":") || strings.Contains(s, "@") {
		return s
	}
	return s + ":" + tag
}

func dockerHub(o Options) (*Target, error) {
	user, pass := o.getenv("DOCKER_USERNAME"), o.getenv("DOCKER_PASSWORD")
	img := o.Image
	if img == "" {
		if o.AppName == "" {
			return nil, registry.Errorf(registry.KindInput, "image", "give --image")
		}
		img = o.AppName
	}
	if host, rest := SplitHost(img); host == "" && !strings.Contains(rest, "/") {
		if user == "" {
			return nil, registry.Errorf(registry.KindInput, "image",
				"%q has no DockerHub namespace: give --image USER/%s or set DOCKER_USERNAME", img, img)
		}
		img = user + "/" + img
	}
	ref, err := o.parse(withTag(img, o.Tag))
	if err != nil {
		return nil, err
	}
	t := &Target{Registry: DockerHub, Ref: ref}
	switch {
	case user != "" && pass != "":
		t.Auth = &authn.Basic{Username: user, Password: pass}
		t.Identity = user + " (DOCKER_USERNAME)"
	case user != "" || pass != "":
		return nil, registry.Errorf(registry.KindAuth, "dockerhub", "set both DOCKER_USERNAME and DOCKER_PASSWORD (or neither, to use the docker config)")
	default:
		t.Keychain = authn.DefaultKeychain
		t.Identity = "docker config keychain"
	}
	return t, nil
}

func other(o Options) (*Target, error) {
	if o.Image == "" {
		return nil, registry.Errorf(registry.KindInput, "image", "give --image for registry %q", o.Registry)
	}
	ref, err := o.parse(withTag(o.Image, o.Tag))
	if err != nil {
		return nil, err
	}
	return &Target{Registry: Other, Ref: ref, Keychain: authn.DefaultKeychain, Identity: "default keychain"}, nil
}

func errorf(kind registry.Kind, op, format string, a ...any) error {
	return registry.Errorf(kind, op, format, a...)
}
