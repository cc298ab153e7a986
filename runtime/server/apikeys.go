package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// apiKey is a stored API key; only the SHA-256 of the key itself is kept.
type apiKey struct {
	ID        string `json:"api_key_id"`
	Name      string `json:"name"`
	Owner     string `json:"owner"`
	RootID    string `json:"root_id"`
	Hash      string `json:"hash"`
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at,omitempty"`
}

func hashKey(k string) string {
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:])
}

func (s *Server) userKeys(r *http.Request, user string) ([]string, error) {
	data, err := s.auth.kv.KVGet(r.Context(), "userkeys:"+user)
	if err != nil || data == nil {
		return nil, err
	}
	var ids []string
	json.Unmarshal(data, &ids)
	return ids, nil
}

func (s *Server) setUserKeys(r *http.Request, user string, ids []string) error {
	data, _ := json.Marshal(ids)
	return s.auth.kv.KVPut(r.Context(), "userkeys:"+user, data, false)
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
		days = int(n)
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
	s.auth.kv.KVPut(ctx, "apikeyid:"+k.ID, []byte(k.Hash), false)
	ids, _ := s.userKeys(r, u.Username)
	s.setUserKeys(r, u.Username, append(ids, k.ID))
	out := map[string]any{"api_key": key, "api_key_id": k.ID, "name": k.Name, "created_at": k.CreatedAt, "expires_at": nil}
	if k.ExpiresAt != "" {
		out["expires_at"] = k.ExpiresAt
	}
	writeOK(w, http.StatusCreated, out)
	return nil
}

func (s *Server) loadKey(r *http.Request, id string) (*apiKey, error) {
	hash, err := s.auth.kv.KVGet(r.Context(), "apikeyid:"+id)
	if err != nil || hash == nil {
		return nil, err
	}
	data, err := s.auth.kv.KVGet(r.Context(), "apikey:"+string(hash))
	if err != nil || data == nil {
		return nil, err
	}
	var k apiKey
	return &k, json.Unmarshal(data, &k)
}

// handleAPIKeyList is GET /api-key/list: the caller's keys, never the key itself.
func (s *Server) handleAPIKeyList(w http.ResponseWriter, r *http.Request) error {
	u, err := s.requireUser(r)
	if err != nil {
		return err
	}
	ids, err := s.userKeys(r, u.Username)
	if err != nil {
		return storeErr(err)
	}
	keys := []map[string]any{}
	for _, id := range ids {
		k, err := s.loadKey(r, id)
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
	k, err := s.loadKey(r, id)
	if err != nil {
		return storeErr(err)
	}
	if k == nil {
		return envelopeErr(http.StatusNotFound, "NOT_FOUND", "API key not found")
	}
	if k.Owner != u.Username {
		return envelopeErr(http.StatusForbidden, "FORBIDDEN", "API key belongs to another user")
	}
	ctx := r.Context()
	s.auth.kv.KVDelete(ctx, "apikey:"+k.Hash)
	s.auth.kv.KVDelete(ctx, "apikeyid:"+k.ID)
	ids, _ := s.userKeys(r, u.Username)
	var keep []string
	for _, x := range ids {
		if x != id {
			keep = append(keep, x)
		}
	}
	s.setUserKeys(r, u.Username, keep)
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
	data, err := s.auth.kv.KVGet(r.Context(), "apikey:"+hashKey(key))
	if err != nil {
		return storeErr(err)
	}
	if data == nil {
		return errUnauthorized("Invalid API key")
	}
	var k apiKey
	json.Unmarshal(data, &k)
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
	owner, err := s.auth.getUser(r.Context(), k.Owner)
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
