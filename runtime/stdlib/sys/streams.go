package sys

import (
	"os"
	"unicode/utf8"

	"github.com/jacscale/jac/runtime/interp"
)

// stream is sys.stdout or sys.stderr. sys.stdout writes where print() writes (the
// thread's output: the terminal of `jac run`, a request's captured output in the
// server); sys.stderr writes to the process's standard error, after flushing the
// thread's output so that the two interleave in program order.
type stream struct {
	name   string // "<stdout>" or "<stderr>"
	stderr bool
}

var streamClass = func() *interp.Class {
	c := interp.NewBuiltinClass("TextIOWrapper")
	c.Module = "_io"
	return c
}()

func (s *stream) Class() *interp.Class { return streamClass }

func (s *stream) ReprJac(th *interp.Thread) string {
	return "<_io.TextIOWrapper name='" + s.name + "' mode='w' encoding='utf-8'>"
}

// WriteJac lets print(..., file=sys.stderr) write here.
func (s *stream) WriteJac(th *interp.Thread, str string) {
	if !s.stderr {
		th.Out.WriteString(str)
		return
	}
	th.Out.Flush()
	os.Stderr.WriteString(str)
}

func (s *stream) flush(th *interp.Thread) {
	if !s.stderr {
		th.Out.Flush()
	}
}

func (s *stream) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	method := func(f func(th *interp.Thread, args []interp.Value) interp.Value) (interp.Value, bool) {
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return f(th, args)
		}), true
	}
	switch name {
	case "name":
		return interp.Str(s.name), true
	case "encoding":
		return interp.Str("utf-8"), true
	case "mode":
		return interp.Str("w"), true
	case "closed":
		return interp.False, true
	case "write":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value {
			if len(args) != 1 {
				th.TypeError("write() takes exactly one argument (%d given)", len(args))
			}
			str, ok := args[0].(interp.Str)
			if !ok {
				th.TypeError("write() argument must be str, not %s", args[0].Class().Name)
			}
			s.WriteJac(th, string(str))
			return interp.MakeInt(int64(utf8.RuneCountInString(string(str))))
		})
	case "writelines":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value {
			if len(args) != 1 {
				th.TypeError("writelines() takes exactly one argument (%d given)", len(args))
			}
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				str, ok := v.(interp.Str)
				if !ok {
					th.TypeError("write() argument must be str, not %s", v.Class().Name)
				}
				s.WriteJac(th, string(str))
				return true
			})
			return interp.None
		})
	case "flush":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value {
			s.flush(th)
			return interp.None
		})
	case "isatty", "readable", "seekable":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value { return interp.False })
	case "writable":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value { return interp.True })
	case "fileno":
		return method(func(th *interp.Thread, args []interp.Value) interp.Value {
			if s.stderr {
				return interp.MakeInt(2)
			}
			return interp.MakeInt(1)
		})
	}
	return nil, false
}
