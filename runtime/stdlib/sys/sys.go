// Package sys implements the part of Python's sys module programs use: argv,
// version and version_info, the standard streams, exc_info and exception, the
// recursion limit, the int-str digit limit and exit.
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
		stdout, stderr := &stream{name: "<stdout>"}, &stream{name: "<stderr>", stderr: true}
		m.Set("stdout", stdout)
		m.Set("stderr", stderr)
		m.Set("__stdout__", stdout)
		m.Set("__stderr__", stderr)
		m.Set("version_info", &native.NamedTuple{Name: "sys.version_info",
			Fields: []string{"major", "minor", "micro", "releaselevel", "serial"},
			Vals:   interp.Tuple{interp.MakeInt(3), interp.MakeInt(12), interp.MakeInt(0), interp.Str("final"), interp.MakeInt(0)}})
		m.Set("byteorder", interp.Str("little"))
		m.Set("exc_info", interp.NewBuiltin("exc_info", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			interp.ParseArgs(th, "exc_info", a, kw)
			if e := th.HandledException(); e != nil {
				return interp.Tuple{e.Class(), e, interp.None}
			}
			return interp.Tuple{interp.None, interp.None, interp.None}
		}))
		m.Set("exception", interp.NewBuiltin("exception", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			interp.ParseArgs(th, "exception", a, kw)
			if e := th.HandledException(); e != nil {
				return e
			}
			return interp.None
		}))
		m.Set("getrecursionlimit", interp.NewBuiltin("getrecursionlimit", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			interp.ParseArgs(th, "getrecursionlimit", a, kw)
			return interp.MakeInt(th.Prog.RecursionLimit())
		}))
		m.Set("setrecursionlimit", interp.NewBuiltin("setrecursionlimit", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "setrecursionlimit", a, kw, "limit")
			n, ok := p[0].(interp.Int)
			if !ok {
				th.TypeError("'%s' object cannot be interpreted as an integer", p[0].Class().Name)
			}
			th.SetRecursionLimit(int64(n))
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
