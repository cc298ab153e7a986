package server_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jacscale/jac/internal/loopback"
)

var jacBin string

func TestMain(m *testing.M) {
	if body := os.Getenv("JAC_BENCH_BARE_BODY"); body != "" {
		serveBare(body) // BenchmarkServe's bare net/http process
		return
	}
	dir, _ := os.MkdirTemp("", "jacsrv")
	jacBin = filepath.Join(dir, "jac")
	args := []string{"build", "-o", jacBin}
	if os.Getenv("JAC_TEST_RACE") != "" {
		args = append(args, "-race") // the servers under test run with the race detector
	}
	out, err := exec.Command("go", append(args, "../../cmd/jac")...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// lockedBuffer collects a child process's output; os/exec writes it from its
// own goroutine while a test may read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is a real `jac start` process on a free port.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	dir  string
	port int
	log  *lockedBuffer
	env  []string
	args []string
}

func startApp(t *testing.T, src string, env ...string) *server {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.jac"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, dir: dir, env: env}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	s.t.Helper()
	s.port = loopback.FreePort(s.t)
	s.startOnPort()
}

func writeApp(t *testing.T, dir, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "app.jac"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func itoaT(n int) string { return fmt.Sprint(n) }

// startOnPort starts the server on s.port.
func (s *server) startOnPort() {
	s.t.Helper()
	s.url = fmt.Sprintf("http://127.0.0.1:%d", s.port)
	s.log = &lockedBuffer{}
	s.cmd = exec.Command(jacBin, append([]string{"start", "app.jac", "--host", "127.0.0.1", "--port", fmt.Sprint(s.port)}, s.args...)...)
	s.cmd.Dir = s.dir
	// the tests' many requests from one address would meet the default
	// rate limits; ratelimit_test.go turns them on again
	s.cmd.Env = append(append(os.Environ(), "JAC_RATE_LIMIT_ENABLED=false"), s.env...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.url + "/healthz"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("server did not start:\n%s", s.log)
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
		s.cmd = nil
	}
	if s.log != nil && strings.Contains(s.log.String(), "WARNING: DATA RACE") {
		s.t.Errorf("the server reported a data race (JAC_TEST_RACE):\n%s", s.log)
	}
}

func (s *server) kill9() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
	s.cmd = nil
}

type resp struct {
	status int
	body   map[string]any
	raw    string
}

func (s *server) do(method, path, token string, body any) resp {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, s.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(r.Body)
	out := resp{status: r.StatusCode, raw: string(data)}
	json.Unmarshal(data, &out.body)
	return out
}

func (s *server) register(name string) (token, root string) {
	s.t.Helper()
	r := s.do("POST", "/user/register", "", map[string]string{"username": name, "password": "pw-" + name})
	if r.status != 201 {
		s.t.Fatalf("register %s: %d %s", name, r.status, r.raw)
	}
	d := r.body["data"].(map[string]any)
	return d["token"].(string), d["root_id"].(string)
}

// TestConformanceServe runs the shared HTTP scenarios for the features this
// server has (webhooks, storage, uploads, WebSockets and the graph viewer are
// checked by their own issues' tests).
func TestConformanceServe(t *testing.T) {
	dir, _ := filepath.Abs("../../../shared/conformance/serve")
	if _, err := os.Stat(filepath.Join(dir, "run_all.sh")); err != nil {
		t.Skip("shared/conformance/serve not beside the repository")
	}
	apps := []string{"access_levels", "auth_users", "coerce_fields", "errors_http", "graph_walks", "sse_stream", "traverse_graph", "walkers_basic", "restspec_routes", "account_changes", "webhooks_apikeys", "storage_files", "upload_multipart", "ws_channels"}
	args := append([]string{filepath.Join(dir, "run_all.sh"), jacBin, dir}, apps...)
	out, err := exec.Command("bash", args...).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("conformance apps failed")
	}
}

const counterApp = `
node Counter { has n: int = 0; }
walker :pub setup { can go with Root entry { report (here ++> Counter())[0]; } }
walker :pub bump { can go with Counter entry { here.n += 1; report here.n; } }
walker :pub read { can go with Counter entry { report here.n; } }
walker :pub add_item { has k: int; can go with Root entry { here ++> Counter(n=self.k); report self.k; } }
walker :pub items { can go with Root entry { report [c.n for c in [-->](?:Counter)]; } }
`

// TestConcurrentIncrements: two clients increment one node 100 times each; no
// update is lost (versions conflict, requests re-run).
func TestConcurrentIncrements(t *testing.T) {
	s := startApp(t, counterApp)
	r := s.do("POST", "/walker/setup", "", map[string]any{})
	id := r.body["data"].(map[string]any)["reports"].([]any)[0].(map[string]any)["_jac_id"].(string)
	var wg sync.WaitGroup
	for c := 0; c < 2; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if r := s.do("POST", "/walker/bump/"+id, "", map[string]any{}); r.status != 200 {
					t.Errorf("bump: %d %s", r.status, r.raw)
					return
				}
			}
		}()
	}
	wg.Wait()
	r = s.do("POST", "/walker/read/"+id, "", map[string]any{})
	got := r.body["data"].(map[string]any)["reports"].([]any)[0].(float64)
	if got != 200 {
		t.Fatalf("counter = %v, want 200", got)
	}
}

// TestKill9 writes concurrently, kills the server with SIGKILL, restarts it, and
// checks that every acknowledged write is there.
func TestKill9(t *testing.T) {
	s := startApp(t, counterApp)
	var mu sync.Mutex
	acked := map[int]bool{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := c*100000 + i
				data, _ := json.Marshal(map[string]int{"k": k})
				r, err := http.Post(s.url+"/walker/add_item", "application/json", bytes.NewReader(data))
				if err != nil {
					return
				}
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode == 200 {
					mu.Lock()
					acked[k] = true
					mu.Unlock()
				}
			}
		}(c)
	}
	time.Sleep(700 * time.Millisecond)
	s.kill9()
	close(stop)
	wg.Wait()
	s.start()
	r := s.do("POST", "/walker/items", "", map[string]any{})
	have := map[int]bool{}
	for _, v := range r.body["data"].(map[string]any)["reports"].([]any)[0].([]any) {
		have[int(v.(float64))] = true
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged")
	}
	for k := range acked {
		if !have[k] {
			t.Fatalf("acknowledged write %d lost after kill -9 (%d acked, %d present)", k, len(acked), len(have))
		}
	}
	t.Logf("%d acknowledged writes, all present after restart", len(acked))
}

const notesApp = `
node Note { has text: str; }
walker add_note { has text: str; can go with Root entry { report (here ++> Note(text=self.text))[0]; } }
walker read_note { can go with Note entry { report here.text; } }
walker :pub whoami { can go with Root entry { report jid(here); } }
`

// TestTokenSecurity: forged, expired, alg:none and revoked tokens are refused;
// one user cannot reach another user's nodes.
func TestTokenSecurity(t *testing.T) {
	s := startApp(t, notesApp, "JWT_SECRET=test-secret")
	tok, _ := s.register("alice")
	if r := s.do("POST", "/walker/add_note", tok, map[string]any{"text": "hi"}); r.status != 200 {
		t.Fatalf("add_note: %d %s", r.status, r.raw)
	}
	sign := func(secret string, m jwt.SigningMethod, claims jwt.MapClaims) string {
		tk := jwt.NewWithClaims(m, claims)
		if m == jwt.SigningMethodNone {
			str, _ := tk.SignedString(jwt.UnsafeAllowNoneSignatureType)
			return str
		}
		str, _ := tk.SignedString([]byte(secret))
		return str
	}
	future := time.Now().Add(time.Hour).Unix()
	cases := map[string]string{
		"forged":   sign("wrong-secret", jwt.SigningMethodHS256, jwt.MapClaims{"username": "alice", "exp": future, "iat": time.Now().Unix()}),
		"expired":  sign("test-secret", jwt.SigningMethodHS256, jwt.MapClaims{"username": "alice", "exp": time.Now().Add(-time.Hour).Unix(), "iat": time.Now().Unix()}),
		"alg none": sign("", jwt.SigningMethodNone, jwt.MapClaims{"username": "alice", "exp": future}),
		"HS384":    sign("test-secret", jwt.SigningMethodHS384, jwt.MapClaims{"username": "alice", "exp": future}),
		"garbage":  "not.a.jwt",
		"unknown":  sign("test-secret", jwt.SigningMethodHS256, jwt.MapClaims{"username": "nobody", "exp": future, "iat": time.Now().Unix()}),
	}
	for name, bad := range cases {
		if r := s.do("POST", "/walker/add_note", bad, map[string]any{"text": "x"}); r.status != 401 {
			t.Errorf("%s token: status %d, want 401", name, r.status)
		}
	}
	// a token someone else signs with the secret and just username/exp/iat is valid
	ok := sign("test-secret", jwt.SigningMethodHS256, jwt.MapClaims{"username": "alice", "exp": future, "iat": time.Now().Unix()})
	if r := s.do("POST", "/walker/add_note", ok, map[string]any{"text": "y"}); r.status != 200 {
		t.Errorf("externally signed token: %d %s", r.status, r.raw)
	}
	// revoked
	tok2 := s.do("POST", "/user/login", "", map[string]string{"username": "alice", "password": "pw-alice"}).body["data"].(map[string]any)["token"].(string)
	if r := s.do("POST", "/user/logout", tok2, nil); r.status != 200 {
		t.Fatalf("logout: %d %s", r.status, r.raw)
	}
	if r := s.do("POST", "/walker/add_note", tok2, map[string]any{"text": "z"}); r.status != 401 {
		t.Errorf("revoked token: status %d, want 401", r.status)
	}
	// isolation
	note := s.do("POST", "/walker/add_note", tok, map[string]any{"text": "secret"}).body["data"].(map[string]any)["reports"].([]any)[0].(map[string]any)["_jac_id"].(string)
	bob, _ := s.register("bob")
	if r := s.do("POST", "/walker/read_note/"+note, bob, map[string]any{}); r.status != 404 {
		t.Errorf("bob reading alice's note: %d %s, want 404", r.status, r.raw)
	}
	if r := s.do("POST", "/walker/read_note/"+note, tok, map[string]any{}); r.status != 200 {
		t.Errorf("alice reading her note: %d %s", r.status, r.raw)
	}
}

// TestDocsServeOffline: /docs and its assets come from the binary.
func TestDocsServeOffline(t *testing.T) {
	s := startApp(t, counterApp)
	for _, p := range []string{"/docs", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/redoc", "/openapi.json", "/metrics"} {
		r, err := http.Get(s.url + p)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, r.StatusCode)
		}
	}
	spec := s.do("GET", "/openapi.json", "", nil).body
	paths := spec["paths"].(map[string]any)
	for _, p := range []string{"/walker/setup", "/walker/bump/{node_id}", "/user/login"} {
		if paths[p] == nil {
			t.Errorf("openapi.json lacks %s", p)
		}
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// TestOpenAPIGolden compares /openapi.json for a fixed app with testdata.
func TestOpenAPIGolden(t *testing.T) {
	app := `
enum Color { RED = "r", GREEN = "g" }
obj Address { has city: str; has zip: str = ""; }
walker :pub create_user { has name: str; has age: int = 0; has tags: list[str] = []; has color: Color = Color.RED; has address: Address | None = None; }
walker secure_op { has note: str; }
def :pub add(a: int, b: float = 1.5) -> float { return a + b; }
`
	s := startApp(t, app)
	r := s.do("GET", "/openapi.json", "", nil)
	var v any
	json.Unmarshal([]byte(r.raw), &v)
	got, _ := json.MarshalIndent(v, "", "  ")
	golden := filepath.Join("testdata", "openapi.golden.json")
	if *update {
		os.WriteFile(golden, append(got, '\n'), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run OpenAPIGolden -update)", err)
	}
	if string(append(got, '\n')) != string(want) {
		t.Errorf("openapi.json differs from %s (run with -update to accept):\n%s", golden, got)
	}
}

// TestWebhookSignatures follows the reference's curl example byte for byte
// (openssl dgst -sha256 -hmac) and checks the 401 cases.
func TestWebhookSignatures(t *testing.T) {
	s := startApp(t, `
@restspec(webhook=True)
walker payment { has payment_id: str; has amount: float; can go with Root entry { report self.payment_id; } }
`)
	tok, _ := s.register("m")
	r := s.do("POST", "/api-key/create", tok, map[string]any{"name": "ci", "expiry_days": 0})
	key := r.body["data"].(map[string]any)["api_key"].(string)
	payload := `{"payment_id":"PAY-12345","amount":99.99,"currency":"USD"}`
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skipf("openssl: %v", err)
	}
	send := func(key, sig string, body string) int {
		req, _ := http.NewRequest("POST", s.url+"/webhook/payment", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		if sig != "" {
			req.Header.Set("X-Webhook-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cmd := exec.Command("bash", "-c", `echo -n "$P" | openssl dgst -sha256 -hmac "$K" | cut -d' ' -f2`)
	cmd.Env = append(os.Environ(), "P="+payload, "K="+key)
	out, _ := cmd.Output()
	good := strings.TrimSpace(string(out))
	if code := send(key, good, payload); code != 200 {
		t.Fatalf("openssl-signed webhook: %d", code)
	}
	if code := send(key, "sha256="+good, payload); code != 200 {
		t.Errorf("sha256= prefix: %d", code)
	}
	for name, c := range map[string][3]string{
		"bad signature": {key, strings.Repeat("0", 64), payload},
		"other body":    {key, good, payload + " "},
		"missing key":   {"", good, payload},
		"unknown key":   {"jac_nope", good, payload},
	} {
		if code := send(c[0], c[1], c[2]); code != 401 {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
	if r := s.do("POST", "/walker/payment", tok, map[string]any{}); r.status != 404 {
		t.Errorf("webhook walker under /walker: %d, want 404", r.status)
	}
}

// TestReload: a changed file is served without a restart and keeps the data; a
// file that does not compile leaves the old program serving.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	src := "node N { has v: int = 0; }\nwalker :pub add { can go with Root entry { here ++> N(); report \"v1\"; } }\nwalker :pub count { can go with Root entry { report len([-->]); } }\n"
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte(src), 0o644)
	s := &server{t: t, dir: dir, args: []string{"--reload"}}
	s.start()
	defer s.stop()
	s.do("POST", "/walker/add", "", map[string]any{})
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte(strings.Replace(src, `"v1"`, `"v2"`, 1)), 0o644)
	waitFor(t, func() bool {
		r := s.do("POST", "/walker/add", "", map[string]any{})
		return strings.Contains(r.raw, `"v2"`)
	})
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte(src+"walker broken {"), 0o644)
	time.Sleep(500 * time.Millisecond)
	if r := s.do("POST", "/walker/add", "", map[string]any{}); !strings.Contains(r.raw, `"v2"`) {
		t.Fatalf("broken file replaced the program: %s", r.raw)
	}
	if !strings.Contains(s.log.String(), "app.jac:4:1") {
		t.Errorf("compile error not logged with file:line:col:\n%s", s.log)
	}
	r := s.do("POST", "/walker/count", "", map[string]any{})
	if n := r.body["data"].(map[string]any)["reports"].([]any)[0].(float64); n < 3 {
		t.Errorf("data lost across reloads: %v nodes, want at least 3", n)
	}
}

func waitFor(t *testing.T, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if f() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("condition not reached in 5s")
}

// TestGracefulShutdown: SIGTERM lets an in-flight request finish, then exits 0.
func TestGracefulShutdown(t *testing.T) {
	s := startApp(t, "import time;\nwalker :pub slow { can go with Root entry { time.sleep(0.5); report \"done\"; } }\n")
	done := make(chan resp, 1)
	go func() { done <- s.do("POST", "/walker/slow", "", map[string]any{}) }()
	time.Sleep(150 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGTERM)
	r := <-done
	if r.status != 200 || !strings.Contains(r.raw, "done") {
		t.Fatalf("in-flight request: %d %s", r.status, r.raw)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	s.cmd = nil
}

const permApp = `
node Doc { has text: str = ""; }
walker mk { has text: str; can go with Root entry { d = (here ++> Doc(text=self.text))[0]; report jid(d); } }
walker share { has did: str; has level: str; can go with Root entry { perm_grant(jobj(self.did), self.level); report "ok"; } }
walker unshare { has did: str; can go with Root entry { perm_revoke(jobj(self.did)); report "ok"; } }
walker read_doc { can go with Doc entry { report here.text; } }
walker edit_doc { has text: str; can go with Doc entry { here.text = self.text; report here.text; } }
walker link_doc { can go with Doc entry { root ++> here; report len([root -->]); } }
`

func reports(t *testing.T, r resp) []any {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	return r.body["data"].(map[string]any)["reports"].([]any)
}

func warnings(r resp) []any {
	w, _ := r.body["data"].(map[string]any)["warnings"].([]any)
	return w
}

// TestPermissions: read-only, connect and write shares between two users, and revoke.
func TestPermissions(t *testing.T) {
	s := startApp(t, permApp, "JWT_SECRET=perm")
	alice, _ := s.register("alice")
	bob, _ := s.register("bob")
	did := reports(t, s.do("POST", "/walker/mk", alice, map[string]any{"text": "v0"}))[0].(string)
	if r := s.do("POST", "/walker/read_doc/"+did, bob, map[string]any{}); r.status != 404 {
		t.Fatalf("bob read before share: %d", r.status)
	}
	reports(t, s.do("POST", "/walker/share", alice, map[string]any{"did": did, "level": "READ"}))
	if got := reports(t, s.do("POST", "/walker/read_doc/"+did, bob, map[string]any{})); got[0] != "v0" {
		t.Fatalf("bob read with READ: %v", got)
	}
	r := s.do("POST", "/walker/edit_doc/"+did, bob, map[string]any{"text": "bob was here"})
	if len(warnings(r)) == 0 {
		t.Errorf("write without WRITE gave no warning: %s", r.raw)
	}
	if got := reports(t, s.do("POST", "/walker/read_doc/"+did, alice, map[string]any{})); got[0] != "v0" {
		t.Fatalf("write without WRITE was kept: %v", got)
	}
	r = s.do("POST", "/walker/link_doc/"+did, bob, map[string]any{})
	if len(warnings(r)) == 0 || reports(t, r)[0].(float64) != 0 {
		t.Errorf("connect with READ only: %s", r.raw)
	}
	reports(t, s.do("POST", "/walker/share", alice, map[string]any{"did": did, "level": "CONNECT"}))
	r = s.do("POST", "/walker/link_doc/"+did, bob, map[string]any{})
	if len(warnings(r)) != 0 || reports(t, r)[0].(float64) != 1 {
		t.Errorf("connect with CONNECT: %s", r.raw)
	}
	reports(t, s.do("POST", "/walker/share", alice, map[string]any{"did": did, "level": "WRITE"}))
	reports(t, s.do("POST", "/walker/edit_doc/"+did, bob, map[string]any{"text": "v1"}))
	if got := reports(t, s.do("POST", "/walker/read_doc/"+did, alice, map[string]any{})); got[0] != "v1" {
		t.Fatalf("write with WRITE not kept: %v", got)
	}
	reports(t, s.do("POST", "/walker/unshare", alice, map[string]any{"did": did}))
	if r := s.do("POST", "/walker/read_doc/"+did, bob, map[string]any{}); r.status != 404 {
		t.Fatalf("bob read after revoke: %d", r.status)
	}
}

// TestStrictPermissions: JAC_STRICT_PERMISSIONS=1 turns denials into 403.
func TestStrictPermissions(t *testing.T) {
	s := startApp(t, permApp, "JWT_SECRET=perm", "JAC_STRICT_PERMISSIONS=1")
	alice, _ := s.register("alice")
	bob, _ := s.register("bob")
	did := reports(t, s.do("POST", "/walker/mk", alice, map[string]any{"text": "v0"}))[0].(string)
	reports(t, s.do("POST", "/walker/share", alice, map[string]any{"did": did, "level": "READ"}))
	if r := s.do("POST", "/walker/edit_doc/"+did, bob, map[string]any{"text": "x"}); r.status != 403 {
		t.Fatalf("strict write denial: %d %s", r.status, r.raw)
	}
}

// startFerret runs FerretDB (the MongoDB wire protocol on SQLite) on a free
// loopback port and returns the port.
func startFerret(t *testing.T) int {
	ferretBin := os.Getenv("JAC_TEST_FERRETDB")
	if ferretBin == "" {
		t.Skip("needs FerretDB (make test provides it)")
	}
	fport, dport := loopback.FreePort(t), loopback.FreePort(t)
	ferret := exec.Command(ferretBin, "--handler=sqlite", "--sqlite-url=file:"+t.TempDir()+"/", "--state-dir="+t.TempDir(), fmt.Sprintf("--listen-addr=127.0.0.1:%d", fport),
		"--telemetry=disable", fmt.Sprintf("--debug-addr=127.0.0.1:%d", dport), "--log-level=error")
	if err := ferret.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ferret.Process.Kill(); ferret.Wait() })
	loopback.WaitTCP(t, fport)
	return fport
}

// TestTwoServersSharedStore: two jac start processes on one Redis and one
// MongoDB-wire server behave as one server.
func TestTwoServersSharedStore(t *testing.T) {
	rport, fport := startRedis(t), startFerret(t)
	env := []string{"JWT_SECRET=shared", fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", rport), fmt.Sprintf("MONGODB_URI=mongodb://127.0.0.1:%d/", fport)}
	a := startApp(t, counterApp+notesApp, env...)
	b := &server{t: t, dir: a.dir, env: env}
	b.start()
	t.Cleanup(b.stop)
	// a user registered on one logs in on the other
	tok, _ := a.register("ann")
	if r := b.do("POST", "/user/login", "", map[string]string{"username": "ann", "password": "pw-ann"}); r.status != 200 {
		t.Fatalf("login on the other process: %d %s", r.status, r.raw)
	}
	// 100 increments through each process end at 200, seen by both
	id := a.do("POST", "/walker/setup", "", map[string]any{}).body["data"].(map[string]any)["reports"].([]any)[0].(map[string]any)["_jac_id"].(string)
	var wg sync.WaitGroup
	for _, s := range []*server{a, b} {
		wg.Add(1)
		go func(s *server) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if r := s.do("POST", "/walker/bump/"+id, "", map[string]any{}); r.status != 200 {
					t.Errorf("bump: %d %s", r.status, r.raw)
					return
				}
			}
		}(s)
	}
	wg.Wait()
	for _, s := range []*server{a, b} {
		if got := reports(t, s.do("POST", "/walker/read/"+id, "", map[string]any{}))[0].(float64); got != 200 {
			la, lb := a.log.String(), b.log.String()
			t.Fatalf("counter = %v, want 200\nlog a: %s\nlog b: %s", got, la[max(0, len(la)-1500):], lb[max(0, len(lb)-1500):])
		}
	}
	// a revoked token is refused by both
	if r := a.do("POST", "/user/logout", tok, nil); r.status != 200 {
		t.Fatal(r.raw)
	}
	for _, s := range []*server{a, b} {
		if r := s.do("POST", "/walker/add_note", tok, map[string]any{"text": "x"}); r.status != 401 {
			t.Errorf("revoked token: %d", r.status)
		}
	}
}

// TestUploadLarge: a 5 MB multipart upload reaches store() intact.
func TestUploadLarge(t *testing.T) {
	s := startApp(t, `
glob files = store(base_path="./uploads");
walker :pub up { has file: UploadFile; has folder: str = "big";
  can go with Root entry { p = f"{self.folder}/{self.file.filename}"; files.upload(self.file.file, p); report files.get_metadata(p)["size"]; } }
`)
	data := bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(data)
	mw.WriteField("folder", "large")
	mw.Close()
	resp, err := http.Post(s.url+"/walker/up", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	if got := out["data"].(map[string]any)["reports"].([]any)[0].(float64); int(got) != len(data) {
		t.Fatalf("stored %v bytes, sent %d", got, len(data))
	}
	if stored, _ := os.ReadFile(filepath.Join(s.dir, "uploads", "large", "big.bin")); !bytes.Equal(stored, data) {
		t.Fatal("stored bytes differ")
	}
}

// peakRSSMB is the process's peak resident memory so far (VmHWM).
func peakRSSMB(t *testing.T, pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	t.Skip("no VmHWM in /proc/PID/status")
	return 0
}

// TestUploadStreams: a 100 MB multipart upload stored with store() never
// sits whole in the server's memory: net/http spools the part to a
// temporary file past 1 MB, and UploadFile is a reader that store() copies
// from. The server's peak resident memory grows far less than the file
// (measured: 4.7 MB; 340 MB with the part read whole by io.ReadAll and 32 MB
// of it kept in memory, as before this test).
func TestUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB through loopback")
	}
	s := &server{t: t, dir: t.TempDir()}
	writeApp(t, s.dir, `
walker :pub up { has file: UploadFile;
  can go with Root entry { s = store(base_path="./uploads"); s.upload(self.file.file, "big.bin"); report [self.file.size, s.get_metadata("big.bin")["size"]]; } }
`)
	os.WriteFile(filepath.Join(s.dir, "jac.toml"), []byte("[plugins.scale.server]\nmax_body_size = 209715200\n"), 0o644)
	s.start()
	defer s.stop()
	const size = 100 << 20
	post := func(n int) (int, string, [32]byte) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		h := sha256.New()
		written := make(chan struct{})
		go func() {
			defer close(written)
			fw, _ := mw.CreateFormFile("file", "big.bin")
			block := make([]byte, 1<<20)
			for i := 0; i < n; i += len(block) {
				block[0], block[1] = byte(i>>20), byte(i>>28)
				b := block[:min(len(block), n-i)]
				h.Write(b)
				fw.Write(b)
			}
			mw.Close()
			pw.Close()
		}()
		r, err := http.Post(s.url+"/walker/up", mw.FormDataContentType(), pr)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		<-written
		return r.StatusCode, string(body), [32]byte(h.Sum(nil))
	}
	if code, body, _ := post(1 << 20); code != 200 {
		t.Fatalf("warm-up upload: %d %s", code, body)
	}
	before := peakRSSMB(t, s.cmd.Process.Pid)
	code, body, sum := post(size)
	after := peakRSSMB(t, s.cmd.Process.Pid)
	if want := fmt.Sprintf(`"reports":[[%d,%d]]`, size, size); code != 200 || !strings.Contains(body, want) {
		t.Fatalf("upload: %d %s, want %s", code, body, want)
	}
	f, err := os.Open(filepath.Join(s.dir, "uploads", "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	if [32]byte(h.Sum(nil)) != sum {
		t.Fatal("the stored file differs from the uploaded one")
	}
	t.Logf("server peak RSS %.1f MB before, %.1f MB after a %d MB upload", before, after, size>>20)
	if after-before > 24 {
		t.Errorf("the server's peak RSS grew by %.1f MB for a %d MB upload: it was buffered whole", after-before, size>>20)
	}
}

const allRootsApp = `
walker publish {
    can go with Root entry { perm_grant(root, "READ"); report True; }
}

walker count_roots {
    can go with Root entry { report [jid(r) for r in allroots()]; }
}
`

// TestAllRoots: allroots() returns the caller's root, then only the other
// user roots the caller may read.
func TestAllRoots(t *testing.T) {
	s := startApp(t, allRootsApp, "JWT_SECRET=roots")
	alice, aliceRoot := s.register("alice")
	bob, _ := s.register("bob")
	carol, carolRoot := s.register("carol")
	reports(t, s.do("POST", "/walker/count_roots", bob, map[string]any{})) // bob's root exists but is private
	if got := reports(t, s.do("POST", "/walker/count_roots", alice, map[string]any{}))[0].([]any); len(got) != 1 || !strings.Contains(got[0].(string), aliceRoot) {
		t.Fatalf("alice before publish: %v (root %s)", got, aliceRoot)
	}
	reports(t, s.do("POST", "/walker/publish", carol, map[string]any{}))
	got := reports(t, s.do("POST", "/walker/count_roots", alice, map[string]any{}))[0].([]any)
	if len(got) != 2 || !strings.Contains(got[1].(string), carolRoot) {
		t.Fatalf("alice after carol published: %v (carol %s)", got, carolRoot)
	}
}

// TestWebhookReplayWindow: with WEBHOOK_REPLAY_WINDOW the signature covers
// "<timestamp>.<body>" and a timestamp outside the window is refused.
func TestWebhookReplayWindow(t *testing.T) {
	s := startApp(t, `
@restspec(webhook=True)
walker ping { has n: int; can go with Root entry { report self.n; } }
`, "WEBHOOK_REPLAY_WINDOW=300")
	tok, _ := s.register("m")
	r := s.do("POST", "/api-key/create", tok, map[string]any{"name": "ci", "expiry_days": 0})
	key := r.body["data"].(map[string]any)["api_key"].(string)
	body := `{"n":7}`
	send := func(ts string, signed string) int {
		mac := hmac.New(sha256.New, []byte(key))
		mac.Write([]byte(signed))
		req, _ := http.NewRequest("POST", s.url+"/webhook/ping", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-API-Key", key)
		req.Header.Set("X-Webhook-Signature", hex.EncodeToString(mac.Sum(nil)))
		if ts != "" {
			req.Header.Set("X-Webhook-Timestamp", ts)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	now := fmt.Sprint(time.Now().Unix())
	old := fmt.Sprint(time.Now().Add(-10 * time.Minute).Unix())
	if code := send(now, now+"."+body); code != 200 {
		t.Fatalf("fresh timestamp: %d", code)
	}
	for name, c := range map[string][2]string{
		"no timestamp":        {"", body},
		"body-only signature": {now, body},
		"stale timestamp":     {old, old + "." + body},
		"timestamp swapped":   {now, old + "." + body},
	} {
		if code := send(c[0], c[1]); code != 401 {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
}

// TestPrivImportedWalker: a :priv walker imported from another module of the
// app is not served; a public one from the same module is.
func TestPrivImportedWalker(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"lib.jac": `
walker :priv internal_job { can go with Root entry { report "internal"; } }
walker :pub shared_job { can go with Root entry { report "shared"; } }
`,
		"app.jac": `
import from lib { internal_job, shared_job }
walker :priv own_private { can go with Root entry { report "own"; } }
`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := &server{t: t, dir: dir}
	s.start()
	t.Cleanup(s.stop)
	tok, _ := s.register("u")
	if r := s.do("POST", "/walker/internal_job", tok, map[string]any{}); r.status != 404 {
		t.Errorf("imported :priv walker: %d, want 404", r.status)
	}
	if got := reports(t, s.do("POST", "/walker/shared_job", tok, map[string]any{})); got[0] != "shared" {
		t.Errorf("imported :pub walker: %v", got)
	}
	if got := reports(t, s.do("POST", "/walker/own_private", tok, map[string]any{})); got[0] != "own" {
		t.Errorf("the app's own :priv walker (served with a token): %v", got)
	}
}

const commitApp = `
node Counter { has n: int = 0; }
walker bump_then_fail {
    has commit_first: bool;
    can go with Root entry {
        c = [-->](?:Counter);
        if not c { c = here ++> Counter(); }
        c[0].n += 1;
        if self.commit_first { commit(); }
        raise ValueError("after the write");
    }
}
walker read_count { can go with Root entry { report [c.n for c in [-->](?:Counter)]; } }
`

// TestCommitBuiltin: commit() writes the request's changes at once, so they
// survive a later exception; without it the failed request writes nothing.
func TestCommitBuiltin(t *testing.T) {
	s := startApp(t, commitApp)
	tok, _ := s.register("c")
	failing := func(commitFirst bool) {
		t.Helper()
		r := s.do("POST", "/walker/bump_then_fail", tok, map[string]any{"commit_first": commitFirst})
		if r.status != 500 || !strings.Contains(fmt.Sprint(r.body), "ValueError: after the write") {
			t.Fatalf("walker that raises: %d %v", r.status, r.body)
		}
	}
	failing(false)
	if got := reports(t, s.do("POST", "/walker/read_count", tok, map[string]any{})); len(got[0].([]any)) != 0 {
		t.Fatalf("failed request without commit() wrote: %v", got)
	}
	failing(true)
	got := reports(t, s.do("POST", "/walker/read_count", tok, map[string]any{}))[0].([]any)
	if len(got) != 1 || got[0] != float64(1) {
		t.Fatalf("write before commit() lost: %v", got)
	}
}
