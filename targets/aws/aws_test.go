package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/jacscale/jac/infra"
	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

const caPEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"

// fakeAWS answers EKS DescribeCluster (REST-JSON) and STS GetCallerIdentity (the
// call the EKS authenticator makes with the token's presigned URL).
type fakeAWS struct {
	srv       *httptest.Server
	mu        sync.Mutex
	described []string
}

func newFakeAWS(t *testing.T) *fakeAWS {
	f := &fakeAWS{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch {
		case strings.HasPrefix(r.URL.Path, "/clusters/"):
			name := strings.TrimPrefix(r.URL.Path, "/clusters/")
			f.mu.Lock()
			f.described = append(f.described, name)
			f.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			if !strings.Contains(auth, "Credential=AKIDTEST/") || !strings.Contains(auth, "/eks/aws4_request") {
				w.Header().Set("X-Amzn-Errortype", "UnrecognizedClientException")
				w.WriteHeader(403)
				fmt.Fprint(w, `{"message":"The security token included in the request is invalid."}`)
				return
			}
			if name != "c1" {
				w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
				w.WriteHeader(404)
				fmt.Fprintf(w, `{"message":"No cluster found for name: %s."}`, name)
				return
			}
			fmt.Fprintf(w, `{"cluster":{"name":"c1","status":"ACTIVE","endpoint":"https://ABCD.gr7.eu-west-1.eks.amazonaws.com","certificateAuthority":{"data":%q}}}`,
				base64.StdEncoding.EncodeToString([]byte(caPEM)))
		case r.URL.Query().Get("Action") == "GetCallerIdentity":
			// As the EKS authenticator checks a token: a presigned GET, signed
			// with the cluster header, which the caller sends.
			q := r.URL.Query()
			signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
			ok := r.Method == "GET" && q.Get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256" &&
				strings.HasPrefix(q.Get("X-Amz-Credential"), "AKIDTEST/") && strings.Contains(q.Get("X-Amz-Credential"), "/sts/aws4_request") &&
				q.Get("X-Amz-Signature") != "" && q.Get("X-Amz-Expires") == "60" &&
				contains(signed, "host") && contains(signed, "x-k8s-aws-id") && r.Header.Get("x-k8s-aws-id") == "c1"
			if !ok {
				w.WriteHeader(403)
				fmt.Fprintf(w, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>bad presigned request %s</Message></Error></ErrorResponse>", r.URL.RawQuery)
				return
			}
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
		default:
			w.WriteHeader(400)
			fmt.Fprintf(w, "unexpected %s %s", r.Method, r.URL)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (f *fakeAWS) options(key string) Options {
	cfg := awssdk.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider(key, "secret", "")}
	return Options{
		Config:     &cfg,
		EKSOptions: []func(*eks.Options){func(o *eks.Options) { o.BaseEndpoint = awssdk.String(f.srv.URL) }},
		STSOptions: []func(*sts.Options){func(o *sts.Options) { o.BaseEndpoint = awssdk.String(f.srv.URL) }},
	}
}

// TestResolveAndToken: DescribeCluster through the real SDK client, and a token an
// authenticator accepts (the fake STS checks the presigned request).
func TestResolveAndToken(t *testing.T) {
	f := newFakeAWS(t)
	c, err := Resolve(context.Background(), "c1", f.options("AKIDTEST"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint != "https://ABCD.gr7.eu-west-1.eks.amazonaws.com" || string(c.CA) != caPEM {
		t.Fatalf("cluster: %+v", c)
	}
	if !strings.HasPrefix(c.Token, TokenPrefix) {
		t.Fatalf("token %q", c.Token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(c.Token, TokenPrefix))
	if err != nil {
		t.Fatalf("token is not base64url: %v", err)
	}
	u, err := url.Parse(string(raw))
	if err != nil || !strings.HasPrefix(string(raw), f.srv.URL) {
		t.Fatalf("token URL %q: %v", raw, err)
	}
	// Play the EKS authenticator: GET the URL with the cluster header.
	req, _ := http.NewRequest("GET", u.String(), nil)
	req.Header.Set("x-k8s-aws-id", "c1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("STS refused the token's request: %d", resp.StatusCode)
	}
}

func TestErrorsClassified(t *testing.T) {
	f := newFakeAWS(t)
	_, err := Resolve(context.Background(), "nope", f.options("AKIDTEST"))
	if !errors.Is(err, settings.ErrConfig) || !strings.Contains(err.Error(), "No cluster found") {
		t.Fatalf("missing cluster: %v", err)
	}
	_, err = Resolve(context.Background(), "c1", f.options("AKIDBAD"))
	if !errors.Is(err, kubernetes.ErrAuth) {
		t.Fatalf("bad credentials: %v", err)
	}
}

// TestProvider: the target's provider through the default credential chain
// (environment credentials, AWS_ENDPOINT_URL_EKS / _STS), under Pulumi's mocks.
func TestProvider(t *testing.T) {
	f := newFakeAWS(t)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_ENDPOINT_URL_EKS": f.srv.URL, "AWS_ENDPOINT_URL_STS": f.srv.URL, "AWS_REGION": "",
		"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PROFILE": "",
		"AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	s := settings.Defaults()
	s.Target, s.Cluster, s.Region = "aws", "c1", "eu-west-1"
	in, err := infra.ProviderInputs(s, Provider)
	if err != nil {
		t.Fatal(err)
	}
	kc := in["kubeconfig"]
	if !kc.IsSecret() {
		t.Fatal("kubeconfig is not a secret")
	}
	kubeconfig := kc.SecretValue().Element.StringValue()
	for _, want := range []string{"server: https://ABCD.gr7.eu-west-1.eks.amazonaws.com", "token: " + TokenPrefix, "current-context: eks-c1",
		"certificate-authority-data: " + base64.StdEncoding.EncodeToString([]byte(caPEM))} {
		if !strings.Contains(kubeconfig, want) {
			t.Errorf("kubeconfig lacks %q:\n%s", want, kubeconfig)
		}
	}
}
