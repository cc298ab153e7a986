package stdlib

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"math/big"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

func scBytesArg(th *interp.Thread, v interp.Value, what string) []byte {
	switch x := v.(type) {
	case interp.Bytes:
		return []byte(x)
	case interp.Str:
		if what == "" {
			return []byte(x)
		}
	}
	th.TypeError("%s: expected bytes or bytearray, but got '%s'", what, interp.TypeName(v))
	return nil
}

func scRandBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func scNbytes(th *interp.Thread, args []interp.Value, kw []interp.KV, name string) int {
	a := interp.ParseArgs(th, name, args, kw, "nbytes?")
	if a[0] == nil || a[0] == interp.None {
		return 32
	}
	n := int(interp.ToInt64(th, a[0]))
	if n < 0 {
		th.ValueError("negative argument not allowed")
	}
	return n
}

func scRandBelow(th *interp.Thread, n *big.Int) *big.Int {
	if n.Sign() <= 0 {
		th.ValueError("Upper bound must be positive.")
	}
	r, _ := rand.Int(rand.Reader, n)
	return r
}

func scCompare(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
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
		x, y = scBytesArg(th, args[0], "compare_digest"), scBytesArg(th, args[1], "compare_digest")
	}
	return interp.MakeBool(subtle.ConstantTimeCompare(x, y) == 1)
}

func scHashNew(name string) (func() hash.Hash, int, bool) {
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

// scHMAC is an hmac.HMAC object.
type scHMAC struct {
	h     hash.Hash
	name  string
	block int
	key   []byte
	msg   []byte
	newH  func() hash.Hash
}

var scHMACClass = func() *interp.Class { c := interp.NewBuiltinClass("HMAC"); c.Module = "hmac"; return c }()

func (*scHMAC) Class() *interp.Class { return scHMACClass }

func (h *scHMAC) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "name":
		return interp.Str("hmac-" + h.name), true
	case "digest_size":
		return interp.MakeInt(int64(h.h.Size())), true
	case "block_size":
		return interp.MakeInt(int64(h.block)), true
	case "update":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			b := scBytesArg(th, args[0], "update")
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
			c := &scHMAC{h: hmac.New(h.newH, h.key), name: h.name, block: h.block, key: h.key, newH: h.newH, msg: append([]byte{}, h.msg...)}
			c.h.Write(c.msg)
			return c
		}), true
	}
	return nil, false
}

func scDigestName(th *interp.Thread, v interp.Value) string {
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

func scNewHMAC(th *interp.Thread, key []byte, msg interp.Value, digestmod interp.Value) *scHMAC {
	if digestmod == nil || digestmod == interp.None {
		th.TypeError("Missing required parameter 'digestmod'.")
	}
	name := scDigestName(th, digestmod)
	newH, block, ok := scHashNew(name)
	if !ok {
		th.ValueError("unsupported hash type %s", name)
	}
	h := &scHMAC{h: hmac.New(newH, key), name: strings.TrimPrefix(strings.ToLower(name), "openssl_"), block: block, key: key, newH: newH}
	if msg != nil && msg != interp.None {
		b := scBytesArg(th, msg, "msg")
		h.h.Write(b)
		h.msg = b
	}
	return h
}

func init() {
	interp.RegisterModule("secrets", func() *interp.Module {
		m := interp.NewModule("secrets")
		m.Set("token_bytes", interp.NewBuiltin("token_bytes", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Bytes(scRandBytes(scNbytes(th, args, kw, "token_bytes")))
		}))
		m.Set("token_hex", interp.NewBuiltin("token_hex", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(hex.EncodeToString(scRandBytes(scNbytes(th, args, kw, "token_hex"))))
		}))
		m.Set("token_urlsafe", interp.NewBuiltin("token_urlsafe", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(base64.RawURLEncoding.EncodeToString(scRandBytes(scNbytes(th, args, kw, "token_urlsafe"))))
		}))
		m.Set("randbelow", interp.NewBuiltin("randbelow", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("randbelow() takes 1 positional argument")
			}
			return interp.MakeBigInt(scRandBelow(th, mBigOf(th, args[0])))
		}))
		m.Set("randbits", interp.NewBuiltin("randbits", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			k := interp.ToInt64(th, args[0])
			if k < 0 {
				th.ValueError("number of bits must be non-negative")
			}
			if k == 0 {
				return interp.MakeInt(0)
			}
			return interp.MakeBigInt(scRandBelow(th, new(big.Int).Lsh(big.NewInt(1), uint(k))))
		}))
		m.Set("choice", interp.NewBuiltin("choice", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("choice() takes 1 positional argument")
			}
			n := interp.Len(th, args[0])
			if n == 0 {
				th.Raise(interp.IndexErrorClass, "Cannot choose from an empty sequence")
			}
			i := scRandBelow(th, big.NewInt(int64(n)))
			return interp.GetItem(th, args[0], interp.MakeInt(i.Int64()))
		}))
		m.Set("compare_digest", interp.NewBuiltin("compare_digest", scCompare))
		return m
	})
	interp.RegisterModule("hmac", func() *interp.Module {
		m := interp.NewModule("hmac")
		m.Set("HMAC", scHMACClass)
		m.Set("new", interp.NewBuiltin("new", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "new", args, kw, "key", "msg?", "digestmod?")
			return scNewHMAC(th, scBytesArg(th, a[0], "key"), a[1], a[2])
		}))
		m.Set("digest", interp.NewBuiltin("digest", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "digest", args, kw, "key", "msg", "digest")
			return interp.Bytes(scNewHMAC(th, scBytesArg(th, a[0], "key"), a[1], a[2]).h.Sum(nil))
		}))
		m.Set("compare_digest", interp.NewBuiltin("compare_digest", scCompare))
		return m
	})
}
