package server_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/internal/loopback"
	"github.com/jacscale/jac/runtime/memory"
)

// secretApp is a private node kind with a walker that makes one and one that
// reads one by id (jobj): the read check of a by-id lookup.
const secretApp = `
node Secret { has text: str; }

walker add_secret {
    has text: str;
    can go with Root entry { report jid((here ++> Secret(text=self.text))[0]); }
}

walker peek {
    has id: str;
    can go with Root entry {
        n = jobj(self.id);
        report None if n is None else n.text;
    }
}
`

const identityApp = secretApp + `
@restspec(webhook=True)
walker hook { has n: int = 0; can go with Root entry { report [self.n, jid(here)]; } }
`

func (s *server) webhook(key string, n int) (int, []any) {
	s.t.Helper()
	body := `{"n":` + itoaT(n) + `}`
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(body))
	req, _ := http.NewRequest("POST", s.url+"/webhook/hook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", key)
	req.Header.Set("X-Webhook-Signature", hex.EncodeToString(mac.Sum(nil)))
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer r.Body.Close()
	var out struct {
		Data struct {
			Reports []any `json:"reports"`
		} `json:"data"`
	}
	json.NewDecoder(r.Body).Decode(&out)
	return r.StatusCode, out.Data.Reports
}

func (s *server) createKey(tok string) (key, id string) {
	s.t.Helper()
	r := s.do("POST", "/api-key/create", tok, map[string]any{"name": "k"})
	if r.status != 201 {
		s.t.Fatalf("api key: %d %s", r.status, r.raw)
	}
	d := r.body["data"].(map[string]any)
	return d["api_key"].(string), d["api_key_id"].(string)
}

func (s *server) keyCount(tok string) int {
	s.t.Helper()
	r := s.do("GET", "/api-key/list", tok, nil)
	if r.status != 200 {
		s.t.Fatalf("api key list: %d %s", r.status, r.raw)
	}
	return len(r.body["data"].(map[string]any)["api_keys"].([]any))
}

// TestAPIKeysFollowTheUser: after a rename the owner keeps its keys and the
// webhook deliveries (on its root); whoever registers the freed name gets
// none of them and cannot delete them.
func TestAPIKeysFollowTheUser(t *testing.T) {
	s := startApp(t, identityApp)
	tok, root := s.register("alice")
	key, id := s.createKey(tok)
	r := s.do("PUT", "/user/username", tok, map[string]string{"current_username": "alice", "new_username": "alice2"})
	if r.status != 200 {
		t.Fatalf("rename: %d %s", r.status, r.raw)
	}
	tok2 := r.body["data"].(map[string]any)["token"].(string)
	if n := s.keyCount(tok2); n != 1 {
		t.Errorf("the renamed owner lists %d keys, want 1", n)
	}
	if code, rep := s.webhook(key, 1); code != 200 || len(rep) != 1 || rep[0].([]any)[1] != root {
		t.Errorf("webhook after the rename: %d %v, want 200 on root %s", code, rep, root)
	}
	squatter, _ := s.register("alice")
	if n := s.keyCount(squatter); n != 0 {
		t.Errorf("the new alice lists %d keys, want 0", n)
	}
	if r := s.do("DELETE", "/api-key/"+id, squatter, nil); r.status != 403 {
		t.Errorf("the new alice deleting the old key: %d, want 403", r.status)
	}
	if code, rep := s.webhook(key, 2); code != 200 || rep[0].([]any)[1] != root {
		t.Errorf("webhook after the name was taken again: %d %v, want 200 on %s", code, rep, root)
	}
	if r := s.do("DELETE", "/api-key/"+id, tok2, nil); r.status != 200 {
		t.Errorf("the owner deleting its key: %d %s", r.status, r.raw)
	}
	if code, _ := s.webhook(key, 3); code != 401 {
		t.Errorf("webhook with the deleted key: %d, want 401", code)
	}
}

// TestAPIKeyIndexMigration: a store whose key index is by username (before
// keys belonged to a user id) is migrated at start without losing a key,
// and a key whose owner was renamed back then returns to it.
func TestAPIKeyIndexMigration(t *testing.T) {
	s := startApp(t, identityApp)
	tokA, _ := s.register("alice")
	tokB, _ := s.register("bob")
	keyA, idA := s.createKey(tokA)
	_, idB := s.createKey(tokB)
	rootA := s.do("POST", "/user/login", "", map[string]string{"username": "alice", "password": "pw-alice"}).body["data"].(map[string]any)["root_id"].(string)
	rootB := s.do("POST", "/user/login", "", map[string]string{"username": "bob", "password": "pw-bob"}).body["data"].(map[string]any)["root_id"].(string)
	s.stop()
	// write the old layout: userkeys:<name>, alice's index still under the
	// name she had before a rename ("old-alice")
	b, err := memory.OpenBolt(filepath.Join(s.dir, ".jac", "data", "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, k := range []string{"rootkeys:" + rootA, "rootkeys:" + rootB, "migrated:apikeys-by-root"} {
		b.KVDelete(ctx, k)
	}
	b.KVPut(ctx, "userkeys:old-alice", []byte(`["`+idA+`"]`), false)
	b.KVPut(ctx, "userkeys:bob", []byte(`["`+idB+`"]`), false)
	b.Close()
	s.start()
	if n := s.keyCount(tokA); n != 1 {
		t.Errorf("alice lists %d keys after the migration, want 1", n)
	}
	if n := s.keyCount(tokB); n != 1 {
		t.Errorf("bob lists %d keys after the migration, want 1", n)
	}
	if code, _ := s.webhook(keyA, 1); code != 200 {
		t.Errorf("alice's webhook after the migration: %d", code)
	}
	squatter, _ := s.register("old-alice")
	if n := s.keyCount(squatter); n != 0 {
		t.Errorf("a new user of alice's old name lists %d keys", n)
	}
}

// TestSessions: a password change ends every other session (refreshed tokens
// included) and keeps the caller's; logout ends the tokens refreshed from the
// logged-out one; a password bcrypt cannot take is refused and changes nothing.
func TestSessions(t *testing.T) {
	s := startApp(t, identityApp)
	tok1, _ := s.register("alice")
	login := func(pw string) (string, int) {
		r := s.do("POST", "/user/login", "", map[string]string{"username": "alice", "password": pw})
		if r.status != 200 {
			return "", r.status
		}
		return r.body["data"].(map[string]any)["token"].(string), 200
	}
	refresh := func(tok string) string {
		r := s.do("POST", "/user/refresh-token", "", map[string]string{"token": tok})
		if r.status != 200 {
			t.Fatalf("refresh: %d %s", r.status, r.raw)
		}
		return r.body["data"].(map[string]any)["token"].(string)
	}
	works := func(tok string) bool {
		return s.do("POST", "/walker/add_secret", tok, map[string]string{"text": "x"}).status == 200
	}
	tok2, _ := login("pw-alice")
	tok2r := refresh(tok2)
	// a new password bcrypt cannot take: 400, the old one still works
	r := s.do("PUT", "/user/password", tok1, map[string]string{"username": "alice", "current_password": "pw-alice", "new_password": strings.Repeat("p", 73)})
	if r.status != 400 {
		t.Errorf("73-byte new password: %d %s, want 400", r.status, r.raw)
	}
	if _, code := login("pw-alice"); code != 200 {
		t.Fatalf("the refused password change locked the account: %d", code)
	}
	r = s.do("PUT", "/user/password", tok1, map[string]string{"username": "alice", "current_password": "pw-alice", "new_password": "new-pw"})
	if r.status != 200 {
		t.Fatalf("password change: %d %s", r.status, r.raw)
	}
	if works(tok2) || works(tok2r) {
		t.Error("another session's tokens still work after the password change")
	}
	if !works(tok1) {
		t.Error("the session that changed the password was ended")
	}
	tok1r := refresh(tok1)
	if !works(tok1r) {
		t.Error("a token refreshed in the kept session does not work")
	}
	if _, code := login("pw-alice"); code != 401 {
		t.Errorf("the old password: %d, want 401", code)
	}
	// logout ends the session: the token and every token refreshed from it
	tok3, _ := login("new-pw")
	tok3r := refresh(tok3)
	tok3rr := refresh(tok3r)
	if r := s.do("POST", "/user/logout", tok3, nil); r.status != 200 {
		t.Fatalf("logout: %d", r.status)
	}
	for i, tok := range []string{tok3, tok3r, tok3rr} {
		if works(tok) {
			t.Errorf("token %d of the logged-out session still works", i)
		}
	}
	if !works(tok1r) {
		t.Error("logout of one session ended another")
	}
}

// TestJobjReadCheck: jobj(id) of another user's private node is None, as
// traversal would have it; the owner gets the node.
func TestJobjReadCheck(t *testing.T) {
	s := startApp(t, identityApp)
	alice, _ := s.register("alice")
	bob, _ := s.register("bob")
	r := s.do("POST", "/walker/add_secret", alice, map[string]string{"text": "alice's secret"})
	id := r.body["data"].(map[string]any)["reports"].([]any)[0].(string)
	if r := s.do("POST", "/walker/peek", bob, map[string]string{"id": id}); r.status != 200 || strings.Contains(r.raw, "alice's secret") {
		t.Errorf("bob's jobj of alice's node: %d %s", r.status, r.raw)
	}
	if r := s.do("POST", "/walker/peek", alice, map[string]string{"id": id}); !strings.Contains(r.raw, "alice's secret") {
		t.Errorf("alice's jobj of her own node: %d %s", r.status, r.raw)
	}
}

// BenchmarkLogin compares a login naming no user with one giving a wrong
// password: both must cost one bcrypt comparison, so timing does not tell
// which users exist (compare the two ns/op).
func BenchmarkLogin(b *testing.B) {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte(identityApp), 0o644)
	port := loopback.FreePort(b)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	cmd := exec.Command(jacBin, "start", "app.jac", "--host", "127.0.0.1", "--port", fmt.Sprint(port))
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	post := func(path, user, password string) int {
		r, err := http.Post(url+path, "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+password+`"}`))
		if err != nil {
			return 0
		}
		r.Body.Close()
		return r.StatusCode
	}
	if !loopback.Poll(func() bool { return post("/user/register", "alice", "right") == 201 }) {
		b.Fatal("server did not start")
	}
	for _, c := range []struct{ name, user string }{{"unknown_user", "nobody"}, {"wrong_password", "alice"}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if code := post("/user/login", c.user, "wrong"); code != 401 {
					b.Fatalf("login: %d", code)
				}
			}
		})
	}
}
