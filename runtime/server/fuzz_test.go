package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// FuzzValidSignature: the webhook signature check never panics, accepts the
// correct signature (with or without "sha256=") and nothing else.
func FuzzValidSignature(f *testing.F) {
	f.Add("key", []byte(`{"a":1}`), "")
	f.Add("jac_x", []byte{}, "sha256=00")
	f.Add("", []byte("body"), "zz")
	f.Fuzz(func(t *testing.T, key string, body []byte, header string) {
		mac := hmac.New(sha256.New, []byte(key))
		mac.Write(body)
		good := hex.EncodeToString(mac.Sum(nil))
		if !validSignature(key, body, good) || !validSignature(key, body, "sha256="+good) {
			t.Fatal("correct signature refused")
		}
		if validSignature(key, body, header) && header != good && header != "sha256="+good {
			// only other spellings of the same digest may pass (case, whitespace)
			if got, _ := hex.DecodeString(trimSig(header)); !hmac.Equal(got, mac.Sum(nil)) {
				t.Fatalf("wrong signature %q accepted", header)
			}
		}
	})
}

func trimSig(h string) string {
	for len(h) > 0 && (h[0] == ' ' || h[0] == '\t') {
		h = h[1:]
	}
	if len(h) >= 7 && h[:7] == "sha256=" {
		h = h[7:]
	}
	for len(h) > 0 && (h[len(h)-1] == ' ' || h[len(h)-1] == '\t') {
		h = h[:len(h)-1]
	}
	return h
}
