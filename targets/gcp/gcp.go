// Package gcp is the GKE target: a cluster by name, found through Google
// application default credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC
// file, or the metadata server), its endpoint and CA from the GKE API
// (cloud.google.com/go/container), and the credentials' access token as the
// bearer token (what gke-gcloud-auth-plugin hands kubectl). Artifact Registry is
// the default registry for --build with this target.
package gcp

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	container "cloud.google.com/go/container/apiv1"
	"cloud.google.com/go/container/apiv1/containerpb"
	"github.com/googleapis/gax-go/v2/apierror"
	k8s "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

// Scope is the OAuth scope asked of the credentials.
const Scope = "https://www.googleapis.com/auth/cloud-platform"

// EnvEndpoint overrides the GKE API endpoint (tests, private endpoints).
const EnvEndpoint = "JAC_GKE_ENDPOINT"

// Cluster is what the provider needs to reach a GKE cluster.
type Cluster struct {
	Name     string // projects/P/locations/L/clusters/C
	Endpoint string // https://IP
	CA       []byte // PEM
	Token    string
	Expires  time.Time
}

// Options configure Resolve.
type Options struct {
	TokenSource   oauth2.TokenSource // default: application default credentials
	Project       string             // default GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, the credentials' project
	Location      string             // default GOOGLE_CLOUD_REGION, CLOUDSDK_COMPUTE_REGION, us-central1
	ClientOptions []option.ClientOption
	Getenv        func(string) string
}

func (o Options) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// Resolve finds the cluster and a token for it.
func Resolve(ctx context.Context, name string, o Options) (*Cluster, error) {
	ts := o.TokenSource
	credProject := ""
	if ts == nil {
		creds, err := google.FindDefaultCredentials(ctx, Scope)
		if err != nil {
			return nil, fmt.Errorf("%w: google application default credentials: %w", kubernetes.ErrAuth, err)
		}
		ts, credProject = creds.TokenSource, creds.ProjectID
	}
	project := first(o.Project, o.getenv("GOOGLE_CLOUD_PROJECT"), o.getenv("CLOUDSDK_CORE_PROJECT"), credProject)
	if project == "" {
		return nil, fmt.Errorf("%w: no Google Cloud project: set JAC_GCP_PROJECT or GOOGLE_CLOUD_PROJECT", settings.ErrConfig)
	}
	location := first(o.Location, o.getenv("GOOGLE_CLOUD_REGION"), o.getenv("CLOUDSDK_COMPUTE_REGION"), "us-central1")

	tok, err := ts.Token()
	if err != nil {
		return nil, fmt.Errorf("%w: google token: %w", kubernetes.ErrAuth, err)
	}
	copts := []option.ClientOption{option.WithTokenSource(oauth2.StaticTokenSource(tok))}
	if ep := o.getenv(EnvEndpoint); ep != "" {
		copts = append(copts, option.WithEndpoint(ep))
	}
	copts = append(copts, o.ClientOptions...)
	client, err := container.NewClusterManagerRESTClient(ctx, copts...)
	if err != nil {
		return nil, fmt.Errorf("gke client: %w", err)
	}
	defer client.Close()
	full := fmt.Sprintf("projects/%s/locations/%s/clusters/%s", project, location, name)
	c, err := client.GetCluster(ctx, &containerpb.GetClusterRequest{Name: full})
	if err != nil {
		return nil, classify("gke GetCluster "+full, err)
	}
	if c.GetEndpoint() == "" || c.GetMasterAuth().GetClusterCaCertificate() == "" {
		return nil, fmt.Errorf("gke cluster %s has no endpoint or CA yet (status %s)", full, c.GetStatus())
	}
	ca, err := base64.StdEncoding.DecodeString(c.GetMasterAuth().GetClusterCaCertificate())
	if err != nil {
		return nil, fmt.Errorf("gke cluster %s: CA: %w", full, err)
	}
	return &Cluster{Name: full, Endpoint: "https://" + c.GetEndpoint(), CA: ca, Token: tok.AccessToken, Expires: tok.Expiry}, nil
}

func classify(op string, err error) error {
	var ae *apierror.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.HTTPCode() == http.StatusUnauthorized || ae.HTTPCode() == http.StatusForbidden ||
			ae.GRPCStatus().Code() == codes.Unauthenticated || ae.GRPCStatus().Code() == codes.PermissionDenied:
			return fmt.Errorf("%w: %s: %w", kubernetes.ErrAuth, op, err)
		case ae.HTTPCode() == http.StatusNotFound || ae.GRPCStatus().Code() == codes.NotFound:
			return fmt.Errorf("%w: %s: %w", settings.ErrConfig, op, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Provider is the gcp target's provider: the GKE cluster JAC_CLUSTER.
func Provider(ctx *pulumi.Context, s settings.Settings) (*k8s.Provider, error) {
	c, err := Resolve(ctx.Context(), s.Cluster, Options{Project: s.Project, Location: s.Region})
	if err != nil {
		return nil, err
	}
	name := "gke-" + s.Cluster
	return kubernetes.NewProvider(ctx, "gcp", kubernetes.TokenKubeconfig(name, c.Endpoint, c.CA, c.Token), name)
}
