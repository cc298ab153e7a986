// Package shutil implements the part of Python's shutil module programs use:
// copy, copy2, copyfile, copytree, move, rmtree and which.
package shutil

import (
	"io"
	"os"
	"path/filepath"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/pathlib"
)

func copyFile(th *interp.Thread, src, dst string) string {
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		dst = filepath.Join(dst, filepath.Base(src))
	}
	in, err := os.Open(src)
	if err != nil {
		pathlib.RaiseOSError(th, err, src)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		pathlib.RaiseOSError(th, err, dst)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		pathlib.RaiseOSError(th, err, dst)
	}
	return dst
}

func copyTree(th *interp.Thread, src, dst string, existOK bool) {
	if _, err := os.Stat(dst); err == nil && !existOK {
		pathlib.RaiseOSError(th, os.ErrExist, dst)
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
		copyFile(th, p, target)
		return nil
	})
	if err != nil {
		pathlib.RaiseOSError(th, err, src)
	}
}

func init() {
	interp.RegisterModule("shutil", func() *interp.Module {
		m := interp.NewModule("shutil")
		m.Set("rmtree", interp.NewBuiltin("rmtree", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "rmtree", args, kw, "path", "ignore_errors?", "onerror?")
			p := pathlib.FSPath(th, a[0])
			if _, err := os.Lstat(p); err != nil {
				if a[1] != nil && interp.Truth(th, a[1]) {
					return interp.None
				}
				pathlib.RaiseOSError(th, err, p)
			}
			if err := os.RemoveAll(p); err != nil && !(a[1] != nil && interp.Truth(th, a[1])) {
				pathlib.RaiseOSError(th, err, p)
			}
			return interp.None
		}))
		cp := func(name string) *interp.Builtin {
			return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				a := interp.ParseArgs(th, name, args, kw, "src", "dst", "follow_symlinks?")
				return interp.Str(copyFile(th, pathlib.FSPath(th, a[0]), pathlib.FSPath(th, a[1])))
			})
		}
		m.Set("copy", cp("copy"))
		m.Set("copy2", cp("copy2"))
		m.Set("copyfile", cp("copyfile"))
		m.Set("copytree", interp.NewBuiltin("copytree", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "copytree", args, kw, "src", "dst", "symlinks?", "ignore?", "copy_function?", "ignore_dangling_symlinks?", "dirs_exist_ok?")
			dst := pathlib.FSPath(th, a[1])
			copyTree(th, pathlib.FSPath(th, a[0]), dst, a[6] != nil && interp.Truth(th, a[6]))
			return interp.Str(dst)
		}))
		m.Set("move", interp.NewBuiltin("move", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "move", args, kw, "src", "dst")
			src, dst := pathlib.FSPath(th, a[0]), pathlib.FSPath(th, a[1])
			if st, err := os.Stat(dst); err == nil && st.IsDir() {
				dst = filepath.Join(dst, filepath.Base(src))
			}
			if err := os.Rename(src, dst); err != nil {
				pathlib.RaiseOSError(th, err, src)
			}
			return interp.Str(dst)
		}))
		m.Set("which", interp.NewBuiltin("which", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			name := pathlib.FSPath(th, args[0])
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
}
