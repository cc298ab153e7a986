// Package secrets implements Python's secrets module: token_bytes, token_hex,
// token_urlsafe, randbelow, randbits, choice and compare_digest.
package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	pyhmac "github.com/jacscale/jac/runtime/stdlib/hmac"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func nbytesArg(th *interp.Thread, args []interp.Value, kw []interp.KV, name string) int {
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

func randBelow(th *interp.Thread, n *big.Int) *big.Int {
	if n.Sign() <= 0 {
		th.ValueError("Upper bound must be positive.")
	}
	r, _ := rand.Int(rand.Reader, n)
	return r
}

func init() {
	interp.RegisterModule("secrets", func() *interp.Module {
		m := interp.NewModule("secrets")
		m.Set("token_bytes", interp.NewBuiltin("token_bytes", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Bytes(randBytes(nbytesArg(th, args, kw, "token_bytes")))
		}))
		m.Set("token_hex", interp.NewBuiltin("token_hex", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(hex.EncodeToString(randBytes(nbytesArg(th, args, kw, "token_hex"))))
		}))
		m.Set("token_urlsafe", interp.NewBuiltin("token_urlsafe", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(base64.RawURLEncoding.EncodeToString(randBytes(nbytesArg(th, args, kw, "token_urlsafe"))))
		}))
		m.Set("randbelow", interp.NewBuiltin("randbelow", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("randbelow() takes 1 positional argument")
			}
			return interp.MakeBigInt(randBelow(th, native.BigInt(th, args[0])))
		}))
		m.Set("randbits", interp.NewBuiltin("randbits", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			k := interp.ToInt64(th, args[0])
			if k < 0 {
				th.ValueError("number of bits must be non-negative")
			}
			if k == 0 {
				return interp.MakeInt(0)
			}
			return interp.MakeBigInt(randBelow(th, new(big.Int).Lsh(big.NewInt(1), uint(k))))
		}))
		m.Set("choice", interp.NewBuiltin("choice", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("choice() takes 1 positional argument")
			}
			n := interp.Len(th, args[0])
			if n == 0 {
				th.Raise(interp.IndexErrorClass, "Cannot choose from an empty sequence")
			}
			i := randBelow(th, big.NewInt(int64(n)))
			return interp.GetItem(th, args[0], interp.MakeInt(i.Int64()))
		}))
		m.Set("compare_digest", interp.NewBuiltin("compare_digest", pyhmac.CompareDigest))
		return m
	})
}
