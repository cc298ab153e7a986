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

// TestPushedGenerators checks generator functions whose generator a loop, a
// comprehension or a builtin owns (called right there), which run pushed on the
// caller's goroutine: break, continue and return in the loop body, an exception
// from the loop body passing the generator's own try untouched, an exception
// from the generator, recursion, yield from, a yield inside except, a call that
// returns a generator stored elsewhere (not owned: the body calls next on it), a
// shadowed builtin, and nested loops. The expected output is CPython's.
func TestPushedGenerators(t *testing.T) {
	src := `def count(n: int) { i = 0; while i < n { yield i; i += 1; } }
def guarded() {
    try { yield 1; yield 2; } except ValueError { print("gen caught"); }
    print("gen end");
}
def raising() { yield 1; raise KeyError("k"); }
def tree(n: int) { if n > 0 { for x in tree(n - 1) { yield x; } } yield n; }
def chain() { yield from count(2); yield from (c for c in "ab"); yield 9; }
def handler_yield() {
    try { raise ValueError("inner"); } except ValueError { yield 1; yield 2; }
}
def first_big(limit: int) -> int { for x in count(100) { if x * x > limit { return x; } } return -1; }
class Holder {
    has g: any = None;
    def make(self) -> any { self.g = count(20); return self.g; }
}
def list(it: any) -> str { return "shadow " + str(next(it)); }
with entry {
    out = [];
    for x in count(10) { if x == 2 { continue; } if x == 5 { break; } out.append(x); }
    print(out);
    try { for x in guarded() { raise ValueError("body"); } } except ValueError as e { print("outer", e); }
    try { for x in guarded() { y = int("q"); } } except ValueError as e { print("outer2", e); }
    got = [];
    try { for x in raising() { got.append(x); } } except KeyError as e { print("gen raised", e, got); }
    print([x for x in tree(3)], sum(tree(4)), sorted(count(4), reverse=True), max(count(7)));
    print([c for c in chain()], [x * 2 for x in count(4) if x != 1]);
    print(first_big(50));
    for x in handler_yield() { print("hy", x); }
    try { raise KeyError("after"); } except KeyError as e { print("ctx ok", e.__context__); }
    h = Holder();
    for x in h.make() { if x < 6 { print(x, next(h.g)); } else { break; } }
    print(list(count(3)));
    print(any(x > 2 for x in count(10)), all(x < 3 for x in count(10)), ",".join(str(x) for x in count(3)));
    total = 0;
    for a in count(3) { for b in count(a) { total += a * 10 + b; } }
    print(total);
    try { print(sum(raising())); } except KeyError as e { print("sum raised", e); }
}
`
	want := `[0, 1, 3, 4]
outer body
outer2 invalid literal for int() with base 10: 'q'
gen raised 'k' [1]
[0, 1, 2, 3] 10 [3, 2, 1, 0] 6
[0, 1, 'a', 'b', 9] [0, 4, 6]
8
hy 1
hy 2
ctx ok None
0 1
2 3
4 5
shadow 0
True False 0,1,2
51
sum raised 'k'
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
