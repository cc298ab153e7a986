// Package hmac implements Python's hmac module: new, digest and compare_digest.
package hmac

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// CompareDigest is hmac.compare_digest (and secrets.compare_digest): a
// constant-time comparison of two str or two bytes values.
func CompareDigest(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) != 2 {
		th.TypeError("compare_digest expected 2 arguments, got %d", len(args))
	}
	a, aStr := args[0].(interp.Str)
	b, bStr := args[1].(interp.Str)
	if aStr != bStr {
		th.TypeError("a bytes-like object is required, not '%s'", interp.TypeName(args[0]))
	}
	var x, y []byte
	if aStr {
		x, y = []byte(a), []byte(b)
	} else {
		x, y = native.BytesArg(th, args[0], "compare_digest"), native.BytesArg(th, args[1], "compare_digest")
	}
	return interp.MakeBool(subtle.ConstantTimeCompare(x, y) == 1)
}

func hashConstructor(name string) (func() hash.Hash, int, bool) {
	switch strings.TrimPrefix(strings.ToLower(name), "openssl_") {
	case "sha256":
		return sha256.New, 64, true
	case "sha1":
		return sha1.New, 64, true
	case "md5":
		return md5.New, 64, true
	case "sha512":
		return sha512.New, 128, true
	case "sha384":
		return sha512.New384, 128, true
	case "sha224":
		return sha256.New224, 64, true
	}
	return nil, 0, false
}

// hmacValue is an hmac.HMAC object.
type hmacValue struct {
	h     hash.Hash
	name  string
	block int
	key   []byte
	msg   []byte
	newH  func() hash.Hash
}

var hmacClass = func() *interp.Class { c := interp.NewBuiltinClass("HMAC"); c.Module = "hmac"; return c }()

func (*hmacValue) Class() *interp.Class { return hmacClass }

func (h *hmacValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "name":
		return interp.Str("hmac-" + h.name), true
	case "digest_size":
		return interp.MakeInt(int64(h.h.Size())), true
	case "block_size":
		return interp.MakeInt(int64(h.block)), true
	case "update":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			b := native.BytesArg(th, args[0], "update")
			h.h.Write(b)
			h.msg = append(h.msg, b...)
			return interp.None
		}), true
	case "digest":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Bytes(h.h.Sum(nil))
		}), true
	case "hexdigest":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(hex.EncodeToString(h.h.Sum(nil)))
		}), true
	case "copy":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			c := &hmacValue{h: hmac.New(h.newH, h.key), name: h.name, block: h.block, key: h.key, newH: h.newH, msg: append([]byte{}, h.msg...)}
			c.h.Write(c.msg)
			return c
		}), true
	}
	return nil, false
}

func digestName(th *interp.Thread, v interp.Value) string {
	if s, ok := v.(interp.Str); ok {
		return string(s)
	}
	if n, ok := interp.LookupAttr(th, v, "__name__"); ok {
		return interp.ToStr(th, n)
	}
	if n, ok := interp.LookupAttr(th, v, "name"); ok {
		return interp.ToStr(th, n)
	}
	th.TypeError("Missing required parameter 'digestmod'.")
	return ""
}

func newHMAC(th *interp.Thread, key []byte, msg interp.Value, digestmod interp.Value) *hmacValue {
	if digestmod == nil || digestmod == interp.None {
		th.TypeError("Missing required parameter 'digestmod'.")
	}
	name := digestName(th, digestmod)
	newH, block, ok := hashConstructor(name)
	if !ok {
		th.ValueError("unsupported hash type %s", name)
	}
	h := &hmacValue{h: hmac.New(newH, key), name: strings.TrimPrefix(strings.ToLower(name), "openssl_"), block: block, key: key, newH: newH}
	if msg != nil && msg != interp.None {
		b := native.BytesArg(th, msg, "msg")
		h.h.Write(b)
		h.msg = b
	}
	return h
}

func init() {
	interp.RegisterModule("hmac", func() *interp.Module {
		m := interp.NewModule("hmac")
		m.Set("HMAC", hmacClass)
		m.Set("new", interp.NewBuiltin("new", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "new", args, kw, "key", "msg?", "digestmod?")
			return newHMAC(th, native.BytesArg(th, a[0], "key"), a[1], a[2])
		}))
		m.Set("digest", interp.NewBuiltin("digest", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "digest", args, kw, "key", "msg", "digest")
			return interp.Bytes(newHMAC(th, native.BytesArg(th, a[0], "key"), a[1], a[2]).h.Sum(nil))
		}))
		m.Set("compare_digest", interp.NewBuiltin("compare_digest", CompareDigest))
		return m
	})
}
