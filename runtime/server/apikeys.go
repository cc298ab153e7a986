package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
)

// apiKey is a stored API key; only the SHA-256 of the key itself is kept.
// A key belongs to the user whose root is RootID (the user's id: a rename
// keeps it, a new user of a freed name gets another); Owner is the username
// when the key was created, kept for the record.
type apiKey struct {
	ID        string `json:"api_key_id"`
	Name      string `json:"name"`
	Owner     string `json:"owner"`
	RootID    string `json:"root_id"`
	Hash      string `json:"hash"`
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at,omitempty"`
}

// Bounds on API key inputs: a longer value is no key's (refused with 4xx
// before it reaches the store, whose keys are bounded).
const (
	maxKeyNameBytes = 256
	maxKeyIDBytes   = 64
	maxAPIKeyBytes  = 256
	maxExpiryDays   = 36500 // 100 years: any more overflows time.Duration
)

func hashKey(k string) string {
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:])
}

// rootKeysKey indexes a user's key ids by the user's root id.
func rootKeysKey(rootID string) string { return "rootkeys:" + rootID }

func (s *Server) userKeys(ctx context.Context, u *User) ([]string, error) {
	return loadKeyIndex(ctx, s.auth.kv, rootKeysKey(u.RootID))
}

func (s *Server) setUserKeys(ctx context.Context, u *User, ids []string) error {
	return storeKeyIndex(ctx, s.auth.kv, rootKeysKey(u.RootID), ids)
}

func loadKeyIndex(ctx context.Context, kv memory.Backend, key string) ([]string, error) {
	data, err := kv.KVGet(ctx, key)
	if err != nil || data == nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal(data, &ids); err != nil {
		return nil, fmt.Errorf("key index %s: %w", key, err)
	}
	return ids, nil
}

func storeKeyIndex(ctx context.Context, kv memory.Backend, key string, ids []string) error {
	data, _ := json.Marshal(ids)
	return kv.KVPut(ctx, key, data, false)
}

// keyIndexMigrated marks a store whose key index is by root id.
const keyIndexMigrated = "migrated:apikeys-by-root"

// migrateKeyIndex moves the key index of a store written before keys
// belonged to a root id ("userkeys:<username>") to "rootkeys:<root id>",
// from the key records themselves (each holds its root id), so no key is
// lost and none follows a username to a new account.
func migrateKeyIndex(ctx context.Context, kv memory.Backend) error {
	if done, err := kv.KVGet(ctx, keyIndexMigrated); err != nil || done != nil {
		return err
	}
	legacy, err := kv.KVKeys(ctx, "userkeys:")
	if err != nil {
		return err
	}
	byRoot := map[string][]string{}
	for _, idx := range legacy {
		ids, err := loadKeyIndex(ctx, kv, idx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			k, err := loadKeyRecord(ctx, kv, id)
			if err != nil {
				return err
			}
			if k != nil && k.RootID != "" {
				byRoot[k.RootID] = append(byRoot[k.RootID], id)
			}
		}
	}
	for root, ids := range byRoot {
		have, err := loadKeyIndex(ctx, kv, rootKeysKey(root))
		if err != nil {
			return err
		}
		if err := storeKeyIndex(ctx, kv, rootKeysKey(root), union(have, ids)); err != nil {
			return err
		}
	}
	for _, idx := range legacy {
		if err := kv.KVDelete(ctx, idx); err != nil {
			return err
		}
	}
	return kv.KVPut(ctx, keyIndexMigrated, []byte("1"), false)
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) requireUser(r *http.Request) (*User, error) {
	info, err := s.auth.userFromRequest(r)
	if err != nil || info == nil {
		return nil, errUnauthorized("")
	}
	return info.user, nil
}

// handleAPIKeyCreate is POST /api-key/create {"name", "expiry_days"?}.
func (s *Server) handleAPIKeyCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	body := map[string]any{}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	name, ok := body["name"].(string)
	if !ok {
		return errValidation(missing("body", "name"))
	}
	days := s.cfg.APIKeyExpiryDays
	if v, ok := body["expiry_days"]; ok && v != nil {
		n, isInt := fromJSON(v).(interp.Int)
		if !isInt || n < 0 {
			return errValidation(validationItem{Type: "int_type", Loc: []any{"body", "expiry_days"}, Msg: "Input should be a valid integer"})
		}
		if n > maxExpiryDays {
			return errValidation(validationItem{Type: "less_than_equal", Loc: []any{"body", "expiry_days"},
				Msg: fmt.Sprintf("Input should be less than or equal to %d", maxExpiryDays)})
		}
		days = int(n)
	}
	if len(name) > maxKeyNameBytes {
		return errValidation(validationItem{Type: "string_too_long", Loc: []any{"body", "name"},
			Msg: fmt.Sprintf("String should have at most %d bytes", maxKeyNameBytes)})
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	key := "jac_" + base64.RawURLEncoding.EncodeToString(raw)
	idb := make([]byte, 12)
	rand.Read(idb)
	now := time.Now().UTC()
	k := &apiKey{ID: hex.EncodeToString(idb), Name: name, Owner: u.Username, RootID: u.RootID, Hash: hashKey(key),
		CreatedAt: now.Format(time.RFC3339)}
	if days > 0 {
		k.ExpiresAt = now.Add(time.Duration(days) * 24 * time.Hour).Format(time.RFC3339)
	}
	data, _ := json.Marshal(k)
	ctx := r.Context()
	if err := s.auth.kv.KVPut(ctx, "apikey:"+k.Hash, data, true); err != nil {
		return storeErr(err)
	}
	if err := s.auth.kv.KVPut(ctx, "apikeyid:"+k.ID, []byte(k.Hash), false); err != nil {
		return storeErr(err)
	}
	ids, err := s.userKeys(ctx, u)
	if err != nil {
		return storeErr(err)
	}
	if err := s.setUserKeys(ctx, u, append(ids, k.ID)); err != nil {
		return storeErr(err)
	}
	out := map[string]any{"api_key": key, "api_key_id": k.ID, "name": k.Name, "created_at": k.CreatedAt, "expires_at": nil}
	if k.ExpiresAt != "" {
		out["expires_at"] = k.ExpiresAt
	}
	writeOK(w, http.StatusCreated, out)
	return nil
}

// loadKeyRecord finds a key by id (nil when there is none).
func loadKeyRecord(ctx context.Context, kv memory.Backend, id string) (*apiKey, error) {
	if len(id) > maxKeyIDBytes {
		return nil, nil // no key has such an id
	}
	hash, err := kv.KVGet(ctx, "apikeyid:"+id)
	if err != nil || hash == nil {
		return nil, err
	}
	data, err := kv.KVGet(ctx, "apikey:"+string(hash))
	if err != nil || data == nil {
		return nil, err
	}
	var k apiKey
	return &k, json.Unmarshal(data, &k)
}

// keyOwner is the user a key belongs to: the user whose root is the key's
// root id (nil when that user is gone).
func (s *Server) keyOwner(ctx context.Context, k *apiKey) (*User, error) {
	name, err := s.auth.kv.KVGet(ctx, "root:"+k.RootID)
	if err != nil || name == nil {
		return nil, err
	}
	u, err := s.auth.getUser(ctx, string(name))
	if err != nil || u == nil || u.RootID != k.RootID {
		return nil, err
	}
	return u, nil
}

// handleAPIKeyList is GET /api-key/list: the caller's keys, never the key itself.
func (s *Server) handleAPIKeyList(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	ids, err := s.userKeys(r.Context(), u)
	if err != nil {
		return storeErr(err)
	}
	keys := []map[string]any{}
	for _, id := range ids {
		k, err := loadKeyRecord(r.Context(), s.auth.kv, id)
		if err != nil || k == nil {
			continue
		}
		keys = append(keys, map[string]any{"api_key_id": k.ID, "name": k.Name, "created_at": k.CreatedAt, "expires_at": nullable(k.ExpiresAt)})
	}
	writeOK(w, http.StatusOK, map[string]any{"api_keys": keys})
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// handleAPIKeyDelete is DELETE /api-key/{id}: revocation takes effect at once on
// every process (the key record is gone from the shared store).
func (s *Server) handleAPIKeyDelete(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	k, err := loadKeyRecord(r.Context(), s.auth.kv, id)
	if err != nil {
		return storeErr(err)
	}
	if k == nil {
		return envelopeErr(http.StatusNotFound, "NOT_FOUND", "API key not found")
	}
	if k.RootID != u.RootID {
		return envelopeErr(http.StatusForbidden, "FORBIDDEN", "API key belongs to another user")
	}
	ctx := r.Context()
	for _, key := range []string{"apikey:" + k.Hash, "apikeyid:" + k.ID} {
		if err := s.auth.kv.KVDelete(ctx, key); err != nil {
			return storeErr(err)
		}
	}
	ids, err := s.userKeys(ctx, u)
	if err != nil {
		return storeErr(err)
	}
	if err := s.setUserKeys(ctx, u, slices.DeleteFunc(ids, func(x string) bool { return x == id })); err != nil {
		return storeErr(err)
	}
	writeOK(w, http.StatusOK, map[string]any{"revoked": true, "api_key_id": id})
	return nil
}

// serveWebhook runs a webhook walker on the API key owner's root after checking
// the key and, when configured, the HMAC-SHA256 signature of the raw body.
func (s *Server) serveWebhook(w http.ResponseWriter, r *http.Request, ep *endpoint) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return envelopeErr(http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "webhook body exceeds the limit")
	}
	key := r.Header.Get(s.cfg.WebhookKeyHeader)
	if key == "" {
		return errUnauthorized("Missing API key")
	}
	if len(key) > maxAPIKeyBytes {
		return errUnauthorized("Invalid API key")
	}
	data, err := s.auth.kv.KVGet(r.Context(), "apikey:"+hashKey(key))
	if err != nil {
		return storeErr(err)
	}
	if data == nil {
		return errUnauthorized("Invalid API key")
	}
	var k apiKey
	if err := json.Unmarshal(data, &k); err != nil {
		return storeErr(fmt.Errorf("API key record: %w", err))
	}
	if k.ExpiresAt != "" {
		if exp, err := time.Parse(time.RFC3339, k.ExpiresAt); err == nil && time.Now().After(exp) {
			return errUnauthorized("API key expired")
		}
	}
	if s.cfg.WebhookVerifySignature {
		signed, err := s.signedMessage(r, raw, time.Now())
		if err != nil {
			return err
		}
		if !validSignature(key, signed, r.Header.Get(s.cfg.WebhookSignatureHeader)) {
			return errUnauthorized("Invalid webhook signature")
		}
	}
	owner, err := s.keyOwner(r.Context(), &k)
	if err != nil {
		return storeErr(err)
	}
	if owner == nil {
		return errUnauthorized("API key owner no longer exists")
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	r.Header.Del("Authorization")
	return s.runEndpoint(w, r, ep, "", owner, owner.Root())
}

// signedMessage is what the webhook signature covers: the raw body, or with a
// replay window "<timestamp>.<body>" for a timestamp header within the window.
func (s *Server) signedMessage(r *http.Request, raw []byte, now time.Time) ([]byte, error) {
	if s.cfg.WebhookReplayWindow <= 0 {
		return raw, nil
	}
	h := s.cfg.WebhookTimestampHeader
	ts, err := strconv.ParseInt(strings.TrimSpace(r.Header.Get(h)), 10, 64)
	if err != nil {
		return nil, errUnauthorized("Missing or malformed " + h + " header")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > s.cfg.WebhookReplayWindow || d < -s.cfg.WebhookReplayWindow {
		return nil, errUnauthorized("Webhook timestamp outside the replay window")
	}
	return append([]byte(strconv.FormatInt(ts, 10)+"."), raw...), nil
}

// validSignature checks a lowercase-hex HMAC-SHA256 of body (optional "sha256=").
func validSignature(secret string, body []byte, header string) bool {
	got := strings.TrimPrefix(strings.TrimSpace(header), "sha256=")
	want, err := hex.DecodeString(got)
	if err != nil || len(want) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), want)
}
