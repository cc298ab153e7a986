// Package glob implements Python's glob.glob and glob.escape.
package glob

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/pathlib"
)

func init() {
	interp.RegisterModule("glob", func() *interp.Module {
		m := interp.NewModule("glob")
		m.Set("glob", interp.NewBuiltin("glob", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "glob", args, kw, "pathname", "root_dir?", "dir_fd?", "recursive?")
			pat := pathlib.FSPath(th, a[0])
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
			s := pathlib.FSPath(th, args[0])
			r := strings.NewReplacer("[", "[[]", "*", "[*]", "?", "[?]")
			return interp.Str(r.Replace(s))
		}))
		return m
	})
}
