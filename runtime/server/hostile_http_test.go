package server_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"github.com/jacscale/jac/runtime/memory"
)

// The hostile-input suite for the HTTP surface: raw HTTP, auth, API keys and
// store() paths. Each case asserts its status, that the server still answers
// /healthz afterwards, and that nothing was written that should not be (the
// data directory, the JWT secret and the storage directory are compared with
// what they were before the case). Jac-program cases are in hostile_jac_test.go.

const hostileApp = `
glob files = store(base_path="./uploads");

walker :pub copy_in {
    has source: str;
    has dest: str;
    can go with Root entry { files.upload(self.source, self.dest); report files.exists(self.dest); }
}

walker :pub save_to {
    has path: str;
    has local: str;
    can go with Root entry { files.download(self.path, self.local); report True; }
}

walker :pub read_back {
    has path: str;
    can go with Root entry { report len(files.download(self.path)); }
}

walker :pub echo {
    has text: str = "";
    has n: int = 0;
    can go with Root entry { report [self.text, self.n]; }
}

@restspec(webhook=True)
walker hook { has n: int = 0; can go with Root entry { report self.n; } }
` + secretApp

// hostileCase is one request and what the server must answer.
type hostileCase struct {
	name    string
	method  string
	path    string
	body    string            // sent as is
	header  map[string]string // extra headers
	as      string            // "alice", "bob", or "" (guest); Authorization in header wins
	want    []int             // any of these statuses
	mustNot []string          // the response body must not contain these
	// mayReset: the server may close the connection before the client has
	// sent everything (a body past the limit), so no status may arrive
	mayReset bool
}

// hostileEnv is the server of the suite and what it must keep unchanged.
type hostileEnv struct {
	s      *server
	tokens map[string]string
	secret []byte // the JWT secret the server generated
	data   string // its data directory
	files  []string
	keys   map[string]string // user -> an API key
	keyIDs map[string]string // user -> that key's id
}

// listTree lists the files and directories under dir (not dir itself).
func listTree(dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// unchanged fails the test when a case left anything it should not have: a
// file in the data directory beyond the store's own, a changed JWT secret, a
// file in the storage directory beyond the suite's fixtures.
func (e *hostileEnv) unchanged(t *testing.T, name string) {
	t.Helper()
	if r, err := http.Get(e.s.url + "/healthz"); err != nil || r.StatusCode != 200 {
		t.Fatalf("%s: the server is not alive afterwards (%v)\n%s", name, err, e.s.log)
	} else {
		r.Body.Close()
	}
	if got, _ := os.ReadFile(filepath.Join(e.data, "jwt.secret")); string(got) != string(e.secret) {
		t.Fatalf("%s: jwt.secret changed", name)
	}
	for _, f := range listTree(e.data) {
		if f != "jwt.secret" && !strings.HasPrefix(f, "graph.db") {
			t.Fatalf("%s: %s was written in the data directory", name, f)
		}
	}
	if got := strings.Join(listTree(filepath.Join(e.s.dir, "uploads")), ","); got != strings.Join(e.files, ",") {
		t.Fatalf("%s: the storage directory holds %s, want %s", name, got, strings.Join(e.files, ","))
	}
	if _, err := os.Stat(filepath.Join(e.s.dir, "planted")); err == nil {
		t.Fatalf("%s: a file was planted beside the app", name)
	}
}

func newHostileEnv(t *testing.T) *hostileEnv {
	s := startApp(t, hostileApp) // a generated secret, in ./.jac/data
	e := &hostileEnv{s: s, tokens: map[string]string{}, data: filepath.Join(s.dir, ".jac", "data"),
		keys: map[string]string{}, keyIDs: map[string]string{}}
	for _, u := range []string{"alice", "bob"} {
		e.tokens[u], _ = s.register(u)
		r := s.do("POST", "/api-key/create", e.tokens[u], map[string]any{"name": "k"})
		if r.status != 201 {
			t.Fatalf("api key: %d %s", r.status, r.raw)
		}
		d := r.body["data"].(map[string]any)
		e.keys[u], e.keyIDs[u] = d["api_key"].(string), d["api_key_id"].(string)
	}
	var err error
	if e.secret, err = os.ReadFile(filepath.Join(e.data, "jwt.secret")); err != nil || len(e.secret) == 0 {
		t.Fatalf("no generated secret: %v", err)
	}
	os.MkdirAll(filepath.Join(s.dir, "uploads"), 0o755)
	os.WriteFile(filepath.Join(s.dir, "uploads", "in.txt"), []byte("stored"), 0o644)
	e.files = listTree(filepath.Join(s.dir, "uploads"))
	return e
}

func (e *hostileEnv) run(t *testing.T, c hostileCase) {
	t.Helper()
	req, err := http.NewRequest(c.method, e.s.url+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if tok := e.tokens[c.as]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		if !c.mayReset {
			t.Fatalf("%s: %v", c.name, err)
		}
		e.unchanged(t, c.name)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	ok := false
	for _, w := range c.want {
		ok = ok || r.StatusCode == w
	}
	if !ok {
		t.Errorf("%s: status %d, want one of %v\n%.400s", c.name, r.StatusCode, c.want, body)
	}
	for _, bad := range c.mustNot {
		if strings.Contains(string(body), bad) {
			t.Errorf("%s: the response contains %q", c.name, bad)
		}
	}
	e.unchanged(t, c.name)
}

func jsonBody(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// storageCases: every way a walker argument could lead store() to a local
// file it must not touch. Refusals raise PermissionError/ValueError in the
// walker (500 EXECUTION_ERROR); nothing is read or written.
func storageCases(e *hostileEnv) []hostileCase {
	secret := filepath.Join(e.data, "jwt.secret")
	dir := e.s.dir
	os.Symlink(secret, filepath.Join(dir, "link-to-secret"))
	os.Symlink(filepath.Join(e.data, "planted"), filepath.Join(dir, "dangling-into-data"))
	os.Symlink(e.data, filepath.Join(dir, "link-to-data"))
	os.Symlink("/etc", filepath.Join(dir, "link-to-etc"))
	os.Symlink(filepath.Join(dir, "link-to-data"), filepath.Join(dir, "uploads", "chain"))
	os.Symlink(filepath.Join(dir, "loop-b"), filepath.Join(dir, "loop-a"))
	os.Symlink(filepath.Join(dir, "loop-a"), filepath.Join(dir, "loop-b"))
	e.files = listTree(filepath.Join(dir, "uploads")) // the chain link is a fixture
	sources := []string{
		".jac/data/jwt.secret", "./.jac/data/jwt.secret", ".jac//data/./jwt.secret", "uploads/../.jac/data/jwt.secret",
		secret, strings.ToUpper(".jac") + "/data/jwt.secret", ".jac/data/graph.db", ".jac/data/graph.db.log0",
		"link-to-secret", "link-to-data/jwt.secret", "uploads/chain/jwt.secret", "link-to-etc/passwd",
		"/etc/passwd", "/etc/shadow", "/proc/self/environ", "/proc/self/cmdline", "/proc/self/mem", "/dev/zero",
		"/root/.ssh/id_rsa", "../../../../../../etc/passwd", "~/.bashrc", "loop-a", ".jac/data", ".jac",
		"/sys/kernel/notes", "app.jac/../.jac/data/jwt.secret", ".jac/data/jwt.secret\x00.txt", "//etc//passwd",
		"/./etc/passwd", filepath.Join(dir, ".jac", "..", ".jac", "data", "jwt.secret"),
	}
	targets := []string{
		".jac/data/planted", "./.jac/data/planted", "dangling-into-data", "link-to-data/planted",
		"uploads/chain/planted", ".jac/data/jwt.secret", ".jac/data/graph.db", filepath.Join(e.data, "planted"),
		"/etc/jac-planted", "link-to-etc/jac-planted", "/proc/self/mem", "loop-a", "/root/planted",
		"../../../../tmp-planted", ".jac/data/../data/planted", ".jac/planted", "planted\x00", "/dev/full",
	}
	var cases []hostileCase
	for _, src := range sources {
		cases = append(cases, hostileCase{name: "upload source " + src, method: "POST", path: "/walker/copy_in",
			body: jsonBody(map[string]string{"source": src, "dest": "got.txt"}), want: []int{400, 403, 404, 500},
			mustNot: []string{string(e.secret), "root:x:0"}})
	}
	for _, dst := range targets {
		cases = append(cases, hostileCase{name: "download local_path " + dst, method: "POST", path: "/walker/save_to",
			body: jsonBody(map[string]string{"path": "in.txt", "local": dst}), want: []int{400, 403, 404, 500}})
	}
	for _, p := range []string{"../.jac/data/jwt.secret", "../../etc/passwd", "chain/jwt.secret", "..", "../app.jac",
		"a/../../.jac/data/jwt.secret", "..\\.jac\\data\\jwt.secret", "chain", "\x00", strings.Repeat("a/", 3000) + "x"} {
		cases = append(cases, hostileCase{name: "storage path " + p, method: "POST", path: "/walker/read_back",
			body: jsonBody(map[string]string{"path": p}), want: []int{400, 403, 404, 500}, mustNot: []string{string(e.secret)}})
		cases = append(cases, hostileCase{name: "storage dest " + p, method: "POST", path: "/walker/copy_in",
			body: jsonBody(map[string]string{"source": "uploads/in.txt", "dest": p}), want: []int{400, 403, 404, 500}})
	}
	return cases
}

// rawCases: request bodies, methods, headers and paths.
func rawCases() []hostileCase {
	post := func(name, path, body string, want ...int) hostileCase {
		return hostileCase{name: name, method: "POST", path: path, body: body, want: want}
	}
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	cases := []hostileCase{
		post("trailing object", "/walker/echo", `{"text":"a"}{"text":"b"}`, 422),
		post("trailing garbage", "/walker/echo", `{"text":"a"} xyz`, 422),
		post("trailing comma", "/walker/echo", `{"text":"a"},`, 422),
		post("trailing bracket", "/walker/echo", `{"text":"a"}]`, 422),
		post("trailing NUL", "/walker/echo", "{\"text\":\"a\"}\x00", 422),
		post("trailing whitespace is fine", "/walker/echo", "{\"text\":\"a\"} \n\t", 200),
		post("invalid UTF-8 in a string", "/walker/echo", "{\"text\":\"\xff\xfe\"}", 422),
		post("invalid UTF-8 in a key", "/walker/echo", "{\"\xc3\x28\":1}", 422),
		post("overlong UTF-8", "/walker/echo", "{\"text\":\"\xc0\xaf\"}", 422),
		post("UTF-16 surrogate bytes", "/walker/echo", "{\"text\":\"\xed\xa0\x80\"}", 422),
		post("lone surrogate escape is valid JSON", "/walker/echo", `{"text":"\ud800"}`, 200),
		post("truncated JSON", "/walker/echo", `{"text":`, 422),
		post("JSON array body", "/walker/echo", `[1,2]`, 422),
		post("JSON string body", "/walker/echo", `"x"`, 422),
		post("JSON null body", "/walker/echo", `null`, 422),
		post("deeply nested array", "/walker/echo", `{"text":`+deep+`}`, 422),
		post("huge integer", "/walker/echo", `{"n":`+strings.Repeat("9", 5000)+`}`, 200, 422, 500),
		post("float for int", "/walker/echo", `{"n":1.5}`, 422),
		post("exponent for int", "/walker/echo", `{"n":1e400}`, 422),
		post("NaN literal", "/walker/echo", `{"n":NaN}`, 422),
		post("duplicate keys", "/walker/echo", `{"text":"a","text":"b"}`, 200),
		post("wrong type", "/walker/echo", `{"text":{"a":1}}`, 422),
		post("unknown walker", "/walker/nope", `{}`, 404),
		post("walker on a bad node id", "/walker/echo/zzzz", `{}`, 404),
		post("walker on an unknown node id", "/walker/echo/00000000000000000000000000000000", `{}`, 404),
		post("private walker as guest", "/walker/add_secret", `{"text":"x"}`, 401),
		{name: "private walker, mangled token", method: "POST", path: "/walker/add_secret", body: `{"text":"x"}`,
			header: map[string]string{"Authorization": "Bearer x.y.z"}, want: []int{401}},
		{name: "oversized body", method: "POST", path: "/walker/echo", body: `{"text":"` + strings.Repeat("x", 11<<20) + `"}`, want: []int{413}, mayReset: true},
		{name: "unknown method", method: "BREW", path: "/walker/echo", body: `{}`, want: []int{200, 404, 405}},
		{name: "OPTIONS to a random path", method: "OPTIONS", path: "/zz/random/path", want: []int{200, 204, 404}},
		{name: "very long path", method: "GET", path: "/" + strings.Repeat("a", 60000), want: []int{404, 414, 431}},
		{name: "encoded traversal path", method: "GET", path: "/static/..%2f..%2f.jac%2fdata%2fjwt.secret", want: []int{400, 404}, mustNot: []string{"secret"}},
		{name: "static traversal", method: "GET", path: "/static/../../.jac/data/jwt.secret", want: []int{400, 404}},
		{name: "NUL in path", method: "GET", path: "/walker/echo%00", want: []int{400, 404, 405}},
		{name: "huge header", method: "POST", path: "/walker/echo", body: `{}`, header: map[string]string{"X-Big": strings.Repeat("h", 2<<20)}, want: []int{431}},
		{name: "text/plain body", method: "POST", path: "/walker/echo", body: `{"text":"a"}`, header: map[string]string{"Content-Type": "text/plain"}, want: []int{200, 415, 422}},
		{name: "multipart without boundary", method: "POST", path: "/walker/echo", body: `--x`, header: map[string]string{"Content-Type": "multipart/form-data"}, want: []int{400, 415, 422}},
		{name: "form body", method: "POST", path: "/walker/echo", body: `text=a`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, want: []int{200, 400, 415, 422}},
		{name: "graph data as guest", method: "GET", path: "/graph/data", want: []int{200, 401}},
	}
	return cases
}

// authCases: registration, login and tokens.
func authCases(e *hostileEnv) []hostileCase {
	now := time.Now()
	sign := func(claims jwt.MapClaims, header map[string]any) string {
		tk := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		for k, v := range header {
			tk.Header[k] = v
		}
		s, _ := tk.SignedString(e.secret)
		return s
	}
	valid := func() jwt.MapClaims {
		return jwt.MapClaims{"username": "alice", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()}
	}
	with := func(k string, v any) jwt.MapClaims { c := valid(); c[k] = v; return c }
	tokens := map[string]string{
		"iat an hour ahead":        sign(with("iat", now.Add(time.Hour).Unix()), nil),
		"iat a day ahead":          sign(with("iat", now.Add(24*time.Hour).Unix()), nil),
		"iat far future":           sign(with("iat", 1e15), nil),
		"unknown crit header":      sign(valid(), map[string]any{"crit": []string{"exp"}}),
		"crit with a made-up name": sign(valid(), map[string]any{"crit": []string{"x-jac"}, "x-jac": 1}),
		"empty crit":               sign(valid(), map[string]any{"crit": []string{}}),
		"no exp":                   sign(jwt.MapClaims{"username": "alice", "iat": now.Unix()}, nil),
		"string exp":               sign(with("exp", "never"), nil),
		"nbf in the future":        sign(with("nbf", now.Add(time.Hour).Unix()), nil),
		"other user's root":        sign(with("root_id", "00000000000000000000000000000000"), nil),
		"username not a string":    sign(with("username", 7), nil),
		"no username":              sign(jwt.MapClaims{"exp": now.Add(time.Hour).Unix()}, nil),
		"alg none":                 "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VybmFtZSI6ImFsaWNlIn0.",
		"three dots":               "a.b.c.d",
		"empty segments":           "..",
		"huge token":               strings.Repeat("A", 1<<20),
		"bearer twice":             "Bearer " + e.tokens["alice"],
		"truncated signature":      e.tokens["alice"][:len(e.tokens["alice"])-3],
	}
	var cases []hostileCase
	names := make([]string, 0, len(tokens))
	for n := range tokens {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cases = append(cases, hostileCase{name: "token: " + n, method: "POST", path: "/walker/add_secret",
			body: `{"text":"x"}`, header: map[string]string{"Authorization": "Bearer " + tokens[n]}, want: []int{400, 401, 431}})
	}
	reg := func(name string, body any, want ...int) hostileCase {
		return hostileCase{name: name, method: "POST", path: "/user/register", body: jsonBody(body), want: want}
	}
	login := func(name string, body any, want ...int) hostileCase {
		return hostileCase{name: name, method: "POST", path: "/user/login", body: jsonBody(body), want: want}
	}
	long := strings.Repeat("u", 40000)
	cases = append(cases,
		reg("register a 40 kB username", map[string]string{"username": long, "password": "pw"}, 400, 422),
		reg("register a 1 MB username", map[string]string{"username": strings.Repeat("u", 1<<20), "password": "pw"}, 400, 413, 422),
		reg("register a 73-byte password", map[string]string{"username": "p73", "password": strings.Repeat("p", 73)}, 400),
		reg("register a 1 MB password", map[string]string{"username": "p1m", "password": strings.Repeat("p", 1<<20)}, 400, 413),
		reg("register the taken name", map[string]string{"username": "alice", "password": "x"}, 400),
		reg("register with a number password", map[string]any{"username": "n", "password": 5}, 422),
		reg("register with no password", map[string]any{"username": "n"}, 422),
		reg("register with an empty name", map[string]any{"username": "", "password": "x"}, 400),
		login("login a 40 kB username", map[string]string{"username": long, "password": "pw"}, 401),
		login("login unknown", map[string]string{"username": "nobody", "password": "pw"}, 401),
		login("login wrong password", map[string]string{"username": "alice", "password": "nope"}, 401),
		login("login a 1 MB password", map[string]string{"username": "alice", "password": strings.Repeat("p", 1<<20)}, 401, 413),
		hostileCase{name: "refresh a forged token", method: "POST", path: "/user/refresh-token", body: jsonBody(map[string]string{"token": tokens["iat a day ahead"]}), want: []int{401}},
		hostileCase{name: "refresh a crit token", method: "POST", path: "/user/refresh-token", body: jsonBody(map[string]string{"token": tokens["unknown crit header"]}), want: []int{401}},
		hostileCase{name: "change bob's password as alice", method: "PUT", path: "/user/password", as: "alice",
			body: jsonBody(map[string]string{"username": "bob", "current_password": "pw-bob", "new_password": "x"}), want: []int{403}},
		hostileCase{name: "a 73-byte new password", method: "PUT", path: "/user/password", as: "alice",
			body: jsonBody(map[string]string{"username": "alice", "current_password": "pw-alice", "new_password": strings.Repeat("p", 73)}), want: []int{400}},
		hostileCase{name: "rename to a 40 kB name", method: "PUT", path: "/user/username", as: "alice",
			body: jsonBody(map[string]string{"current_username": "alice", "new_username": long}), want: []int{400, 422}},
		hostileCase{name: "rename bob as alice", method: "PUT", path: "/user/username", as: "alice",
			body: jsonBody(map[string]string{"current_username": "bob", "new_username": "mallory"}), want: []int{403}},
		hostileCase{name: "rename onto a taken name", method: "PUT", path: "/user/username", as: "alice",
			body: jsonBody(map[string]string{"current_username": "alice", "new_username": "bob"}), want: []int{400}},
	)
	return cases
}

// keyCases: API keys and webhooks.
func keyCases(e *hostileEnv) []hostileCase {
	create := func(name string, body string, want ...int) hostileCase {
		return hostileCase{name: name, method: "POST", path: "/api-key/create", as: "alice", body: body, want: want}
	}
	hook := func(name, key string, want ...int) hostileCase {
		return hostileCase{name: name, method: "POST", path: "/webhook/hook", body: `{"n":1}`,
			header: map[string]string{"X-API-Key": key}, want: want}
	}
	return []hostileCase{
		create("expiry_days overflows a date", `{"name":"k","expiry_days":9999999999999}`, 422),
		create("expiry_days overflows int64", `{"name":"k","expiry_days":99999999999999999999999}`, 422),
		create("expiry_days a million years", `{"name":"k","expiry_days":365000000}`, 422),
		create("expiry_days negative", `{"name":"k","expiry_days":-1}`, 422),
		create("expiry_days a float", `{"name":"k","expiry_days":1.5}`, 422),
		create("expiry_days a string", `{"name":"k","expiry_days":"7"}`, 422),
		create("expiry_days NaN-ish", `{"name":"k","expiry_days":1e400}`, 422),
		create("a 1 MB key name", jsonBody(map[string]string{"name": strings.Repeat("n", 1<<20)}), 413, 422),
		create("a 40 kB key name", jsonBody(map[string]string{"name": strings.Repeat("n", 40000)}), 422),
		create("no name", `{}`, 422),
		create("name not a string", `{"name":5}`, 422),
		{name: "create as guest", method: "POST", path: "/api-key/create", body: `{"name":"k"}`, want: []int{401}},
		{name: "list as guest", method: "GET", path: "/api-key/list", want: []int{401}},
		{name: "delete bob's key as alice", method: "DELETE", path: "/api-key/" + e.keyIDs["bob"], as: "alice", want: []int{403}},
		{name: "delete an unknown key", method: "DELETE", path: "/api-key/00112233445566778899aabb", as: "alice", want: []int{404}},
		{name: "delete a 40 kB key id", method: "DELETE", path: "/api-key/" + strings.Repeat("k", 40000), as: "alice", want: []int{404, 414, 431}},
		{name: "delete a traversal id", method: "DELETE", path: "/api-key/..%2f..%2fuser:alice", as: "alice", want: []int{404}},
		hook("webhook without a key", "", 401),
		hook("webhook with a wrong key", "jac_wrong", 401),
		hook("webhook with a 40 kB key", strings.Repeat("k", 40000), 401, 431),
		hook("webhook with a key id as key", e.keyIDs["alice"], 401),
		hook("webhook with a key's hash", hashHex(e.keys["alice"]), 401),
		hook("webhook with a valid key but no signature", e.keys["alice"], 401),
	}
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestHostileHTTP runs the suite on one server.
func TestHostileHTTP(t *testing.T) {
	e := newHostileEnv(t)
	var cases []hostileCase
	cases = append(cases, storageCases(e)...)
	cases = append(cases, rawCases()...)
	cases = append(cases, authCases(e)...)
	cases = append(cases, keyCases(e)...)
	for _, c := range cases {
		e.run(t, c)
	}
	// the accounts are as they were: no registration of a refused name went through
	for _, u := range []string{"alice", "bob"} {
		r := e.s.do("POST", "/user/login", "", map[string]string{"username": u, "password": "pw-" + u})
		if r.status != 200 {
			t.Errorf("%s cannot log in after the suite: %d %s", u, r.status, r.raw)
		}
	}
	for _, u := range []string{"p73", "p1m", "n", strings.Repeat("u", 40000)} {
		if r := e.s.do("POST", "/user/login", "", map[string]string{"username": u, "password": "pw"}); r.status != 401 {
			t.Errorf("refused registration %.20s exists: %d", u, r.status)
		}
	}
	r := e.s.do("GET", "/api-key/list", e.tokens["alice"], nil)
	if keys := r.body["data"].(map[string]any)["api_keys"].([]any); len(keys) != 1 {
		t.Errorf("alice has %d API keys after the suite, want 1 (no refused create went through)", len(keys))
	}
	e.s.stop()
	e.storeHolds(t, map[string]int{"user:": 2, "apikey:": 2, "apikeyid:": 2, "rootkeys:": 2, "root:": 2})
	t.Logf("%d hostile HTTP inputs, server alive and nothing written after each", len(cases))
}

// storeHolds opens the stopped server's store and counts its keys by prefix:
// no refused registration, key or rename left a record.
func (e *hostileEnv) storeHolds(t *testing.T, want map[string]int) {
	b, err := memory.OpenBolt(filepath.Join(e.data, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for prefix, n := range want {
		keys, err := b.KVKeys(context.Background(), prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != n {
			t.Errorf("the store holds %d %s keys, want %d: %.300q", len(keys), prefix, n, keys)
		}
	}
}

// rawRequest writes bytes on a fresh connection and returns the status line.
func rawRequest(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte(req))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line)
}

// TestHostileRawHTTP: malformed HTTP framing is answered 4xx (or the
// connection closed) and the server goes on.
func TestHostileRawHTTP(t *testing.T) {
	s := startApp(t, hostileApp)
	addr := strings.TrimPrefix(s.url, "http://")
	for _, c := range []struct{ name, req, want string }{
		{"no Host", "GET /healthz HTTP/1.1\r\n\r\n", "400"},
		{"bad version", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", "505"},
		{"garbage request line", "\x00\x01\x02 / HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
		// RFC 9112 6.3: Transfer-Encoding overrides Content-Length (net/http drops it)
		{"both lengths", "POST /walker/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "200"},
		{"negative length", "POST /walker/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "400"},
		{"two lengths", "POST /walker/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "400"},
		{"bad chunk", "POST /walker/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "4"},
		{"header without colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n", "400"},
		{"header injection in name", "GET /healthz HTTP/1.1\r\nHost: x\r\nX\x00Y: 1\r\n\r\n", "400"},
		{"absolute URI to elsewhere", "GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n", "200"},
	} {
		got := rawRequest(t, addr, c.req)
		if !strings.Contains(got, " "+c.want) {
			t.Errorf("%s: %q, want %s", c.name, got, c.want)
		}
		if r, err := http.Get(s.url + "/healthz"); err != nil || r.StatusCode != 200 {
			t.Fatalf("%s: the server is not alive afterwards: %v", c.name, err)
		} else {
			r.Body.Close()
		}
	}
}

// TestConnectionLimits: one client holding many idle connections gets 429
// past its share, while another client (another loopback address) and
// /healthz still get in; a half-sent request is cut at the header timeout.
func TestConnectionLimits(t *testing.T) {
	// the header timeout must outlast the set-up below on a loaded machine
	s := startApp(t, hostileApp, "JAC_MAX_CONNECTIONS_PER_CLIENT=20", "JAC_MAX_CONNECTIONS=30", "JAC_READ_HEADER_TIMEOUT=6")
	addr := strings.TrimPrefix(s.url, "http://")
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for i := 0; i < 20; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")) // half-sent
		held = append(held, c)
	}
	// The server counts a connection when it accepts it, which on a loaded machine
	// can lag the client's dial: ask again until all 20 are counted.
	for deadline := time.Now().Add(15 * time.Second); ; {
		got := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if strings.Contains(got, " 429") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the 21st connection of one client: %q, want 429", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	other := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	c, err := other.Dial("tcp", addr)
	if err != nil {
		t.Skipf("no second loopback address: %v", err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
	line, _ := bufio.NewReader(c).ReadString('\n')
	c.Close()
	if !strings.Contains(line, " 200") {
		t.Errorf("another client's /healthz while the first holds its share: %q", line)
	}
	// the half-sent requests are cut at the header timeout, which frees the client's share
	held[0].SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := held[0].Read(make([]byte, 512)); err == nil {
		// net/http answers 408 before closing; then EOF
		if _, err := held[0].Read(make([]byte, 512)); err != io.EOF {
			t.Errorf("half-sent request: %v, want the connection closed", err)
		}
	} else if err != io.EOF {
		t.Errorf("half-sent request: %v, want the connection closed at the header timeout", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if strings.Contains(got, " 200") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the client's share was not freed after the header timeout: %q", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSlowBody: a body that does not arrive within the read timeout ends
// the request (408, or the connection closed) and the server goes on.
func TestSlowBody(t *testing.T) {
	s := startApp(t, hostileApp, "JAC_READ_TIMEOUT=2")
	c, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("POST /walker/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\""))
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err == nil && !strings.Contains(line, " 408") {
		t.Errorf("a body past the read timeout: %q, want 408 or the connection closed", line)
	} else if err != nil && err != io.EOF && !strings.Contains(err.Error(), "reset") {
		t.Errorf("a body past the read timeout: %v, want 408 or the connection closed", err)
	}
	if r := s.do("GET", "/healthz", "", nil); r.status != 200 {
		t.Errorf("healthz after a slow body: %d", r.status)
	}
}

// TestMetricsCardinality: requests to random unknown paths and methods share
// one series.
func TestMetricsCardinality(t *testing.T) {
	s := startApp(t, hostileApp)
	for i := 0; i < 300; i++ {
		for _, m := range []string{"OPTIONS", "GET", fmt.Sprintf("M%d", i)} {
			req, _ := http.NewRequest(m, fmt.Sprintf("%s/rnd%d/x", s.url, i), nil)
			if r, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
			}
		}
	}
	r := s.do("GET", "/metrics", "", nil)
	if strings.Contains(r.raw, "rnd1") || strings.Contains(r.raw, "M17") {
		t.Errorf("/metrics has a series per random path or method")
	}
	if n := strings.Count(r.raw, "jac_http_requests_total{"); n > 20 {
		t.Errorf("/metrics has %d request series after 900 random requests", n)
	}
}

// TestWebSocketSlowMember: a member that never reads is dropped once its
// send queue is full, and the broadcast goes on to the others.
func TestWebSocketSlowMember(t *testing.T) {
	s := startApp(t, `
@restspec(protocol=APIProtocol.WEBSOCKET, broadcast=True)
walker :pub shout { has msg: str; can go with Root entry { report self.msg; } }
`)
	url := "ws" + strings.TrimPrefix(s.url, "http") + "/ws/shout"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	idle, _, err := websocket.Dial(ctx, url, nil) // never reads
	if err != nil {
		t.Fatal(err)
	}
	defer idle.CloseNow()
	talker, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer talker.CloseNow()
	talker.SetReadLimit(1 << 20)
	// 30 kB messages (under the server's 32 KiB read limit), 45 MB of
	// broadcast replies: more than the idle member's socket buffers and queue hold
	msg := jsonBody(map[string]string{"msg": strings.Repeat("m", 30000)})
	const n = 1500
	go func() {
		for i := 0; i < n; i++ {
			if talker.Write(ctx, websocket.MessageText, []byte(msg)) != nil {
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		if _, _, err := talker.Read(ctx); err != nil {
			t.Fatalf("reply %d of %d to the reading member: %v (a member that does not read blocked the broadcast)", i, n, err)
		}
	}
	// the idle member was dropped: after what it had buffered, its connection ends
	idle.SetReadLimit(1 << 20)
	got := 0
	for {
		if _, _, err := idle.Read(ctx); err != nil {
			break
		}
		got++
	}
	if got >= n {
		t.Errorf("the idle member received all %d messages; it should have been dropped", got)
	}
	t.Logf("the reading member got all %d replies; the idle one %d before it was dropped", n, got)
}
