// Package runtimeexec lets the full jac CLI run and serve programs with the
// runtime binary it embeds (the one that goes into app images): `jac run FILE.jac`
// and `jac start APP.jac` without --scale replace the process with that binary,
// unpacked once into the user's cache directory. A local run or server is then the
// same program as a deployed one, without Pulumi and the cloud SDKs, whose package
// initialisation alone costs the full binary about 40 MB of resident memory and
// 20-30 ms before the first statement.
//
// The exec happens in this package's init, before the heavy packages are
// initialised. The Go linker orders package inits by import path among the packages
// whose imports are initialised already, so a package that imports only os, runtime,
// strconv, syscall and what os imports itself (io) is initialised right after os, about thirtieth of the full
// binary's ~670 packages (TestRuntimeexecImportsLittle keeps it that way: one more
// import such as fmt or crypto/sha256 put it after ~240 packages and 34 MB). The
// CLI unpacks a runtime (with Unpack) when there is none yet. JAC_NO_RUNTIME_EXEC=1
// keeps everything in the CLI's own process.
package runtimeexec

import (
	"io"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

func init() {
	if !Wanted(os.Args[1:]) {
		return
	}
	if path, err := Path(); err == nil {
		if _, err := os.Stat(path); err == nil {
			Exec(path, os.Args[1:])
		}
	}
}

// Wanted reports whether a command line should run in the runtime binary: `run`
// and `start` (without --scale) with a file, and not asking for help.
func Wanted(args []string) bool {
	if len(args) < 2 || (args[0] != "start" && args[0] != "run") || os.Getenv("JAC_NO_RUNTIME_EXEC") != "" {
		return false
	}
	for _, a := range args[1:] {
		if a == "-h" || a == "--help" {
			return false
		}
		if args[0] == "start" && (a == "--scale" || hasPrefix(a, "--scale=")) {
			return false
		}
	}
	return true
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// Path is where this executable's runtime for this platform is unpacked (keyed
// by the executable's path, size and time, so a new jac unpacks anew).
func Path() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	return PathFor(self)
}

// PathFor is Path for the jac executable at self: CACHE/jac/runtime/KEY/jac.
func PathFor(self string) (string, error) {
	st, err := os.Stat(self)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	key := fnv64a(self + "|" + strconv.FormatInt(st.Size(), 10) + "|" +
		strconv.FormatInt(st.ModTime().UnixNano(), 10) + "|" + runtime.GOOS + "/" + runtime.GOARCH)
	return join(cache, "jac", "runtime", strconv.FormatUint(key, 16), "jac"), nil
}

// fnv64a is the 64-bit FNV-1a hash of s (hash/fnv without its imports; the key
// only tells builds apart, it guards nothing).
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// join is filepath.Join for clean elements (path/filepath imports too much).
func join(elems ...string) string {
	path := elems[0]
	for _, e := range elems[1:] {
		path += string(os.PathSeparator) + e
	}
	return path
}

// dir is filepath.Dir of a path made by join.
func dir(path string) string {
	for i := len(path) - 1; i > 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i]
		}
	}
	return path
}

// Exec replaces the process with the runtime at path running args; it returns
// only if that failed (the caller then runs in its own process).
func Exec(path string, args []string) {
	syscall.Exec(path, append([]string{path}, args...), os.Environ())
}

// Unpack writes the binary read from bin to path: in small pieces (one large write leaves the file
// in large page-cache folios, and a server mapping it was measurably larger:
// 24 against 19 MB), to a temporary file renamed into place. Runtimes unpacked
// for other jac executables (earlier builds, mostly) are removed.
func Unpack(path string, bin io.Reader) error {
	keyDir := dir(path)
	runtimes := dir(keyDir)
	if olds, err := os.ReadDir(runtimes); err == nil {
		for _, o := range olds {
			if old := join(runtimes, o.Name()); old != keyDir {
				os.RemoveAll(old)
			}
		}
	}
	if err := os.MkdirAll(keyDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(keyDir, "jac-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.CopyBuffer(onlyWriter{tmp}, bin, make([]byte, 64<<10)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// onlyWriter hides *os.File's ReadFrom, so io.CopyBuffer writes in the buffer's
// pieces instead of copying in larger ones.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }
