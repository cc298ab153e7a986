// Package runtimeexec lets the full jac CLI serve with the runtime binary it
// embeds (the one that goes into app images): `jac start APP.jac` without
// --scale replaces the process with that binary, unpacked once into the user's
// cache directory. A local server is then the same program as a deployed one,
// without Pulumi and the cloud SDKs, whose package initialisation alone costs
// the full binary about 35 MB of resident memory and 20 ms.
//
// The package imports little, so the Go runtime initialises it before the
// heavy packages: its init execs a runtime that is already unpacked before they
// run. The CLI unpacks one (with Unpacked) when there is none yet.
// JAC_NO_RUNTIME_EXEC=1 keeps serving in the CLI's own process.
package runtimeexec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// Wanted reports whether a command line should run in the runtime binary.
func Wanted(args []string) bool {
	if len(args) < 2 || args[0] != "start" || os.Getenv("JAC_NO_RUNTIME_EXEC") != "" {
		return false
	}
	for _, a := range args[1:] {
		if a == "--scale" || strings.HasPrefix(a, "--scale=") || a == "-h" || a == "--help" {
			return false
		}
	}
	return true
}

// Path is where this executable's runtime for this platform is unpacked (keyed
// by the executable's path, size and time, so a new jac unpacks anew).
func Path() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	return PathFor(self)
}

// PathFor is Path for the jac executable at self.
func PathFor(self string) (string, error) {
	st, err := os.Stat(self)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%d|%s/%s", self, st.Size(), st.ModTime().UnixNano(), runtime.GOOS, runtime.GOARCH))
	return filepath.Join(cache, "jac", "runtime", hex.EncodeToString(sum[:8]), "jac"), nil
}

// Exec replaces the process with the runtime at path running args; it returns
// only if that failed (the caller then serves in its own process).
func Exec(path string, args []string) {
	syscall.Exec(path, append([]string{path}, args...), os.Environ())
}

// Unpack writes bin to path: in small pieces (one large write leaves the file
// in large page-cache folios, and a server mapping it was measurably larger:
// 24 against 19 MB), to a temporary file renamed into place. Runtimes unpacked
// for other jac executables (earlier builds, mostly) are removed.
func Unpack(path string, bin []byte) error {
	dir := filepath.Dir(path)
	if olds, err := os.ReadDir(filepath.Dir(dir)); err == nil {
		for _, o := range olds {
			if o.Name() != filepath.Base(dir) {
				os.RemoveAll(filepath.Join(filepath.Dir(dir), o.Name()))
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "jac-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	for b := bin; len(b) > 0; {
		n := min(64<<10, len(b))
		if _, err := tmp.Write(b[:n]); err != nil {
			tmp.Close()
			return err
		}
		b = b[n:]
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
