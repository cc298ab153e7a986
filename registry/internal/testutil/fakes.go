package testutil

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// FakeAWS serves the parts of the ECR (AWS JSON 1.1) and STS (query) APIs that
// `jac build --registry ecr` calls, checking SigV4 headers carry AccessKey. Point
// the real aws-sdk-go-v2 clients at URL (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_STS).
type FakeAWS struct {
	URL       string
	AccessKey string
	Account   string
	Password  string // the registry password GetAuthorizationToken hands out (user AWS)
	Proxy     string // proxyEndpoint returned (http://127.0.0.1:PORT)
	DenyAll   bool   // answer every call with AccessDeniedException

	mu    sync.Mutex
	Repos map[string]bool
	Calls []string
}

// NewFakeAWS starts the fake; reg is the registry its tokens are for.
func NewFakeAWS(t testing.TB, reg *Registry) *FakeAWS {
	t.Helper()
	f := &FakeAWS{AccessKey: "AKIDJACTEST", Account: "123456789012", Password: reg.Password,
		Proxy: reg.Server.URL, Repos: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Env is the environment that points the AWS default chain at the fake.
func (f *FakeAWS) Env() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":           f.AccessKey,
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  "us-east-1",
		"AWS_ENDPOINT_URL_ECR":        f.URL,
		"AWS_ENDPOINT_URL_STS":        f.URL,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             "/nonexistent/jac-test-aws-config",
		"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/jac-test-aws-credentials",
		"AWS_PROFILE":                 "",
		"AWS_MAX_ATTEMPTS":            "1",
	}
}

func (f *FakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	authz := r.Header.Get("Authorization")
	target := r.Header.Get("X-Amz-Target")
	op := strings.TrimPrefix(target, "AmazonEC2ContainerRegistry_V20150921.")
	if target == "" {
		form, _ := url.ParseQuery(string(body))
		op = "sts:" + form.Get("Action")
	}
	f.mu.Lock()
	f.Calls = append(f.Calls, op)
	f.mu.Unlock()
	if !strings.HasPrefix(authz, "AWS4-HMAC-SHA256 Credential="+f.AccessKey+"/") || f.DenyAll {
		f.fail(w, target != "", 400, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	if target == "" {
		if op != "sts:GetCallerIdentity" {
			f.fail(w, false, 400, "InvalidAction", "unsupported "+op)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/jac-ci</Arn><UserId>AIDAJACTEST</UserId><Account>%s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, f.Account, f.Account)
		return
	}
	var in map[string]any
	json.Unmarshal(body, &in)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch op {
	case "GetAuthorizationToken":
		tok := base64.StdEncoding.EncodeToString([]byte("AWS:" + f.Password))
		json.NewEncoder(w).Encode(map[string]any{"authorizationData": []any{map[string]any{
			"authorizationToken": tok, "expiresAt": float64(time.Now().Add(12 * time.Hour).Unix()), "proxyEndpoint": f.Proxy}}})
	case "DescribeRepositories":
		var names []string
		if l, ok := in["repositoryNames"].([]any); ok {
			for _, n := range l {
				names = append(names, fmt.Sprint(n))
			}
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		var repos []any
		for _, n := range names {
			if !f.Repos[n] {
				f.fail(w, true, 400, "RepositoryNotFoundException", fmt.Sprintf("The repository with name '%s' does not exist in the registry with id '%s'", n, f.Account))
				return
			}
			repos = append(repos, f.repo(n))
		}
		json.NewEncoder(w).Encode(map[string]any{"repositories": repos})
	case "CreateRepository":
		n := fmt.Sprint(in["repositoryName"])
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.Repos[n] {
			f.fail(w, true, 400, "RepositoryAlreadyExistsException", "exists")
			return
		}
		f.Repos[n] = true
		json.NewEncoder(w).Encode(map[string]any{"repository": f.repo(n)})
	default:
		f.fail(w, true, 400, "UnknownOperationException", op)
	}
}

func (f *FakeAWS) repo(n string) map[string]any {
	return map[string]any{"repositoryName": n, "registryId": f.Account,
		"repositoryArn": "arn:aws:ecr:us-east-1:" + f.Account + ":repository/" + n,
		"repositoryUri": f.Account + ".dkr.ecr.us-east-1.amazonaws.com/" + n}
}

func (f *FakeAWS) fail(w http.ResponseWriter, jsonProto bool, status int, code, msg string) {
	if jsonProto {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", code)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"__type": code, "message": msg})
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(403)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>1</RequestId></ErrorResponse>`, code, msg)
}

// CallList returns the API calls so far.
func (f *FakeAWS) CallList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.Calls...)
}

// FakeArtifactRegistry serves GetRepository and CreateRepository of the Artifact
// Registry REST API (v1), requiring "Bearer <Token>".
type FakeArtifactRegistry struct {
	URL   string
	Token string

	mu    sync.Mutex
	Repos map[string]bool // projects/P/locations/L/repositories/R
	Calls []string
}

func NewFakeArtifactRegistry(t testing.TB, token string) *FakeArtifactRegistry {
	t.Helper()
	f := &FakeArtifactRegistry{Token: token, Repos: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *FakeArtifactRegistry) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls = append(f.Calls, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+f.Token {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/v1/")
	switch {
	case r.Method == http.MethodGet && strings.Contains(p, "/repositories/"):
		if !f.Repos[p] {
			w.WriteHeader(404)
			fmt.Fprintf(w, `{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"name": p, "format": 1})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/repositories"):
		id := r.URL.Query().Get("repositoryId")
		var repo map[string]any
		json.NewDecoder(r.Body).Decode(&repo)
		if fmt.Sprint(repo["format"]) != "1" && repo["format"] != "DOCKER" {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error":{"code":400,"message":"format must be DOCKER, got %v","status":"INVALID_ARGUMENT"}}`, repo["format"])
			return
		}
		name := strings.TrimSuffix(p, "/repositories") + "/repositories/" + id
		f.Repos[name] = true
		json.NewEncoder(w).Encode(map[string]any{
			"name": strings.TrimSuffix(p, "/repositories") + "/operations/op-1",
			"done": true,
			"response": map[string]any{
				"@type":  "type.googleapis.com/google.devtools.artifactregistry.v1.Repository",
				"name":   name,
				"format": 1,
			},
		})
	default:
		w.WriteHeader(404)
		fmt.Fprintf(w, `{"error":{"code":404,"message":"no route %s %s","status":"NOT_FOUND"}}`, r.Method, r.URL.Path)
	}
}

// CallList returns the API calls so far.
func (f *FakeArtifactRegistry) CallList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.Calls...)
}
