// Package base64 implements the part of Python's base64 module programs use:
// b64encode/b64decode and their URL-safe forms.
package base64

import (
	"encoding/base64"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

func init() {
	interp.RegisterModule("base64", func() *interp.Module {
		m := interp.NewModule("base64")
		enc := func(name string, e *base64.Encoding) {
			m.Set(name+"encode", interp.NewBuiltin(name+"encode", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				return interp.Bytes(e.EncodeToString([]byte(native.BytesOf(th, a[0]))))
			}))
			m.Set(name+"decode", interp.NewBuiltin(name+"decode", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				out, err := e.DecodeString(native.BytesOf(th, a[0]))
				if err != nil {
					th.ValueError("Incorrect padding")
				}
				return interp.Bytes(out)
			}))
		}
		enc("b64", base64.StdEncoding)
		enc("urlsafe_b64", base64.URLEncoding)
		return m
	})
}
