package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
)

// Local paths of store(): upload(source=path) reads a file of the machine and
// download(path, local_path) writes one. Both accept a path only when, with
// every symlink resolved (dangling ones included), it lies inside the storage
// base, the OS temp directory or a directory listed in [storage] local_paths,
// and never inside a protected directory (the data directory, where the
// JWT secret and the graph live).

var protected struct {
	mu   sync.Mutex
	dirs []string
}

// ProtectDir makes dir (and everything under it) unreachable through store()'s
// local paths and storage paths. The server protects its data directory.
func ProtectDir(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	real, err := resolveSymlinks(abs)
	if err != nil {
		real = abs
	}
	protected.mu.Lock()
	defer protected.mu.Unlock()
	for _, d := range protected.dirs {
		if d == real {
			return
		}
	}
	protected.dirs = append(protected.dirs, real)
}

// protectedDirs is the registered directories plus ./.jac of the working
// directory (where `jac run` and `jac start` keep their data by default).
func protectedDirs() []string {
	protected.mu.Lock()
	dirs := append([]string(nil), protected.dirs...)
	protected.mu.Unlock()
	if cwd, err := os.Getwd(); err == nil {
		dot := filepath.Join(cwd, ".jac")
		if real, err := resolveSymlinks(dot); err == nil {
			dot = real
		}
		dirs = append(dirs, dot)
	}
	return dirs
}

// maxSymlinkHops is Linux's MAXSYMLINKS.
const maxSymlinkHops = 40

var errSymlinkLoop = errors.New("too many levels of symbolic links")

// resolveSymlinks returns the absolute path abs with every symlink component
// replaced by its target, including a final (or intermediate) symlink whose
// target does not exist: the path a later create or open would really reach.
func resolveSymlinks(abs string) (string, error) {
	resolved := string(filepath.Separator)
	rest := strings.Split(filepath.Clean(abs), string(filepath.Separator))
	for hops := 0; len(rest) > 0; {
		part := rest[0]
		rest = rest[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, part)
		st, err := os.Lstat(next)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			// a plain component, or one that cannot be followed (it does not
			// exist yet, or is unreachable: opening it fails the same way)
			resolved = next
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return "", errSymlinkLoop
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(target) {
			resolved = string(filepath.Separator)
		}
		rest = append(strings.Split(target, string(filepath.Separator)), rest...)
	}
	return resolved, nil
}

// within reports whether path is dir or lies below it (both resolved).
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

func inProtectedDir(path string) bool {
	for _, d := range protectedDirs() {
		if within(path, d) {
			return true
		}
	}
	return false
}

// localRoots are the directories local paths may use: the storage base, the OS
// temp directory and [storage] local_paths.
func (s *localStorage) localRoots() []string {
	roots := []string{s.base}
	for _, d := range append([]string{os.TempDir()}, s.localPaths...) {
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if real, err := resolveSymlinks(abs); err == nil {
			roots = append(roots, real)
		}
	}
	return roots
}

// localPath checks a path of the local filesystem given to upload or download
// and returns it resolved; anything else raises PermissionError.
func (s *localStorage) localPath(th *interp.Thread, p string) string {
	if strings.ContainsRune(p, 0) {
		th.ValueError("path %s contains a NUL byte", interp.QuoteStr(p))
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		th.RaiseOSError(err, p)
	}
	real, err := resolveSymlinks(abs)
	if err != nil {
		th.Raise(interp.PermissionErrorClass, "local path %s: %v", interp.QuoteStr(p), err)
	}
	if inProtectedDir(real) {
		th.Raise(interp.PermissionErrorClass, "local path %s is in a protected directory", interp.QuoteStr(p))
	}
	for _, root := range s.localRoots() {
		if within(real, root) {
			return real
		}
	}
	th.Raise(interp.PermissionErrorClass,
		"local path %s is outside the storage base, the temp directory and [storage] local_paths", interp.QuoteStr(p))
	return ""
}
