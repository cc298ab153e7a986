package interp_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

// TestBuiltinOverGenExpr checks builtins that run a generator expression inline
// (no coroutine): results, short-circuiting, an exception from the loop, and a
// shadowed builtin that calls next() on the generator it is given.
func TestBuiltinOverGenExpr(t *testing.T) {
	src := `
def boom(x: int) -> int { if x == 3 { raise ValueError("three"); } return x; }
with entry {
    print(sum(x * x for x in range(5)), list(x for x in "ab"), sorted(-x for x in range(3)));
    seen = [];
    print(any(seen.append(x) or x == 2 for x in range(10)), seen);
    print(min(x for x in [3, 1, 2]), max(x for x in [3, 1, 2]), all(x for x in []));
    print(tuple(x for x in range(2)), set(x % 2 for x in range(4)), dict((x, 1) for x in "a"));
    try { sum(boom(x) for x in range(5)); } except ValueError as e { print("caught", e); }
    print(sum(x for x in range(3)), "-".join(str(x) for x in range(3)));
}
`
	want := "30 ['a', 'b'] [-2, -1, 0]\nTrue [0, 1, 2]\n1 3 True\n(0, 1) {0, 1} {'a': 1}\ncaught three\n3 0-1-2\n"
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	shadowed := `
def sum(g: any) -> int { first = next(g); return first + 100; }
with entry { print(sum(x for x in range(3, 6))); }
`
	if got := runJacSource(t, shadowed); got != "103\n" {
		t.Fatalf("shadowed sum: got %q", got)
	}
}

func runJacSource(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.jac")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	if _, err := interp.Load(th, path); err != nil {
		t.Fatal(err)
	}
	th.Out.Flush()
	return out.String()
}
