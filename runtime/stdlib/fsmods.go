package stdlib

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// fsPathArg is a path argument: a str or a pathlib.Path (os.PathLike).
func fsPathArg(th *interp.Thread, v interp.Value) string {
	switch x := v.(type) {
	case interp.Str:
		return string(x)
	case *plPath:
		return x.p
	}
	th.TypeError("expected str, bytes or os.PathLike object, not %s", interp.TypeName(v))
	return ""
}

func fsCopyFile(th *interp.Thread, src, dst string) string {
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		dst = filepath.Join(dst, filepath.Base(src))
	}
	in, err := os.Open(src)
	if err != nil {
		plOSErr(th, err, src)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		plOSErr(th, err, dst)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		plOSErr(th, err, dst)
	}
	return dst
}

func fsCopyTree(th *interp.Thread, src, dst string, existOK bool) {
	if _, err := os.Stat(dst); err == nil && !existOK {
		plOSErr(th, os.ErrExist, dst)
	}
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o777)
		}
		fsCopyFile(th, p, target)
		return nil
	})
	if err != nil {
		plOSErr(th, err, src)
	}
}

func init() {
	interp.RegisterModule("glob", func() *interp.Module {
		m := interp.NewModule("glob")
		m.Set("glob", interp.NewBuiltin("glob", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "glob", args, kw, "pathname", "root_dir?", "dir_fd?", "recursive?")
			pat := fsPathArg(th, a[0])
			var out []interp.Value
			if a[3] != nil && interp.Truth(th, a[3]) && strings.Contains(pat, "**") {
				base, rest, _ := strings.Cut(pat, "**")
				base = strings.TrimSuffix(base, "/")
				if base == "" {
					base = "."
				}
				rest = strings.TrimPrefix(rest, "/")
				_ = filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
					if err != nil {
						return nil
					}
					if rest == "" {
						out = append(out, interp.Str(p))
						return nil
					}
					if ok, _ := filepath.Match(rest, d.Name()); ok {
						name := p
						if base == "." && !strings.HasPrefix(pat, "./") {
							name = strings.TrimPrefix(p, "./")
						}
						out = append(out, interp.Str(name))
					}
					return nil
				})
				return interp.NewList(out)
			}
			ms, _ := filepath.Glob(pat)
			for _, s := range ms {
				if strings.HasPrefix(filepath.Base(s), ".") && !strings.HasPrefix(filepath.Base(pat), ".") {
					continue
				}
				out = append(out, interp.Str(s))
			}
			return interp.NewList(out)
		}))
		m.Set("escape", interp.NewBuiltin("escape", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			s := fsPathArg(th, args[0])
			r := strings.NewReplacer("[", "[[]", "*", "[*]", "?", "[?]")
			return interp.Str(r.Replace(s))
		}))
		return m
	})
	interp.RegisterModule("shutil", func() *interp.Module {
		m := interp.NewModule("shutil")
		m.Set("rmtree", interp.NewBuiltin("rmtree", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "rmtree", args, kw, "path", "ignore_errors?", "onerror?")
			p := fsPathArg(th, a[0])
			if _, err := os.Lstat(p); err != nil {
				if a[1] != nil && interp.Truth(th, a[1]) {
					return interp.None
				}
				plOSErr(th, err, p)
			}
			if err := os.RemoveAll(p); err != nil && !(a[1] != nil && interp.Truth(th, a[1])) {
				plOSErr(th, err, p)
			}
			return interp.None
		}))
		cp := func(name string) *interp.Builtin {
			return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				a := interp.ParseArgs(th, name, args, kw, "src", "dst", "follow_symlinks?")
				return interp.Str(fsCopyFile(th, fsPathArg(th, a[0]), fsPathArg(th, a[1])))
			})
		}
		m.Set("copy", cp("copy"))
		m.Set("copy2", cp("copy2"))
		m.Set("copyfile", cp("copyfile"))
		m.Set("copytree", interp.NewBuiltin("copytree", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "copytree", args, kw, "src", "dst", "symlinks?", "ignore?", "copy_function?", "ignore_dangling_symlinks?", "dirs_exist_ok?")
			dst := fsPathArg(th, a[1])
			fsCopyTree(th, fsPathArg(th, a[0]), dst, a[6] != nil && interp.Truth(th, a[6]))
			return interp.Str(dst)
		}))
		m.Set("move", interp.NewBuiltin("move", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "move", args, kw, "src", "dst")
			src, dst := fsPathArg(th, a[0]), fsPathArg(th, a[1])
			if st, err := os.Stat(dst); err == nil && st.IsDir() {
				dst = filepath.Join(dst, filepath.Base(src))
			}
			if err := os.Rename(src, dst); err != nil {
				plOSErr(th, err, src)
			}
			return interp.Str(dst)
		}))
		m.Set("which", interp.NewBuiltin("which", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			name := fsPathArg(th, args[0])
			for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
				p := filepath.Join(dir, name)
				if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
					return interp.Str(p)
				}
			}
			return interp.None
		}))
		return m
	})
	interp.RegisterModule("tempfile", func() *interp.Module {
		m := interp.NewModule("tempfile")
		m.Set("gettempdir", interp.NewBuiltin("gettempdir", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Str(os.TempDir())
		}))
		m.Set("mkdtemp", interp.NewBuiltin("mkdtemp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mkdtemp", args, kw, "suffix?", "prefix?", "dir?")
			suf, pre, dir := tempNameArgs(th, a)
			d, err := os.MkdirTemp(dir, pre+"*"+suf)
			if err != nil {
				plOSErr(th, err, dir)
			}
			return interp.Str(d)
		}))
		m.Set("mkstemp", interp.NewBuiltin("mkstemp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mkstemp", args, kw, "suffix?", "prefix?", "dir?", "text?")
			suf, pre, dir := tempNameArgs(th, a)
			f, err := os.CreateTemp(dir, pre+"*"+suf)
			if err != nil {
				plOSErr(th, err, dir)
			}
			name := f.Name()
			f.Close()
			return interp.Tuple{interp.MakeInt(-1), interp.Str(name)}
		}))
		return m
	})
}

// tempNameArgs reads tempfile's (suffix, prefix, dir) arguments, with
// Python's defaults ("", "tmp", the system temp dir).
func tempNameArgs(th *interp.Thread, a []interp.Value) (suffix, prefix, dir string) {
	suffix, prefix = "", "tmp"
	if a[0] != nil && a[0] != interp.None {
		suffix = interp.ToStr(th, a[0])
	}
	if a[1] != nil && a[1] != interp.None {
		prefix = interp.ToStr(th, a[1])
	}
	if a[2] != nil && a[2] != interp.None {
		dir = fsPathArg(th, a[2])
	}
	return suffix, prefix, dir
}
