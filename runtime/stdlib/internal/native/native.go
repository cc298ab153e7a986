// Package native holds what several of the modules implemented in Go share:
// argument helpers, class-kind classes whose methods go through self, a small
// read-only named tuple, and integer conversions. Nothing here is a Python
// module of its own.
package native

import "github.com/jacscale/jac/runtime/interp"

// Func is the signature of a module function written in Go.
type Func = func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value

// CheckArgCount raises TypeError when fewer than n arguments were given.
func CheckArgCount(th *interp.Thread, name string, args []interp.Value, n int) {
	if len(args) < n {
		th.TypeError("%s() missing required argument", name)
	}
}

// Kwarg is the keyword argument name (ok false when absent).
func Kwarg(kw []interp.KV, name string) (interp.Value, bool) {
	for _, a := range kw {
		if a.Name == name {
			return a.Value, true
		}
	}
	return nil, false
}

// StrList is a Jac list of the strings ss.
func StrList(ss ...string) interp.Value {
	out := make([]interp.Value, len(ss))
	for i, s := range ss {
		out[i] = interp.Str(s)
	}
	return interp.NewList(out)
}

// BytesOf is the content of a bytes or str argument (hashlib, base64).
func BytesOf(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Bytes:
		return string(x)
	case interp.Str:
		return string(x)
	}
	th.TypeError("a bytes-like object is required, not '%s'", interp.TypeName(v))
	return ""
}

// BytesArg is a bytes argument; a str is accepted only when what is empty,
// otherwise TypeError names what ("key: expected bytes or bytearray ...").
func BytesArg(th *interp.Thread, v interp.Value, what string) []byte {
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
