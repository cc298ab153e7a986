package testutil

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// AuthMode is how a test registry checks credentials.
type AuthMode int

const (
	NoAuth    AuthMode = iota
	BasicAuth          // every /v2/ request carries Basic user:password (ECR, Artifact Registry)
	TokenAuth          // DockerHub: 401 Bearer challenge, /token trades Basic user:password for a bearer token
)

// Registry is an in-process OCI registry on a loopback httptest server that
// records which blobs and manifests were uploaded.
type Registry struct {
	Server   *httptest.Server
	Host     string // 127.0.0.1:PORT
	Mode     AuthMode
	User     string
	Password string

	mu        sync.Mutex
	blobPuts  []string // digests of completed blob uploads, in order
	manifests []string // repo:reference of manifest PUTs
	tokens    map[string]bool
	Requests  int
}

// NewRegistry starts a registry; user/password matter for BasicAuth and TokenAuth.
func NewRegistry(t testing.TB, mode AuthMode, user, password string) *Registry {
	t.Helper()
	r := &Registry{Mode: mode, User: user, Password: password, tokens: map[string]bool{}}
	inner := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	mux := http.NewServeMux()
	mux.HandleFunc("/token", r.token)
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.Requests++
		r.mu.Unlock()
		if !r.authorized(w, req) {
			return
		}
		rec := &statusRecorder{ResponseWriter: w}
		inner.ServeHTTP(rec, req)
		r.record(req, rec.status)
	})
	r.Server = httptest.NewServer(mux)
	r.Host = strings.TrimPrefix(r.Server.URL, "http://")
	t.Cleanup(r.Server.Close)
	return r
}

func (r *Registry) checkBasic(req *http.Request) bool {
	u, p, ok := req.BasicAuth()
	return ok && u == r.User && p == r.Password
}

func (r *Registry) authorized(w http.ResponseWriter, req *http.Request) bool {
	switch r.Mode {
	case BasicAuth:
		if r.checkBasic(req) {
			return true
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="test-registry"`)
	case TokenAuth:
		if tok, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer "); ok {
			r.mu.Lock()
			valid := r.tokens[tok]
			r.mu.Unlock()
			if valid {
				return true
			}
		}
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="%s/token",service="registry.test"`, r.Server.URL))
	default:
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
	return false
}

// token is DockerHub's auth.docker.io/token: Basic credentials in, bearer token out.
func (r *Registry) token(w http.ResponseWriter, req *http.Request) {
	if r.Mode != TokenAuth {
		http.NotFound(w, req)
		return
	}
	if !r.checkBasic(req) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"details":"incorrect username or password"}`)
		return
	}
	r.mu.Lock()
	tok := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "tok-%d-%s", len(r.tokens), req.URL.Query().Get("scope")))
	r.tokens[tok] = true
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"token": tok, "access_token": tok, "expires_in": 300})
}

func (r *Registry) record(req *http.Request, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := req.URL.Path
	switch {
	case req.Method == http.MethodPut && strings.Contains(p, "/blobs/uploads/") && status == http.StatusCreated:
		r.blobPuts = append(r.blobPuts, req.URL.Query().Get("digest"))
	case req.Method == http.MethodPost && strings.Contains(p, "/blobs/uploads") && req.URL.Query().Get("digest") != "" && status == http.StatusCreated:
		r.blobPuts = append(r.blobPuts, req.URL.Query().Get("digest")) // monolithic upload
	case req.Method == http.MethodPut && strings.Contains(p, "/manifests/") && status == http.StatusCreated:
		r.manifests = append(r.manifests, p)
	}
}

// BlobPuts returns the digests uploaded so far and forgets them.
func (r *Registry) BlobPuts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.blobPuts
	r.blobPuts = nil
	return out
}

// Manifests returns the manifest PUT paths so far and forgets them.
func (r *Registry) Manifests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.manifests
	r.manifests = nil
	return out
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
