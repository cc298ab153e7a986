// Package pathlib implements Python's pathlib.Path (a PosixPath) with its file
// system methods.
package pathlib

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// FSPath is a path argument: a str or a pathlib.Path (os.PathLike).
func FSPath(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Str:
		return string(x)
	case *pathValue:
		return x.p
	}
	th.TypeError("expected str, bytes or os.PathLike object, not %s", interp.TypeName(v))
	return ""
}

// pathValue is pathlib.Path (POSIX flavour).
type pathValue struct{ p string }

var pathClass = func() *interp.Class { c := interp.NewBuiltinClass("PosixPath"); c.Module = "pathlib"; return c }()

func (*pathValue) Class() *interp.Class { return pathClass }

// normalize normalises like PurePosixPath: collapses slashes and "." parts (keeps "..").
func normalize(s string) string {
	if s == "" {
		return "."
	}
	abs := strings.HasPrefix(s, "/")
	lead := ""
	if abs {
		lead = "/"
		if strings.HasPrefix(s, "//") && !strings.HasPrefix(s, "///") {
			lead = "//"
		}
	}
	var parts []string
	for _, p := range strings.Split(s, "/") {
		if p == "" || p == "." {
			continue
		}
		parts = append(parts, p)
	}
	r := lead + strings.Join(parts, "/")
	if r == "" {
		return "."
	}
	return r
}

func newPath(parts ...string) *pathValue {
	cur := ""
	for _, p := range parts {
		if strings.HasPrefix(p, "/") || cur == "" {
			cur = p
		} else if p != "" {
			cur = cur + "/" + p
		}
	}
	return &pathValue{p: normalize(cur)}
}

func (p *pathValue) StrJac(th *interp.Thread) string { return p.p }

func (p *pathValue) ReprJac(th *interp.Thread) string {
	return "PosixPath(" + interp.QuoteStr(p.p) + ")"
}

func (p *pathValue) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.Str(p.p)) }

func (p *pathValue) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if q, ok := o.(*pathValue); ok {
		return p.p == q.p, true
	}
	return false, true
}

func (p *pathValue) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	if q, ok := o.(*pathValue); ok {
		return strings.Compare(p.p, q.p), true
	}
	return 0, false
}

func (p *pathValue) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if op != syntax.SLASH || other == nil {
		return nil
	}
	var o string
	switch x := other.(type) {
	case interp.Str:
		o = string(x)
	case *pathValue:
		o = x.p
	default:
		return nil
	}
	if right {
		return newPath(o, p.p)
	}
	return newPath(p.p, o)
}

func (p *pathValue) name() string {
	if p.p == "/" || p.p == "." {
		return ""
	}
	return p.p[strings.LastIndex(p.p, "/")+1:]
}

func (p *pathValue) suffix() string {
	n := p.name()
	i := strings.LastIndex(n, ".")
	if i <= 0 || i == len(n)-1 {
		return ""
	}
	return n[i:]
}

func (p *pathValue) parent() *pathValue {
	i := strings.LastIndex(p.p, "/")
	switch {
	case p.p == "/" || p.p == ".":
		return p
	case i < 0:
		return &pathValue{p: "."}
	case i == 0:
		return &pathValue{p: "/"}
	}
	return &pathValue{p: p.p[:i]}
}

// RaiseOSError raises the OSError subclass CPython raises for err on path
// (FileNotFoundError, FileExistsError, ...).
func RaiseOSError(th *interp.Thread, err error, path string) {
	switch {
	case os.IsNotExist(err):
		th.Raise(interp.FileNotFoundErrorClass, "[Errno 2] No such file or directory: %s", interp.QuoteStr(path))
	case os.IsExist(err):
		th.Raise(interp.FileExistsErrorClass, "[Errno 17] File exists: %s", interp.QuoteStr(path))
	case os.IsPermission(err):
		th.Raise(interp.PermissionErrorClass, "[Errno 13] Permission denied: %s", interp.QuoteStr(path))
	}
	th.Raise(interp.OSErrorClass, "%s", err.Error())
}

func (p *pathValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	m := func(f func(a []interp.Value, kw []interp.KV) interp.Value) (interp.Value, bool) {
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value { return f(args, kw) }), true
	}
	switch name {
	case "name":
		return interp.Str(p.name()), true
	case "suffix":
		return interp.Str(p.suffix()), true
	case "suffixes":
		n := p.name()
		var out []interp.Value
		if !strings.HasSuffix(n, ".") {
			parts := strings.Split(strings.TrimLeft(n, "."), ".")
			for _, s := range parts[1:] {
				out = append(out, interp.Str("."+s))
			}
		}
		return interp.NewList(out), true
	case "stem":
		n := p.name()
		return interp.Str(n[:len(n)-len(p.suffix())]), true
	case "parent":
		return p.parent(), true
	case "parents":
		var out []interp.Value
		for c := p; ; {
			q := c.parent()
			if q.p == c.p {
				break
			}
			out = append(out, q)
			c = q
		}
		return interp.Tuple(out), true
	case "parts":
		var out []interp.Value
		if strings.HasPrefix(p.p, "/") {
			out = append(out, interp.Str("/"))
		}
		for _, s := range strings.Split(strings.Trim(p.p, "/"), "/") {
			if s != "" && s != "." {
				out = append(out, interp.Str(s))
			}
		}
		return interp.Tuple(out), true
	case "anchor", "root":
		if strings.HasPrefix(p.p, "/") {
			return interp.Str("/"), true
		}
		return interp.Str(""), true
	case "exists", "is_file", "is_dir":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			st, err := os.Stat(p.p)
			switch name {
			case "exists":
				return interp.MakeBool(err == nil)
			case "is_file":
				return interp.MakeBool(err == nil && st.Mode().IsRegular())
			}
			return interp.MakeBool(err == nil && st.IsDir())
		})
	case "is_absolute":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(strings.HasPrefix(p.p, "/"))
		})
	case "read_text", "read_bytes":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			b, err := os.ReadFile(p.p)
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			if name == "read_bytes" {
				return interp.Bytes(b)
			}
			return interp.Str(strings.ReplaceAll(string(b), "\r\n", "\n"))
		})
	case "write_text", "write_bytes":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			if len(a) < 1 {
				th.TypeError("%s() missing 1 required positional argument: 'data'", name)
			}
			var data string
			if name == "write_text" {
				s, ok := a[0].(interp.Str)
				if !ok {
					th.TypeError("data must be str, not %s", interp.TypeName(a[0]))
				}
				data = string(s)
			} else {
				data = string(native.BytesArg(th, a[0], "write_bytes"))
			}
			if err := os.WriteFile(p.p, []byte(data), 0o666); err != nil {
				RaiseOSError(th, err, p.p)
			}
			if name == "write_text" {
				return interp.MakeInt(int64(len([]rune(data))))
			}
			return interp.MakeInt(int64(len(data)))
		})
	case "mkdir":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			o := interp.ParseArgs(th, "mkdir", a, kw, "mode?", "parents?", "exist_ok?")
			parents := o[1] != nil && interp.Truth(th, o[1])
			existOK := o[2] != nil && interp.Truth(th, o[2])
			var err error
			if parents {
				if st, e := os.Stat(p.p); e == nil && st.IsDir() && !existOK {
					RaiseOSError(th, os.ErrExist, p.p)
				}
				err = os.MkdirAll(p.p, 0o777)
			} else {
				err = os.Mkdir(p.p, 0o777)
				if err != nil && os.IsExist(err) && existOK {
					if st, e := os.Stat(p.p); e == nil && st.IsDir() {
						err = nil
					}
				}
			}
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			return interp.None
		})
	case "rmdir", "unlink":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			if name == "unlink" {
				o := interp.ParseArgs(th, "unlink", a, kw, "missing_ok?")
				if err := os.Remove(p.p); err != nil {
					if os.IsNotExist(err) && o[0] != nil && interp.Truth(th, o[0]) {
						return interp.None
					}
					RaiseOSError(th, err, p.p)
				}
				return interp.None
			}
			if err := os.Remove(p.p); err != nil {
				RaiseOSError(th, err, p.p)
			}
			return interp.None
		})
	case "touch":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			f, err := os.OpenFile(p.p, os.O_CREATE|os.O_WRONLY, 0o666)
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			f.Close()
			return interp.None
		})
	case "iterdir":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			ents, err := os.ReadDir(p.p)
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			out := make([]interp.Value, len(ents))
			for i, e := range ents {
				out[i] = newPath(p.p, e.Name())
			}
			return interp.NewSliceIterator(out)
		})
	case "glob", "rglob":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			pat := FSPath(th, a[0])
			var out []interp.Value
			if name == "rglob" || strings.HasPrefix(pat, "**/") {
				pat = strings.TrimPrefix(pat, "**/")
				_ = filepath.WalkDir(p.p, func(path string, d os.DirEntry, err error) error {
					if err == nil && path != p.p {
						if ok, _ := filepath.Match(pat, d.Name()); ok {
							out = append(out, &pathValue{p: normalize(path)})
						}
					}
					return nil
				})
			} else {
				ms, _ := filepath.Glob(filepath.Join(p.p, pat))
				sort.Strings(ms)
				for _, s := range ms {
					out = append(out, &pathValue{p: normalize(s)})
				}
			}
			return interp.NewSliceIterator(out)
		})
	case "resolve", "absolute":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			abs, err := filepath.Abs(p.p)
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			if name == "resolve" {
				if r, err := filepath.EvalSymlinks(abs); err == nil {
					abs = r
				}
			}
			return &pathValue{p: normalize(abs)}
		})
	case "expanduser":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			if strings.HasPrefix(p.p, "~") {
				home, _ := os.UserHomeDir()
				return newPath(home + p.p[1:])
			}
			return p
		})
	case "joinpath":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			parts := []string{p.p}
			for _, x := range a {
				parts = append(parts, FSPath(th, x))
			}
			return newPath(parts...)
		})
	case "with_suffix", "with_name", "with_stem":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			s := FSPath(th, a[0])
			n := p.name()
			if n == "" {
				th.ValueError("%s has an empty name", interp.Repr(th, p))
			}
			var nn string
			switch name {
			case "with_suffix":
				if s != "" && (!strings.HasPrefix(s, ".") || s == ".") {
					th.ValueError("Invalid suffix %s", interp.QuoteStr(s))
				}
				nn = n[:len(n)-len(p.suffix())] + s
			case "with_name":
				nn = s
			default:
				nn = s + p.suffix()
			}
			return newPath(p.parent().p, nn)
		})
	case "relative_to":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			base := normalize(FSPath(th, a[0]))
			if base == p.p {
				return &pathValue{p: "."}
			}
			pre := strings.TrimSuffix(base, "/") + "/"
			if base == "." && !strings.HasPrefix(p.p, "/") {
				return p
			}
			if !strings.HasPrefix(p.p, pre) {
				th.ValueError("%s is not in the subpath of %s", interp.QuoteStr(p.p), interp.QuoteStr(base))
			}
			return &pathValue{p: p.p[len(pre):]}
		})
	case "stat":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			st, err := os.Stat(p.p)
			if err != nil {
				RaiseOSError(th, err, p.p)
			}
			return &native.NamedTuple{Name: "os.stat_result", Fields: []string{"st_size", "st_mtime"},
				Vals: interp.Tuple{interp.MakeInt(st.Size()), interp.Float(float64(st.ModTime().UnixNano()) / 1e9)}}
		})
	case "open":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			open := interp.LookupBuiltin("open")
			if open == nil {
				th.Raise(interp.NotImplementedErrorClass, "open() is not available")
			}
			return th.Call(open, append([]interp.Value{interp.Str(p.p)}, a...), kw)
		})
	case "as_posix", "__fspath__":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value { return interp.Str(p.p) })
	}
	return nil, false
}

func init() {
	ctor := func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = FSPath(th, a)
		}
		if len(parts) == 0 {
			return &pathValue{p: "."}
		}
		return newPath(parts...)
	}
	interp.SetConstructor(pathClass, ctor)
	interp.RegisterModule("pathlib", func() *interp.Module {
		m := interp.NewModule("pathlib")
		m.Set("Path", pathClass)
		m.Set("PosixPath", pathClass)
		m.Set("PurePath", pathClass)
		m.Set("PurePosixPath", pathClass)
		m.Set("cwd", interp.NewBuiltin("cwd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d, _ := os.Getwd()
			return &pathValue{p: d}
		}))
		return m
	})
	pathClass.SetAttr("cwd", &interp.StaticMethod{Fn: interp.NewBuiltin("cwd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		d, _ := os.Getwd()
		return &pathValue{p: d}
	})})
	pathClass.SetAttr("home", &interp.StaticMethod{Fn: interp.NewBuiltin("home", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		d, _ := os.UserHomeDir()
		return &pathValue{p: d}
	})})
}
