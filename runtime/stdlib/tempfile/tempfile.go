// Package tempfile implements the part of Python's tempfile module programs
// use: mkdtemp, mkstemp and gettempdir.
package tempfile

import (
	"os"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/pathlib"
)

// nameArgs reads tempfile's (suffix, prefix, dir) arguments, with
// Python's defaults ("", "tmp", the system temp dir).
func nameArgs(th *interp.Thread, a []interp.Value) (suffix, prefix, dir string) {
	suffix, prefix = "", "tmp"
	if a[0] != nil && a[0] != interp.None {
		suffix = interp.ToStr(th, a[0])
	}
	if a[1] != nil && a[1] != interp.None {
		prefix = interp.ToStr(th, a[1])
	}
	if a[2] != nil && a[2] != interp.None {
		dir = pathlib.FSPath(th, a[2])
	}
	return suffix, prefix, dir
}

func init() {
	interp.RegisterModule("tempfile", func() *interp.Module {
		m := interp.NewModule("tempfile")
		m.Set("gettempdir", interp.NewBuiltin("gettempdir", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(os.TempDir())
		}))
		m.Set("mkdtemp", interp.NewBuiltin("mkdtemp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mkdtemp", args, kw, "suffix?", "prefix?", "dir?")
			suf, pre, dir := nameArgs(th, a)
			d, err := os.MkdirTemp(dir, pre+"*"+suf)
			if err != nil {
				pathlib.RaiseOSError(th, err, dir)
			}
			return interp.Str(d)
		}))
		m.Set("mkstemp", interp.NewBuiltin("mkstemp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mkstemp", args, kw, "suffix?", "prefix?", "dir?", "text?")
			suf, pre, dir := nameArgs(th, a)
			f, err := os.CreateTemp(dir, pre+"*"+suf)
			if err != nil {
				pathlib.RaiseOSError(th, err, dir)
			}
			name := f.Name()
			f.Close()
			return interp.Tuple{interp.MakeInt(-1), interp.Str(name)}
		}))
		return m
	})
}
