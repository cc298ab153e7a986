package stdlib

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

// plPath is pathlib.Path (POSIX flavour).
type plPath struct{ p string }

var plPathClass = func() *interp.Class { c := interp.NewBuiltinClass("PosixPath"); c.Module = "pathlib"; return c }()

func (*plPath) Class() *interp.Class { return plPathClass }

// plNorm normalises like PurePosixPath: collapses slashes and "." parts (keeps "..").
func plNorm(s string) string {
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

func plNew(parts ...string) *plPath {
	cur := ""
	for _, p := range parts {
		if strings.HasPrefix(p, "/") || cur == "" {
			cur = p
		} else if p != "" {
			cur = cur + "/" + p
		}
	}
	return &plPath{p: plNorm(cur)}
}

func (p *plPath) StrJac(th *interp.Thread) string  { return p.p }
func (p *plPath) ReprJac(th *interp.Thread) string { return "PosixPath(" + interp.QuoteStr(p.p) + ")" }
func (p *plPath) HashJac(th *interp.Thread) uint64 { return interp.Hash(th, interp.Str(p.p)) }
func (p *plPath) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if q, ok := o.(*plPath); ok {
		return p.p == q.p, true
	}
	return false, true
}
func (p *plPath) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	if q, ok := o.(*plPath); ok {
		return strings.Compare(p.p, q.p), true
	}
	return 0, false
}

func (p *plPath) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if op != syntax.SLASH || other == nil {
		return nil
	}
	var o string
	switch x := other.(type) {
	case interp.Str:
		o = string(x)
	case *plPath:
		o = x.p
	default:
		return nil
	}
	if right {
		return plNew(o, p.p)
	}
	return plNew(p.p, o)
}

func (p *plPath) name() string {
	if p.p == "/" || p.p == "." {
		return ""
	}
	return p.p[strings.LastIndex(p.p, "/")+1:]
}

func (p *plPath) suffix() string {
	n := p.name()
	i := strings.LastIndex(n, ".")
	if i <= 0 || i == len(n)-1 {
		return ""
	}
	return n[i:]
}

func (p *plPath) parent() *plPath {
	i := strings.LastIndex(p.p, "/")
	switch {
	case p.p == "/" || p.p == ".":
		return p
	case i < 0:
		return &plPath{p: "."}
	case i == 0:
		return &plPath{p: "/"}
	}
	return &plPath{p: p.p[:i]}
}

func plOSErr(th *interp.Thread, err error, path string) {
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

func (p *plPath) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
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
				plOSErr(th, err, p.p)
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
				data = string(scBytesArg(th, a[0], "write_bytes"))
			}
			if err := os.WriteFile(p.p, []byte(data), 0o666); err != nil {
				plOSErr(th, err, p.p)
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
					plOSErr(th, os.ErrExist, p.p)
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
				plOSErr(th, err, p.p)
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
					plOSErr(th, err, p.p)
				}
				return interp.None
			}
			if err := os.Remove(p.p); err != nil {
				plOSErr(th, err, p.p)
			}
			return interp.None
		})
	case "touch":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			f, err := os.OpenFile(p.p, os.O_CREATE|os.O_WRONLY, 0o666)
			if err != nil {
				plOSErr(th, err, p.p)
			}
			f.Close()
			return interp.None
		})
	case "iterdir":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			ents, err := os.ReadDir(p.p)
			if err != nil {
				plOSErr(th, err, p.p)
			}
			out := make([]interp.Value, len(ents))
			for i, e := range ents {
				out[i] = plNew(p.p, e.Name())
			}
			return interp.NewSliceIterator(out)
		})
	case "glob", "rglob":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			pat := fsPathArg(th, a[0])
			var out []interp.Value
			if name == "rglob" || strings.HasPrefix(pat, "**/") {
				pat = strings.TrimPrefix(pat, "**/")
				_ = filepath.WalkDir(p.p, func(path string, d os.DirEntry, err error) error {
					if err == nil && path != p.p {
						if ok, _ := filepath.Match(pat, d.Name()); ok {
							out = append(out, &plPath{p: plNorm(path)})
						}
					}
					return nil
				})
			} else {
				ms, _ := filepath.Glob(filepath.Join(p.p, pat))
				sort.Strings(ms)
				for _, s := range ms {
					out = append(out, &plPath{p: plNorm(s)})
				}
			}
			return interp.NewSliceIterator(out)
		})
	case "resolve", "absolute":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			abs, err := filepath.Abs(p.p)
			if err != nil {
				plOSErr(th, err, p.p)
			}
			if name == "resolve" {
				if r, err := filepath.EvalSymlinks(abs); err == nil {
					abs = r
				}
			}
			return &plPath{p: plNorm(abs)}
		})
	case "expanduser":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			if strings.HasPrefix(p.p, "~") {
				home, _ := os.UserHomeDir()
				return plNew(home + p.p[1:])
			}
			return p
		})
	case "joinpath":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			parts := []string{p.p}
			for _, x := range a {
				parts = append(parts, fsPathArg(th, x))
			}
			return plNew(parts...)
		})
	case "with_suffix", "with_name", "with_stem":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			s := fsPathArg(th, a[0])
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
			return plNew(p.parent().p, nn)
		})
	case "relative_to":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			base := plNorm(fsPathArg(th, a[0]))
			if base == p.p {
				return &plPath{p: "."}
			}
			pre := strings.TrimSuffix(base, "/") + "/"
			if base == "." && !strings.HasPrefix(p.p, "/") {
				return p
			}
			if !strings.HasPrefix(p.p, pre) {
				th.ValueError("%s is not in the subpath of %s", interp.QuoteStr(p.p), interp.QuoteStr(base))
			}
			return &plPath{p: p.p[len(pre):]}
		})
	case "stat":
		return m(func(a []interp.Value, kw []interp.KV) interp.Value {
			st, err := os.Stat(p.p)
			if err != nil {
				plOSErr(th, err, p.p)
			}
			return &ftNamed{name: "os.stat_result", fields: []string{"st_size", "st_mtime"},
				vals: interp.Tuple{interp.MakeInt(st.Size()), interp.Float(float64(st.ModTime().UnixNano()) / 1e9)}}
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
			parts[i] = fsPathArg(th, a)
		}
		if len(parts) == 0 {
			return &plPath{p: "."}
		}
		return plNew(parts...)
	}
	interp.SetConstructor(plPathClass, ctor)
	interp.RegisterModule("pathlib", func() *interp.Module {
		m := interp.NewModule("pathlib")
		m.Set("Path", plPathClass)
		m.Set("PosixPath", plPathClass)
		m.Set("PurePath", plPathClass)
		m.Set("PurePosixPath", plPathClass)
		m.Set("cwd", interp.NewBuiltin("cwd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d, _ := os.Getwd()
			return &plPath{p: d}
		}))
		return m
	})
	plPathClass.SetAttr("cwd", &interp.StaticMethod{Fn: interp.NewBuiltin("cwd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		d, _ := os.Getwd()
		return &plPath{p: d}
	})})
	plPathClass.SetAttr("home", &interp.StaticMethod{Fn: interp.NewBuiltin("home", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		d, _ := os.UserHomeDir()
		return &plPath{p: d}
	})})
}
