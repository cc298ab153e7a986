// Package sys implements the part of Python's sys module programs use.
package sys

import (
	"os"
	"runtime"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

func init() {
	interp.RegisterModule("sys", func() *interp.Module {
		m := interp.NewModule("sys")
		m.Set("argv", native.StrList(os.Args[1:]...))
		m.Set("version", interp.Str("3.12.0 (jac-scale for Go)"))
		m.Set("platform", interp.Str(runtime.GOOS))
		m.Set("maxsize", interp.MakeInt(1<<63-1))
		m.Set("path", interp.NewList(nil))
		m.Set("get_int_max_str_digits", interp.NewBuiltin("get_int_max_str_digits", func(th *interp.Thread, _ []interp.Value, _ []interp.KV) interp.Value {
			return interp.MakeInt(th.IntMaxStrDigits())
		}))
		m.Set("set_int_max_str_digits", interp.NewBuiltin("set_int_max_str_digits", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "set_int_max_str_digits", a, kw, "maxdigits")
			th.SetIntMaxStrDigits(interp.ToInt64(th, p[0]))
			return interp.None
		}))
		m.Set("exit", interp.NewBuiltin("exit", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			exc, _ := th.Call(interp.SystemExitClass, a, nil).(*interp.Instance)
			th.RaiseValue(exc)
			return interp.None
		}))
		return m
	})
}
