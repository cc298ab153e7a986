package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jacscale/jac/internal/loopback"
)

// oidcProvider is a real (minimal) OpenID Connect provider on httptest: discovery,
// JWKS, an authorize endpoint that approves at once, and a token endpoint that
// checks PKCE and returns an RS256-signed ID token.
type oidcProvider struct {
	srv       *httptest.Server
	key       *rsa.PrivateKey
	clientID  string
	badIssuer bool
	challenge map[string]string // code -> PKCE challenge
	seen      traceparents      // what each request carried
}

func newOIDCProvider(t *testing.T, clientID string) *oidcProvider {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &oidcProvider{key: key, clientID: clientID, challenge: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize",
			"token_endpoint": p.srv.URL + "/token", "jwks_uri": p.srv.URL + "/jwks",
			"id_token_signing_alg_values_supported": []string{"RS256"}, "response_types_supported": []string{"code"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		e := big.NewInt(int64(key.E)).Bytes()
		json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(e)}}})
	})
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		code := "code-" + q.Get("state")
		p.challenge[code] = q.Get("code_challenge")
		http.Redirect(w, r, q.Get("redirect_uri")+"?code="+url.QueryEscape(code)+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		code, verifier := r.Form.Get("code"), r.Form.Get("code_verifier")
		sum := sha256.Sum256([]byte(verifier))
		if p.challenge[code] == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != p.challenge[code] {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		iss := p.srv.URL
		if p.badIssuer {
			iss = "https://evil.example"
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": iss, "aud": p.clientID, "sub": "u-1",
			"email": "sso-user@example.com", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
		tok.Header["kid"] = "k1"
		idt, _ := tok.SignedString(key)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "id_token": idt})
	})
	p.srv = httptest.NewServer(p.seen.wrap(mux))
	t.Cleanup(p.srv.Close)
	return p
}

// ssoFlow follows the redirects by hand and returns the callback response.
func ssoFlow(t *testing.T, s *server, path string) (int, map[string]any) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := noFollow.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusFound {
		t.Fatalf("%s: %d, want a redirect", path, r.StatusCode)
	}
	r, err = noFollow.Get(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	r, err = http.Get(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	return r.StatusCode, body
}

// TestSSO registers and logs in through a local OIDC provider, and refuses a
// forged state and an ID token from the wrong issuer.
func TestSSO(t *testing.T) {
	good := newOIDCProvider(t, "client-1")
	evil := newOIDCProvider(t, "client-2")
	evil.badIssuer = true
	s := &server{t: t, dir: t.TempDir()}
	writeApp(t, s.dir, notesApp)
	s.port = loopback.FreePort(t)
	host := "http://127.0.0.1:" + itoaT(s.port)
	s.env = []string{"JWT_SECRET=sso", "SSO_HOST=" + host, "SSO_TEST_CLIENT_ID=client-1", "SSO_TEST_CLIENT_SECRET=s",
		"SSO_TEST_ISSUER=" + good.srv.URL, "SSO_EVIL_CLIENT_ID=client-2", "SSO_EVIL_ISSUER=" + evil.srv.URL}
	s.startOnPort()
	defer s.stop()
	code, body := ssoFlow(t, s, "/sso/test/register")
	if code != 200 {
		t.Fatalf("register: %d %v", code, body)
	}
	tok := body["data"].(map[string]any)["token"].(string)
	if r := s.do("POST", "/walker/add_note", tok, map[string]any{"text": "via sso"}); r.status != 200 {
		t.Fatalf("SSO token rejected: %d %s", r.status, r.raw)
	}
	if code, body := ssoFlow(t, s, "/sso/test/login"); code != 200 || body["data"].(map[string]any)["username"] != "sso-user@example.com" {
		t.Fatalf("login: %d %v", code, body)
	}
	if r := s.do("GET", "/sso/test/login/callback?code=x&state=forged", "", nil); r.status != 401 {
		t.Errorf("forged state: %d", r.status)
	}
	if code, _ := ssoFlow(t, s, "/sso/evil/register"); code != 401 {
		t.Errorf("ID token from the wrong issuer: %d, want 401", code)
	}
}
