package storage

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

// FuzzStoragePath: whatever the path, resolve either refuses it (ValueError) or
// returns a location inside the base directory.
func FuzzStoragePath(f *testing.F) {
	for _, s := range []string{"a.txt", "../x", "/abs", "a/../../b", "link/x", "..\\x", "./.", "", "a\x00b", "x/./../.."} {
		f.Add(s)
	}
	dir := f.TempDir()
	base := filepath.Join(dir, "base")
	os.MkdirAll(base, 0o755)
	os.Symlink(dir, filepath.Join(base, "link"))
	real, _ := filepath.EvalSymlinks(base)
	st := &localStorage{base: real}
	f.Fuzz(func(t *testing.T, p string) {
		th := interp.NewThread(context.Background(), nil, io.Discard)
		var got string
		err := th.Protect(func() { got = st.resolve(th, p) })
		if err != nil {
			if !strings.Contains(err.Error(), "ValueError") {
				t.Fatalf("%q: %v", p, err)
			}
			return
		}
		if got != real && !strings.HasPrefix(got, real+string(filepath.Separator)) {
			t.Fatalf("%q resolved outside the base: %s", p, got)
		}
	})
}
