// Package storage implements the store() file storage API of jac_scale.lib:
// local storage confined to a base directory, and S3/GCS/Azure-style object
// storage.
package storage

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/pelletier/go-toml/v2"
)

// The store() builtin: file storage confined to a base directory. Every path is
// resolved inside the base: "..", absolute paths and symlinks that lead out of it
// are refused with a ValueError before anything is read or written.

var localStorageClass = interp.NewBuiltinClass("LocalStorage", interp.ObjectClass)

type localStorage struct {
	base       string // absolute, symlinks resolved
	createDirs bool
	localPaths []string // [storage] local_paths: more directories local paths may use
}

func (*localStorage) Class() *interp.Class { return localStorageClass }

// storageSettings is store()'s configuration.
type storageSettings struct {
	base       string
	create     bool
	localPaths []string // absolute
}

// storageConfig reads [storage] from the nearest jac.toml, then JAC_STORAGE_*.
func storageConfig(dir string) storageSettings {
	base, create := "./storage", true
	var localPaths []string
	if v := os.Getenv("JAC_STORAGE_PATH"); v != "" {
		base = v
	}
	if v := os.Getenv("JAC_STORAGE_CREATE_DIRS"); v != "" {
		create = strings.EqualFold(v, "true") || v == "1"
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "jac.toml"))
		if err == nil {
			var t struct {
				Storage struct {
					BasePath   string   `toml:"base_path"`
					CreateDirs *bool    `toml:"create_dirs"`
					LocalPaths []string `toml:"local_paths"`
				} `toml:"storage"`
			}
			if toml.Unmarshal(data, &t) == nil {
				if t.Storage.BasePath != "" {
					base = t.Storage.BasePath
				}
				if t.Storage.CreateDirs != nil {
					create = *t.Storage.CreateDirs
				}
				for _, p := range t.Storage.LocalPaths {
					if !filepath.IsAbs(p) {
						p = filepath.Join(d, p)
					}
					localPaths = append(localPaths, p)
				}
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return storageSettings{base: base, create: create, localPaths: localPaths}
}

func newStorage(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "store", args, kw, "base_path?", "create_dirs?", "storage_type?")
	cwd, _ := os.Getwd()
	if kind := storageType(th, a[2], cwd); kind != "local" {
		return newObjectStorage(th, kind, a[0], cwd) // objstorage.go
	}
	conf := storageConfig(cwd)
	base, create := conf.base, conf.create
	if a[0] != nil && a[0] != interp.None {
		base = interp.ToStr(th, a[0])
	}
	if a[1] != nil && a[1] != interp.None {
		create = interp.Truth(th, a[1])
	}
	abs, err := filepath.Abs(base)
	if err != nil {
		th.ValueError("storage base path: %v", err)
	}
	if create {
		os.MkdirAll(abs, 0o755)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return &localStorage{base: abs, createDirs: create, localPaths: conf.localPaths}
}

// maxPathBytes is Linux's PATH_MAX: a longer path cannot be opened.
const maxPathBytes = 4096

// resolve maps a storage path to a file inside the base directory.
func (s *localStorage) resolve(th *interp.Thread, p string) string {
	norm := strings.ReplaceAll(p, "\\", "/")
	clean := filepath.Clean("/" + norm)
	for _, part := range strings.Split(norm, "/") {
		if part == ".." {
			th.ValueError("path %s leaves the storage directory", interp.QuoteStr(p))
		}
	}
	if strings.ContainsRune(p, 0) {
		th.ValueError("path %s contains a NUL byte", interp.QuoteStr(p))
	}
	full := filepath.Join(s.base, clean)
	if len(full) >= maxPathBytes {
		// refused before create_dirs makes part of it: the OS would stop
		// there, leaving thousands of directories behind
		th.ValueError("path %.40s... is too long (%d bytes with the base; at most %d)", interp.QuoteStr(p), len(full), maxPathBytes-1)
	}
	// Resolve symlinks of the longest existing prefix; it must stay inside.
	probe := full
	for {
		if real, err := filepath.EvalSymlinks(probe); err == nil {
			rest, _ := filepath.Rel(probe, full)
			resolved := filepath.Join(real, rest)
			if !within(resolved, s.base) || inProtectedDir(resolved) && !inProtectedDir(s.base) {
				th.ValueError("path %s leaves the storage directory", interp.QuoteStr(p))
			}
			return resolved
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			break
		}
		probe = parent
	}
	return full
}

func (s *localStorage) rel(full string) string {
	r, _ := filepath.Rel(s.base, full)
	return filepath.ToSlash(r)
}

func metadata(th *interp.Thread, s *localStorage, full string, st fs.FileInfo) interp.Value {
	d := interp.NewDict()
	d.SetStr("name", interp.Str(st.Name()))
	d.SetStr("path", interp.Str(s.rel(full)))
	d.SetStr("size", interp.MakeInt(st.Size()))
	d.SetStr("modified", interp.Str(st.ModTime().UTC().Format(time.RFC3339)))
	d.SetStr("created", interp.Str(st.ModTime().UTC().Format(time.RFC3339)))
	d.SetStr("is_dir", interp.MakeBool(st.IsDir()))
	d.SetStr("is_file", interp.MakeBool(st.Mode().IsRegular()))
	return d
}

// AttrJac implements the LocalStorage methods.
func (s *localStorage) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	b := func(f native.Func) (interp.Value, bool) { return interp.NewBuiltin(name, f), true }
	switch name {
	case "base_path":
		return interp.Str(s.base), true
	case "create_dirs":
		return interp.MakeBool(s.createDirs), true
	case "upload":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "upload", a, kw, "source", "destination", "metadata?")
			dest := s.resolve(th, interp.ToStr(th, p[1]))
			src, closeSrc := s.openSource(th, p[0])
			defer closeSrc()
			if s.createDirs {
				os.MkdirAll(filepath.Dir(dest), 0o755)
			}
			writeFile(th, dest, src, interp.ToStr(th, p[1]))
			return interp.Str(s.rel(dest))
		})
	case "download":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "download", a, kw, "path", "local_path?")
			full := s.resolve(th, interp.ToStr(th, p[0]))
			if p[1] == nil || p[1] == interp.None {
				data, err := os.ReadFile(full)
				if err != nil {
					th.RaiseOSError(err, interp.ToStr(th, p[0]))
				}
				return interp.Bytes(data)
			}
			in, err := os.Open(full)
			if err == nil {
				var st os.FileInfo
				if st, err = in.Stat(); err == nil && st.IsDir() {
					err = syscall.EISDIR // as os.ReadFile fails on a directory
				}
			}
			if err != nil {
				th.RaiseOSError(err, interp.ToStr(th, p[0]))
			}
			defer in.Close()
			writeFile(th, s.localPath(th, interp.ToStr(th, p[1])), in, interp.ToStr(th, p[1]))
			return interp.None
		})
	case "delete":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			full := s.resolve(th, interp.ToStr(th, a[0]))
			if full == s.base {
				th.ValueError("refusing to delete the storage root")
			}
			if _, err := os.Lstat(full); err != nil {
				return interp.False
			}
			return interp.MakeBool(os.RemoveAll(full) == nil)
		})
	case "exists":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			_, err := os.Stat(s.resolve(th, interp.ToStr(th, a[0])))
			return interp.MakeBool(err == nil)
		})
	case "get_metadata":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			full := s.resolve(th, interp.ToStr(th, a[0]))
			st, err := os.Stat(full)
			if err != nil {
				th.RaiseOSError(err, interp.ToStr(th, a[0]))
			}
			return metadata(th, s, full, st)
		})
	case "list_files":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			prefix, recursive := listFilesArgs(th, a, kw)
			root := s.resolve(th, prefix)
			var out []string
			filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil
				}
				if d.IsDir() {
					if path != root && !recursive {
						return filepath.SkipDir
					}
					return nil
				}
				out = append(out, s.rel(path))
				return nil
			})
			sort.Strings(out)
			return native.StrList(out...)
		})
	case "copy", "move":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, name, a, kw, "source", "destination")
			src := s.resolve(th, interp.ToStr(th, p[0]))
			dst := s.resolve(th, interp.ToStr(th, p[1]))
			if s.createDirs {
				os.MkdirAll(filepath.Dir(dst), 0o755)
			}
			if name == "move" {
				if err := os.Rename(src, dst); err != nil {
					th.RaiseOSError(err, interp.ToStr(th, p[0]))
				}
				return interp.True
			}
			in, err := os.Open(src)
			if err != nil {
				th.RaiseOSError(err, interp.ToStr(th, p[0]))
			}
			defer in.Close()
			out, err := os.Create(dst)
			if err != nil {
				th.RaiseOSError(err, interp.ToStr(th, p[1]))
			}
			defer out.Close()
			if _, err := io.Copy(out, in); err != nil {
				th.RaiseOSError(errors.Join(err), interp.ToStr(th, p[1]))
			}
			return interp.True
		})
	}
	return nil, false
}

// ReprJac renders the storage.
func (s *localStorage) ReprJac(th *interp.Thread) string {
	return "LocalStorage(base_path=" + interp.QuoteStr(s.base) + ")"
}

func init() {
	interp.DefBuiltin("store", interp.NewBuiltin("store", newStorage))
	interp.RegisterModule("jac_scale.lib", func() *interp.Module {
		m := interp.NewModule("jac_scale.lib")
		m.Set("store", interp.NewBuiltin("store", newStorage))
		return m
	})
}

// listFilesArgs reads list_files(prefix="", recursive=True).
func listFilesArgs(th *interp.Thread, a []interp.Value, kw []interp.KV) (prefix string, recursive bool) {
	p := interp.ParseArgs(th, "list_files", a, kw, "prefix?", "recursive?")
	if p[0] != nil && p[0] != interp.None {
		prefix = interp.ToStr(th, p[0])
	}
	return prefix, p[1] == nil || interp.Truth(th, p[1])
}
