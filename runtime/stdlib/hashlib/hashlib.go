// Package hashlib implements the part of Python's hashlib module programs use:
// md5, sha1, sha256 and sha512 hash objects.
package hashlib

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

var class = interp.NewBuiltinClass("HASH", interp.ObjectClass)

type value struct{ h hash.Hash }

func (*value) Class() *interp.Class { return class }

// AttrJac implements update/hexdigest/digest.
func (h *value) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "update":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			h.h.Write([]byte(native.BytesOf(th, a[0])))
			return interp.None
		}), true
	case "hexdigest":
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Str(hex.EncodeToString(h.h.Sum(nil)))
		}), true
	case "digest":
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.Bytes(h.h.Sum(nil))
		}), true
	}
	return nil, false
}

func init() {
	interp.RegisterModule("hashlib", func() *interp.Module {
		m := interp.NewModule("hashlib")
		for name, mk := range map[string]func() hash.Hash{"sha256": sha256.New, "sha1": sha1.New, "md5": md5.New, "sha512": sha512.New} {
			mk := mk
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				h := &value{h: mk()}
				if len(a) > 0 {
					h.h.Write([]byte(native.BytesOf(th, a[0])))
				}
				return h
			}))
		}
		return m
	})
}
