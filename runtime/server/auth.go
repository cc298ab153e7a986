package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
)

// User is a registered account; each owns a root node.
type User struct {
	Username     string `json:"username"`
	Email        string `json:"email,omitempty"`
	PasswordHash string `json:"password_hash"`
	RootID       string `json:"root_id"`
	Created      int64  `json:"created"`

	// TokenGen counts password changes: a token minted before the last one is
	// refused unless it belongs to KeptSession, the session that made it.
	TokenGen    int    `json:"token_gen,omitempty"`
	KeptSession string `json:"kept_session,omitempty"`
}

// Root returns the user's root id.
func (u *User) Root() interp.ID { id, _ := interp.ParseID(u.RootID); return id }

// auth issues and checks tokens against the shared key/value space.
type auth struct {
	kv     memory.Backend
	secret []byte
	alg    jwt.SigningMethod
	exp    time.Duration

	// verified holds the claims of tokens whose signature was checked
	// (string -> *claimsOf), so a client's next requests skip the HMAC and
	// the JSON; expiry, the user and revocation are checked on every request.
	verified  sync.Map
	nVerified atomic.Int64
}

// claimsOf is what verify needs from a token with a valid signature.
type claimsOf struct {
	name, rootID, jti string
	sid               string // the session: kept by refresh, ended by logout
	gen               int    // the user's TokenGen when the token was minted
	hasRoot           bool
	exp               time.Time
}

// clockLeeway is how far a token's iat may lie in the future (clock skew
// between the processes that share a secret); exp gets the same grace.
const clockLeeway = 5 * time.Second

// maxVerified bounds the verified-token cache (it is cleared when full).
const maxVerified = 100000

// claims checks raw's signature and claims, or finds them checked before.
func (a *auth) claims(raw string) (*claimsOf, error) {
	if v, ok := a.verified.Load(raw); ok {
		c := v.(*claimsOf)
		if !c.exp.IsZero() && time.Now().Before(c.exp) {
			return c, nil
		}
		a.verified.Delete(raw)
		return nil, errBadToken
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) { return a.secret, nil },
		jwt.WithValidMethods([]string{a.alg.Alg()}), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithLeeway(clockLeeway))
	if err != nil || !tok.Valid {
		return nil, errBadToken
	}
	if _, ok := tok.Header["crit"]; ok {
		return nil, errBadToken // RFC 7515 4.1.11: we implement no critical extension
	}
	mc := tok.Claims.(jwt.MapClaims)
	c := &claimsOf{}
	c.name, _ = mc["username"].(string)
	c.rootID, c.hasRoot = mc["root_id"].(string)
	c.jti, _ = mc["jti"].(string)
	c.sid, _ = mc["sid"].(string)
	if g, ok := mc["gen"].(float64); ok {
		c.gen = int(g)
	}
	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		c.exp = exp.Time
	}
	if a.nVerified.Add(1) > maxVerified {
		a.verified.Clear()
		a.nVerified.Store(0)
	}
	a.verified.Store(raw, c)
	return c, nil
}

func newAuth(ctx context.Context, cfg Config, kv memory.Backend) (*auth, error) {
	alg := jwt.GetSigningMethod(cfg.JWTAlgorithm)
	switch cfg.JWTAlgorithm {
	case "HS256", "HS384", "HS512":
	default:
		return nil, fmt.Errorf("JWT_ALGORITHM %q is not supported (use HS256, HS384 or HS512)", cfg.JWTAlgorithm)
	}
	secret := []byte(cfg.JWTSecret)
	if len(secret) == 0 {
		s, err := generatedSecret(ctx, cfg, kv)
		if err != nil {
			return nil, err
		}
		secret = s
	}
	go dummyHash() // computed off the start-up path, before the first login needs it
	return &auth{kv: kv, secret: secret, alg: alg, exp: time.Duration(cfg.JWTExpDays) * 24 * time.Hour}, nil
}

// generatedSecret returns the random secret kept in the store (shared by every
// process on the same store) and mirrored in the data directory.
func generatedSecret(ctx context.Context, cfg Config, kv memory.Backend) ([]byte, error) {
	if v, err := kv.KVGet(ctx, "config:jwt_secret"); err != nil {
		return nil, err
	} else if len(v) > 0 {
		return v, nil
	}
	buf := make([]byte, 32)
	rand.Read(buf)
	secret := []byte(hex.EncodeToString(buf))
	if err := kv.KVPut(ctx, "config:jwt_secret", secret, true); err != nil {
		if errors.Is(err, memory.ErrExists) {
			return kv.KVGet(ctx, "config:jwt_secret")
		}
		return nil, err
	}
	os.MkdirAll(cfg.DataDir, 0o700)
	os.WriteFile(filepath.Join(cfg.DataDir, "jwt.secret"), secret, 0o600)
	return secret, nil
}

func userKey(name string) string { return "user:" + name }

func (a *auth) getUser(ctx context.Context, name string) (*User, error) {
	data, err := a.kv.KVGet(ctx, userKey(name))
	if err != nil || data == nil {
		return nil, err
	}
	var u User
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func (a *auth) putUser(ctx context.Context, u *User, ifAbsent bool) error {
	data, _ := json.Marshal(u)
	return a.kv.KVPut(ctx, userKey(u.Username), data, ifAbsent)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// token mints a JWT for u in session sid ("" starts a new session: login,
// registration, rename).
func (a *auth) token(u *User, sid string) string {
	now := time.Now()
	if sid == "" {
		sid = randomHex(16)
	}
	claims := jwt.MapClaims{
		"username": u.Username, "root_id": u.RootID, "jti": randomHex(16), "sid": sid, "gen": u.TokenGen,
		"iat": float64(now.UnixMicro()) / 1e6, "exp": now.Add(a.exp).Unix(),
	}
	s, _ := jwt.NewWithClaims(a.alg, claims).SignedString(a.secret)
	return s
}

type tokenInfo struct {
	user *User
	jti  string
	sid  string
	exp  time.Time
}

var errBadToken = errors.New("invalid token")

// verify checks signature, algorithm, expiry, revocation and that the user exists.
func (a *auth) verify(ctx context.Context, raw string) (*tokenInfo, error) {
	raw = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(raw), "Bearer "))
	if raw == "" {
		return nil, errBadToken
	}
	c, err := a.claims(raw)
	if err != nil {
		return nil, err
	}
	if c.name == "" {
		return nil, errBadToken
	}
	u, err := a.getUser(ctx, c.name)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errBadToken
	}
	if c.hasRoot && c.rootID != u.RootID {
		return nil, errBadToken
	}
	if c.gen < u.TokenGen && (c.sid == "" || c.sid != u.KeptSession) {
		return nil, errBadToken // minted before a password change, in another session
	}
	info := &tokenInfo{user: u, exp: c.exp, jti: c.jti, sid: c.sid}
	for _, key := range []string{revokedTokenKey(c.jti), revokedSessionKey(c.sid)} {
		if key == "" {
			continue
		}
		if v, err := a.kv.KVGet(ctx, key); err != nil {
			return nil, err
		} else if v != nil {
			return nil, errBadToken
		}
	}
	return info, nil
}

func revokedTokenKey(jti string) string {
	if jti == "" {
		return ""
	}
	return "revoked:" + jti
}

func revokedSessionKey(sid string) string {
	if sid == "" {
		return ""
	}
	return "revoked-session:" + sid
}

// dummyHash is compared against when a login names no user, so an unknown
// user costs the same bcrypt work as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte(randomHex(16)), bcrypt.DefaultCost)
	if err != nil {
		panic(err) // only a cost out of range fails
	}
	return h
})

// checkPassword compares in constant work whether or not u exists.
func checkPassword(u *User, password string) bool {
	if u == nil {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
}

// maxUsernameBytes bounds a username (it is part of a store key).
const maxUsernameBytes = 256

// hashPassword is bcrypt's hash, or a 400 for a password bcrypt cannot take
// (empty is checked by the callers; longer than 72 bytes here).
func hashPassword(pw string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "password too long (bcrypt takes at most 72 bytes)")
	}
	if err != nil {
		return "", envelopeErr(http.StatusInternalServerError, "INTERNAL_ERROR", "hashing the password: "+err.Error())
	}
	return string(hash), nil
}

// checkUsername refuses a name too long to be a store key.
func checkUsername(name string) error {
	if len(name) > maxUsernameBytes {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", fmt.Sprintf("username too long (at most %d bytes)", maxUsernameBytes))
	}
	return nil
}

// userFromRequest returns the caller (nil for a guest); invalid tokens are an error.
func (a *auth) userFromRequest(r *http.Request) (*tokenInfo, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	return a.verify(r.Context(), h)
}

// ---- handlers ----

type credentials struct {
	Username *string `json:"username"`
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

func readCredentials(r *http.Request) (credentials, string, error) {
	var c credentials
	raw := map[string]any{}
	if err := decodeBody(r, &raw); err != nil {
		return c, "", err
	}
	data, _ := json.Marshal(raw)
	json.Unmarshal(data, &c)
	for _, k := range []string{"username", "email", "password"} {
		if v, ok := raw[k]; ok && v != nil {
			if _, isStr := v.(string); !isStr {
				return c, "", errValidation(validationItem{Type: "string_type", Loc: []any{"body", k}, Msg: "Input should be a valid string"})
			}
		}
	}
	var name string
	switch {
	case c.Username != nil:
		name = *c.Username
	case c.Email != nil:
		name = *c.Email
	default:
		return c, "", errValidation(missing("body", "username"))
	}
	if c.Password == nil {
		return c, "", errValidation(missing("body", "password"))
	}
	return c, name, nil
}

func (s *Server) authData(u *User, tok string) map[string]any {
	d := map[string]any{"username": u.Username, "root_id": u.RootID, "token": tok, "access_token": tok, "token_type": "bearer"}
	if u.Email != "" {
		d["email"] = u.Email
	}
	return d
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) error {
	c, name, err := readCredentials(r)
	if err != nil {
		return err
	}
	if name == "" || *c.Password == "" {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "Username and password required")
	}
	if err := checkUsername(name); err != nil {
		return err
	}
	hash, err := hashPassword(*c.Password)
	if err != nil {
		return err
	}
	u := &User{Username: name, PasswordHash: hash, RootID: interp.NewID().Hex(), Created: time.Now().Unix()}
	if c.Email != nil {
		u.Email = *c.Email
	}
	if err := s.auth.putUser(r.Context(), u, true); err != nil {
		if errors.Is(err, memory.ErrExists) {
			return envelopeErr(http.StatusBadRequest, "USER_EXISTS", "User already exists")
		}
		return storeErr(err)
	}
	if err := s.auth.kv.KVPut(r.Context(), "root:"+u.RootID, []byte(u.Username), false); err != nil {
		return storeErr(err)
	}
	writeOK(w, http.StatusCreated, s.authData(u, s.auth.token(u, "")))
	return nil
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	c, name, err := readCredentials(r)
	if err != nil {
		return err
	}
	if name == "" || *c.Password == "" {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "Username and password required")
	}
	var u *User
	if len(name) <= maxUsernameBytes { // a longer name is no user's: same work as one that is not there
		if u, err = s.auth.getUser(r.Context(), name); err != nil {
			return storeErr(err)
		}
	}
	if !checkPassword(u, *c.Password) {
		return errUnauthorized("Invalid credentials")
	}
	writeOK(w, http.StatusOK, s.authData(u, s.auth.token(u, "")))
	return nil
}

func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) error {
	raw := map[string]any{}
	if err := decodeBody(r, &raw); err != nil {
		return err
	}
	v, ok := raw["token"]
	if !ok {
		return errValidation(missing("body", "token"))
	}
	tok, isStr := v.(string)
	if !isStr {
		return errValidation(validationItem{Type: "string_type", Loc: []any{"body", "token"}, Msg: "Input should be a valid string"})
	}
	if strings.TrimSpace(tok) == "" {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "Token is required")
	}
	info, err := s.auth.verify(r.Context(), tok)
	if err != nil {
		return errUnauthorized("Invalid or expired token")
	}
	nt := s.auth.token(info.user, info.sid)
	writeOK(w, http.StatusOK, map[string]any{"token": nt, "access_token": nt, "token_type": "bearer", "message": "Token refreshed successfully"})
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	info, err := s.auth.userFromRequest(r)
	if err != nil || info == nil {
		return errUnauthorized("Invalid or expired token")
	}
	// the token, and every token refreshed from it (its session)
	ttl := []byte(fmt.Sprint(int64(time.Until(info.exp).Seconds())))
	for _, key := range []string{revokedTokenKey(info.jti), revokedSessionKey(info.sid)} {
		if key == "" {
			continue
		}
		if err := s.auth.kv.KVPut(r.Context(), key, ttl, false); err != nil {
			return storeErr(err)
		}
	}
	writeOK(w, http.StatusOK, map[string]any{"message": "Logged out successfully"})
	return nil
}

func bodyStrings(r *http.Request, keys ...string) (map[string]string, error) {
	raw := map[string]any{}
	if err := decodeBody(r, &raw); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range keys {
		v, ok := raw[k]
		if !ok {
			return nil, errValidation(missing("body", k))
		}
		s, isStr := v.(string)
		if !isStr {
			return nil, errValidation(validationItem{Type: "string_type", Loc: []any{"body", k}, Msg: "Input should be a valid string"})
		}
		out[k] = s
	}
	return out, nil
}

func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	info, err := s.auth.userFromRequest(r)
	if err != nil || info == nil {
		return errUnauthorized("Invalid or expired token")
	}
	b, err := bodyStrings(r, "username", "current_password", "new_password")
	if err != nil {
		return err
	}
	if b["username"] != info.user.Username {
		return envelopeErr(http.StatusForbidden, "FORBIDDEN", "Cannot change another user's password")
	}
	if b["current_password"] == "" || b["new_password"] == "" {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "Current and new password required")
	}
	u := info.user
	if !checkPassword(u, b["current_password"]) {
		return envelopeErr(http.StatusBadRequest, "UPDATE_FAILED", "Current password is incorrect")
	}
	hash, err := hashPassword(b["new_password"])
	if err != nil {
		return err
	}
	// every other session ends: their tokens carry an older TokenGen
	u.PasswordHash, u.TokenGen, u.KeptSession = hash, u.TokenGen+1, info.sid
	if err := s.auth.putUser(r.Context(), u, false); err != nil {
		return storeErr(err)
	}
	writeOK(w, http.StatusOK, map[string]any{"username": u.Username, "message": "Password updated successfully"})
	return nil
}

func (s *Server) handleUsername(w http.ResponseWriter, r *http.Request) error {
	info, err := s.auth.userFromRequest(r)
	if err != nil || info == nil {
		return errUnauthorized("Invalid or expired token")
	}
	b, err := bodyStrings(r, "current_username", "new_username")
	if err != nil {
		return err
	}
	if b["current_username"] != info.user.Username {
		return envelopeErr(http.StatusForbidden, "FORBIDDEN", "Cannot rename another user")
	}
	if strings.TrimSpace(b["new_username"]) == "" {
		return envelopeErr(http.StatusBadRequest, "VALIDATION_ERROR", "New username required")
	}
	if err := checkUsername(b["new_username"]); err != nil {
		return err
	}
	u := *info.user
	u.Username = b["new_username"]
	if err := s.auth.putUser(r.Context(), &u, true); err != nil {
		if errors.Is(err, memory.ErrExists) {
			return envelopeErr(http.StatusBadRequest, "UPDATE_FAILED", "Username already taken")
		}
		return storeErr(err)
	}
	if err := s.auth.kv.KVPut(r.Context(), "root:"+u.RootID, []byte(u.Username), false); err != nil {
		return storeErr(err)
	}
	if err := s.auth.kv.KVDelete(r.Context(), userKey(info.user.Username)); err != nil {
		return storeErr(err)
	}
	tok := s.auth.token(&u, info.sid)
	writeOK(w, http.StatusOK, map[string]any{"username": u.Username, "root_id": u.RootID, "token": tok, "access_token": tok, "token_type": "bearer"})
	return nil
}
