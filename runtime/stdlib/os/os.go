// Package os implements the part of Python's os and os.path modules programs
// use: the environment, the file system functions and path manipulation.
package os

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

func pathModule() *interp.Module {
	m := interp.NewModule("os.path")
	s1 := func(name string, f func(string) interp.Value) {
		m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return f(interp.ToStr(th, a[0]))
		}))
	}
	m.Set("join", interp.NewBuiltin("join", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		out := ""
		for _, p := range a {
			s := interp.ToStr(th, p)
			if strings.HasPrefix(s, "/") || out == "" {
				out = s
			} else if strings.HasSuffix(out, "/") {
				out += s
			} else {
				out += "/" + s
			}
		}
		return interp.Str(out)
	}))
	s1("exists", func(p string) interp.Value { _, err := os.Stat(p); return interp.MakeBool(err == nil) })
	s1("isfile", func(p string) interp.Value {
		st, err := os.Stat(p)
		return interp.MakeBool(err == nil && st.Mode().IsRegular())
	})
	s1("isdir", func(p string) interp.Value { st, err := os.Stat(p); return interp.MakeBool(err == nil && st.IsDir()) })
	s1("basename", func(p string) interp.Value { return interp.Str(p[strings.LastIndex(p, "/")+1:]) })
	s1("dirname", func(p string) interp.Value {
		i := strings.LastIndex(p, "/")
		if i < 0 {
			return interp.Str("")
		}
		if i == 0 {
			return interp.Str("/")
		}
		return interp.Str(p[:i])
	})
	s1("abspath", func(p string) interp.Value { a, _ := filepath.Abs(p); return interp.Str(a) })
	s1("normpath", func(p string) interp.Value { return interp.Str(filepath.Clean(p)) })
	s1("expanduser", func(p string) interp.Value {
		if strings.HasPrefix(p, "~") {
			h, _ := os.UserHomeDir()
			return interp.Str(h + p[1:])
		}
		return interp.Str(p)
	})
	s1("splitext", func(p string) interp.Value {
		ext := filepath.Ext(p)
		if strings.HasPrefix(filepath.Base(p), ".") && ext == filepath.Base(p) {
			ext = ""
		}
		return interp.Tuple{interp.Str(p[:len(p)-len(ext)]), interp.Str(ext)}
	})
	s1("split", func(p string) interp.Value {
		i := strings.LastIndex(p, "/")
		return interp.Tuple{interp.Str(p[:max(i, 0)]), interp.Str(p[i+1:])}
	})
	m.Set("getsize", interp.NewBuiltin("getsize", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ToStr(th, a[0])
		st, err := os.Stat(p)
		if err != nil {
			th.RaiseOSError(err, p)
		}
		return interp.MakeInt(st.Size())
	}))
	m.Set("relpath", interp.NewBuiltin("relpath", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		base, _ := os.Getwd()
		if len(a) > 1 {
			base = interp.ToStr(th, a[1])
		}
		r, err := filepath.Rel(base, interp.ToStr(th, a[0]))
		if err != nil {
			th.ValueError("%v", err)
		}
		return interp.Str(r)
	}))
	m.Set("sep", interp.Str("/"))
	return m
}

func init() {
	interp.RegisterModule("os.path", pathModule)
	interp.RegisterModule("os", func() *interp.Module {
		m := interp.NewModule("os")
		env := interp.NewDict()
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env.SetStr(k, interp.Str(v))
		}
		m.Set("environ", env)
		m.Set("path", pathModule())
		m.Set("sep", interp.Str("/"))
		m.Set("linesep", interp.Str("\n"))
		m.Set("name", interp.Str("posix"))
		m.Set("getenv", interp.NewBuiltin("getenv", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if v, ok := env.GetStr(interp.ToStr(th, a[0])); ok {
				return v
			}
			if len(a) > 1 {
				return a[1]
			}
			return interp.None
		}))
		m.Set("getcwd", interp.NewBuiltin("getcwd", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d, _ := os.Getwd()
			return interp.Str(d)
		}))
		m.Set("listdir", interp.NewBuiltin("listdir", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			dir := "."
			if len(a) > 0 {
				dir = interp.ToStr(th, a[0])
			}
			es, err := os.ReadDir(dir)
			if err != nil {
				th.RaiseOSError(err, dir)
			}
			var names []string
			for _, e := range es {
				names = append(names, e.Name())
			}
			return native.StrList(names...)
		}))
		m.Set("makedirs", interp.NewBuiltin("makedirs", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ToStr(th, a[0])
			if ok, _ := interp.KwArg(kw, "exist_ok"); ok == nil || !interp.Truth(th, ok) {
				if _, err := os.Stat(p); err == nil {
					th.RaiseOSError(os.ErrExist, p)
				}
			}
			if err := os.MkdirAll(p, 0o755); err != nil {
				th.RaiseOSError(err, p)
			}
			return interp.None
		}))
		m.Set("mkdir", interp.NewBuiltin("mkdir", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ToStr(th, a[0])
			if err := os.Mkdir(p, 0o755); err != nil {
				th.RaiseOSError(err, p)
			}
			return interp.None
		}))
		for _, name := range []string{"remove", "unlink", "rmdir"} {
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				p := interp.ToStr(th, a[0])
				if err := os.Remove(p); err != nil {
					th.RaiseOSError(err, p)
				}
				return interp.None
			}))
		}
		m.Set("rename", interp.NewBuiltin("rename", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			if err := os.Rename(interp.ToStr(th, a[0]), interp.ToStr(th, a[1])); err != nil {
				th.RaiseOSError(err, interp.ToStr(th, a[0]))
			}
			return interp.None
		}))
		m.Set("cpu_count", interp.NewBuiltin("cpu_count", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(runtime.NumCPU()))
		}))
		m.Set("getpid", interp.NewBuiltin("getpid", func(*interp.Thread, []interp.Value, []interp.KV) interp.Value {
			return interp.MakeInt(int64(os.Getpid()))
		}))
		return m
	})
}
