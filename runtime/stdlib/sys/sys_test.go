package sys_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jacscale/jac/runtime/interp"

	_ "github.com/jacscale/jac/runtime/stdlib"
	"github.com/jacscale/jac/runtime/stdlib/internal/programtest"
)

// TestPrograms runs testdata/NAME.jac and compares its output with
// testdata/NAME.expected (printed by CPython for the equivalent program).
func TestPrograms(t *testing.T) { programtest.Run(t) }

// TestRecursionLimitCapped: a limit set above interp.MaxRecursionLimit is
// reported as set, but a recursion past the cap raises RecursionError instead of
// growing the Go stack until the process dies.
func TestRecursionLimitCapped(t *testing.T) {
	src := `import sys;
def depth(n: int) -> int { if n == 0 { return 0; } return 1 + depth(n - 1); }
with entry {
    sys.setrecursionlimit(10 ** 6);
    print(sys.getrecursionlimit(), depth(40000));
    try { depth(` + strconv.Itoa(interp.MaxRecursionLimit+10) + `); } except RecursionError { print("RecursionError"); }
}
`
	path := filepath.Join(t.TempDir(), "main.jac")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	if _, err := interp.Load(th, path); err != nil {
		t.Fatal(err)
	}
	th.Out.Flush()
	if want := "1000000 40000\nRecursionError\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
