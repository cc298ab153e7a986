package interp_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

// TestRaiseAsControl checks exceptions that travel as a control value instead of a
// Go panic (raise.go): a callee's raise reaching the caller's try through each
// statement form that calls it (augmented and plain assignment, a bare call,
// return), finally, bare raise, raise from, the implicit context, a with block that
// suppresses, a generator, loops, an unmatched handler, assert, and a nested
// try/finally inside try/except, and a dict's KeyError in a statement's
// subscript (augmented assignment, bare, return, and its implicit context), and
// int(s)'s ValueError in a statement (return, assignment, bare; a TypeError
// still raises as before).
func TestRaiseAsControl(t *testing.T) {
	src := `class E(Exception) {}
def bad(n: int) -> int { if n > 0 { raise E("bad " + str(n)); } return n; }
def ret_call(n: int) -> int { return bad(n); }
def wrapped(n: int) -> int { try { return bad(n); } finally { print("finally", n); } }
def reraise() { try { bad(1); } except E { raise; } }
def chained() { try { bad(2); } except E as e { raise ValueError("outer") from e; } }
def ctx() { try { bad(3); } except E { raise KeyError("k"); } }
class Quiet {
    def __enter__(self) { return self; }
    def __exit__(self, t: any, v: any, tb: any) -> bool { print("exit", t.__name__ if t else None); return True; }
}
def gen(n: int) { for i in range(n) { if i == 2 { raise E("gen"); } yield i; } }
with entry {
    total = 0;
    for i in range(4) {
        try { total += bad(i % 2); } except E as e { print("aug", e); }
        try { x = bad(i % 2); total += x + 1; } except E as e { print("assign", e); }
        try { bad(i % 2); } except E { print("expr"); }
    }
    print(total);
    try { ret_call(5); } except E as e { print("ret", e); }
    try { wrapped(6); } except E as e { print("fin", e); }
    try { reraise(); } except E as e { print("bare", e); }
    try { chained(); } except ValueError as e { print("from", e, type(e.__cause__).__name__); }
    try { ctx(); } except KeyError as e { print("context", e, type(e.__context__).__name__); }
    with Quiet() { bad(7); }
    out = [];
    try { for v in gen(5) { out.append(v); } } except E as e { print("gen", out, e); }
    n = 0;
    while True { try { n += 1; if n > 3 { break; } bad(n); } except E { continue; } }
    print("while", n);
    try { try { bad(8); } except KeyError { print("no"); } } except E as e { print("unmatched", e); }
    try { assert total < 0, "neg"; } except AssertionError as e { print("assert", e); }
    d = {"a": 1};
    for k in ["a", "b"] { try { try { v = d[k]; } finally { print("fin", k); } } except KeyError as e { print("key", e); } }
}
with entry {
    d = {"a": 1};
    n = 0;
    for k in ["a", "b"] { try { n += d[k]; } except KeyError as e { print("aug key", e); } }
    try { d["zz"]; } except KeyError as e { print("expr key", e); }
    def get(k: str) -> int { return d[k]; }
    try { get("y"); } except KeyError as e { print("ret key", e); }
    try { raise ValueError("first"); } except ValueError { try { v = d["w"]; } except KeyError as e { print("ctx", e, repr(e.__context__)); } }
    print(n);
}
def conv(s: str) -> int { try { return int(s); } except ValueError as e { print("bad", e); return 0; } }
with entry {
    t = 0;
    for s in ["12", "x1", " 7 ", "1_0", "", "-3", "99999999999999999999"] { t += conv(s); }
    print(t);
    try { n = int("zz"); } except ValueError as e { print("assign", e); }
    try { int("q"); } except ValueError as e { print("bare", e); }
    try { n = int([1]); } except TypeError as e { print("type", e); }
}
`
	want := `aug bad 1
assign bad 1
expr
aug bad 1
assign bad 1
expr
2
ret bad 5
finally 6
fin bad 6
bare bad 1
from outer E
context 'k' E
exit E
gen [0, 1] gen
while 4
unmatched bad 8
assert neg
fin a
fin b
key 'b'
aug key 'b'
expr key 'zz'
ret key 'y'
ctx 'w' ValueError('first')
1
bad invalid literal for int() with base 10: 'x1'
bad invalid literal for int() with base 10: ''
100000000000000000025
assign invalid literal for int() with base 10: 'zz'
bare invalid literal for int() with base 10: 'q'
type int() argument must be a string, a bytes-like object or a real number, not 'list'
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestRaiseAsControlTraceback checks that an uncaught exception that left its
// function as a control value keeps the full traceback, innermost frame last.
func TestRaiseAsControlTraceback(t *testing.T) {
	src := `
def bad(n: int) -> int { raise ValueError("x"); }
def mid() { y = bad(1); }
with entry { mid(); }
`
	path := filepath.Join(t.TempDir(), "main.jac")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	th := interp.NewRunThread(context.Background(), io.Discard)
	_, err := interp.Load(th, path)
	exc, ok := err.(*interp.Exception)
	if !ok {
		t.Fatalf("want a Jac exception, got %v", err)
	}
	tb := exc.Traceback()
	for _, want := range []string{"line 4, col 14, in <module>", "line 3, col 17, in mid", "line 2, col 32, in bad", "ValueError: x"} {
		if !strings.Contains(tb, want) {
			t.Errorf("traceback lacks %q:\n%s", want, tb)
		}
	}
}
