package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/jacscale/jac/internal/httpspans"
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
)

// SSO is generic OpenID Connect: Google is an issuer like any other. For platform
// P the settings are SSO_P_CLIENT_ID, SSO_P_CLIENT_SECRET and SSO_P_ISSUER (Google's
// issuer is the default for "google"); SSO_HOST is this server's public base URL
// for the callbacks. State and PKCE are checked on every callback.

// ssoClient sends the requests to identity providers (discovery, code
// exchange, keys); those of a traced request are client spans.
var ssoClient = httpspans.Client()

type ssoProvider struct {
	cfg      oauth2.Config
	verifier *oidc.IDTokenVerifier
}

type ssoState struct {
	Verifier string `json:"verifier"`
	Mode     string `json:"mode"`
	Expires  int64  `json:"expires"`
}

type ssoRegistry struct {
	mu        sync.Mutex
	providers map[string]*ssoProvider
}

func ssoEnv(platform, key string) string {
	return os.Getenv("SSO_" + strings.ToUpper(platform) + "_" + key)
}

func (s *Server) ssoProvider(ctx context.Context, platform, mode string) (*ssoProvider, error) {
	s.sso.mu.Lock()
	defer s.sso.mu.Unlock()
	key := platform + "/" + mode
	if p, ok := s.sso.providers[key]; ok {
		return p, nil
	}
	clientID := ssoEnv(platform, "CLIENT_ID")
	if clientID == "" {
		return nil, envelopeErr(http.StatusNotFound, "NOT_FOUND", "SSO platform '"+platform+"' is not configured")
	}
	issuer := ssoEnv(platform, "ISSUER")
	if issuer == "" && platform == "google" {
		issuer = "https://accounts.google.com"
	}
	prov, err := oidc.NewProvider(oidc.ClientContext(ctx, ssoClient), issuer)
	if err != nil {
		return nil, envelopeErr(http.StatusBadGateway, "SSO_UNAVAILABLE", "cannot reach the identity provider: "+err.Error())
	}
	host := strings.TrimRight(os.Getenv("SSO_HOST"), "/")
	if host == "" {
		host = "http://localhost:" + itoa(s.cfg.Port)
	}
	p := &ssoProvider{
		cfg: oauth2.Config{ClientID: clientID, ClientSecret: ssoEnv(platform, "CLIENT_SECRET"), Endpoint: prov.Endpoint(),
			RedirectURL: host + "/sso/" + platform + "/" + mode + "/callback", Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		// the key set is fetched in go-oidc's own goroutine, under no request
		verifier: prov.VerifierContext(oidc.ClientContext(context.Background(), ssoClient), &oidc.Config{ClientID: clientID}),
	}
	if s.sso.providers == nil {
		s.sso.providers = map[string]*ssoProvider{}
	}
	s.sso.providers[key] = p
	return p, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func randToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// handleSSOStart is GET /sso/{platform}/{mode}: redirect to the provider.
func (s *Server) handleSSOStart(w http.ResponseWriter, r *http.Request) error {
	platform, mode := r.PathValue("platform"), r.PathValue("mode")
	if mode != "login" && mode != "register" {
		return errNotFound
	}
	p, err := s.ssoProvider(r.Context(), platform, mode)
	if err != nil {
		return err
	}
	state, verifier := randToken(24), oauth2.GenerateVerifier()
	st, _ := json.Marshal(ssoState{Verifier: verifier, Mode: mode, Expires: time.Now().Add(10 * time.Minute).Unix()})
	if err := s.auth.kv.KVPut(r.Context(), "sso:state:"+state, st, true); err != nil {
		return storeErr(err)
	}
	http.Redirect(w, r, p.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	return nil
}

// handleSSOCallback is GET /sso/{platform}/{mode}/callback: check state, exchange
// the code with the PKCE verifier, verify the ID token, find or create the user.
func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) error {
	platform, mode := r.PathValue("platform"), r.PathValue("mode")
	if mode != "login" && mode != "register" {
		return errNotFound
	}
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	raw, err := s.auth.kv.KVGet(ctx, "sso:state:"+state)
	if err != nil {
		return storeErr(err)
	}
	if state == "" || raw == nil {
		return errUnauthorized("invalid SSO state")
	}
	s.auth.kv.KVDelete(ctx, "sso:state:"+state)
	var st ssoState
	json.Unmarshal(raw, &st)
	if st.Mode != mode || time.Now().Unix() > st.Expires {
		return errUnauthorized("invalid SSO state")
	}
	p, err := s.ssoProvider(ctx, platform, mode)
	if err != nil {
		return err
	}
	tok, err := p.cfg.Exchange(oidc.ClientContext(ctx, ssoClient), r.URL.Query().Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return errUnauthorized("SSO code exchange failed")
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := p.verifier.Verify(ctx, rawID)
	if err != nil {
		return errUnauthorized("invalid ID token: " + err.Error())
	}
	var claims struct {
		Email string `json:"email"`
		Sub   string `json:"sub"`
	}
	idt.Claims(&claims)
	name := claims.Email
	if name == "" {
		name = platform + ":" + claims.Sub
	}
	u, err := s.auth.getUser(ctx, name)
	if err != nil {
		return storeErr(err)
	}
	if u == nil {
		if mode == "login" {
			return errUnauthorized("no account for " + name + "; register first")
		}
		if u, err = s.registerSSOUser(ctx, name, claims.Email); err != nil {
			return err
		}
	}
	writeOK(w, http.StatusOK, s.authData(u, s.auth.token(u, "")))
	return nil
}

// registerSSOUser creates the account of a first SSO registration (with a
// random password: it logs in through the provider only), or returns the
// one a concurrent registration created.
func (s *Server) registerSSOUser(ctx context.Context, name, email string) (*User, error) {
	if err := checkUsername(name); err != nil {
		return nil, err
	}
	hash, err := hashPassword(randToken(24))
	if err != nil {
		return nil, err
	}
	u := &User{Username: name, Email: email, PasswordHash: hash, RootID: interp.NewID().Hex(), Created: time.Now().Unix()}
	if err := s.auth.putUser(ctx, u, true); errors.Is(err, memory.ErrExists) {
		if u, err = s.auth.getUser(ctx, name); err != nil || u == nil {
			return nil, storeErr(fmt.Errorf("reading the account just registered: %v", err))
		}
		return u, nil
	} else if err != nil {
		return nil, storeErr(err)
	}
	if err := s.auth.kv.KVPut(ctx, "root:"+u.RootID, []byte(u.Username), false); err != nil {
		return nil, storeErr(err)
	}
	return u, nil
}
