package gcp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

const caPEM = "-----BEGIN CERTIFICATE-----\nMIIBgke\n-----END CERTIFICATE-----\n"

// fakeGoogle is an OAuth token endpoint (the service account JWT flow, with the
// assertion's signature checked) and the GKE API's GetCluster.
func fakeGoogle(t *testing.T, key *rsa.PrivateKey) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/token":
			r.ParseForm()
			_, err := jwt.Parse(r.Form.Get("assertion"), func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
				jwt.WithValidMethods([]string{"RS256"}))
			if r.Form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || err != nil {
				w.WriteHeader(400)
				fmt.Fprintf(w, `{"error":"invalid_grant","error_description":"%v"}`, err)
				return
			}
			fmt.Fprint(w, `{"access_token":"ya29.fake","token_type":"Bearer","expires_in":3600}`)
		case strings.HasPrefix(r.URL.Path, "/v1/projects/"):
			if r.Header.Get("Authorization") != "Bearer ya29.fake" {
				w.WriteHeader(401)
				fmt.Fprint(w, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`)
				return
			}
			if r.URL.Path != "/v1/projects/p1/locations/europe-west1/clusters/c1" {
				w.WriteHeader(404)
				fmt.Fprintf(w, `{"error":{"code":404,"message":"Not found: %s.","status":"NOT_FOUND"}}`, r.URL.Path)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"name": "c1", "status": "RUNNING", "endpoint": "34.1.2.3",
				"masterAuth": map[string]any{"clusterCaCertificate": base64.StdEncoding.EncodeToString([]byte(caPEM))}})
		default:
			w.WriteHeader(400)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// adc writes a service account key file whose token_uri is the fake's and points
// GOOGLE_APPLICATION_CREDENTIALS at it.
func adc(t *testing.T, srv *httptest.Server, key *rsa.PrivateKey) {
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	sa := map[string]string{
		"type": "service_account", "project_id": "p1", "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "deployer@p1.iam.gserviceaccount.com", "client_id": "1",
		"token_uri": srv.URL + "/token",
	}
	b, _ := json.Marshal(sa)
	p := filepath.Join(t.TempDir(), "sa.json")
	os.WriteFile(p, b, 0o600)
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", p)
	for _, k := range []string{"GOOGLE_CLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT", "GOOGLE_CLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"} {
		t.Setenv(k, "")
	}
	t.Setenv(EnvEndpoint, srv.URL)
}

func TestResolveThroughADC(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv := fakeGoogle(t, key)
	adc(t, srv, key)
	// The project comes from the credentials.
	c, err := Resolve(context.Background(), "c1", Options{Location: "europe-west1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint != "https://34.1.2.3" || string(c.CA) != caPEM || c.Token != "ya29.fake" ||
		c.Name != "projects/p1/locations/europe-west1/clusters/c1" {
		t.Fatalf("%+v", c)
	}
	_, err = Resolve(context.Background(), "nope", Options{Location: "europe-west1"})
	if !errors.Is(err, settings.ErrConfig) {
		t.Fatalf("missing cluster: %v", err)
	}
	// A key the token endpoint does not accept: an auth failure.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	adc(t, srv, other)
	_, err = Resolve(context.Background(), "c1", Options{Location: "europe-west1"})
	if !errors.Is(err, kubernetes.ErrAuth) {
		t.Fatalf("bad key: %v", err)
	}
	// No credentials at all.
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "none.json"))
	if _, err = Resolve(context.Background(), "c1", Options{Location: "europe-west1"}); !errors.Is(err, kubernetes.ErrAuth) {
		t.Fatalf("no credentials: %v", err)
	}
}

func TestProvider(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv := fakeGoogle(t, key)
	adc(t, srv, key)
	s := settings.Defaults()
	s.Target, s.Cluster, s.Region = "gcp", "c1", "europe-west1"
	in, err := infra.ProviderInputs(s, Provider)
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig := in["kubeconfig"].SecretValue().Element.StringValue()
	for _, want := range []string{"server: https://34.1.2.3", "token: ya29.fake", "current-context: gke-c1"} {
		if !strings.Contains(kubeconfig, want) {
			t.Errorf("kubeconfig lacks %q:\n%s", want, kubeconfig)
		}
	}
}
