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

// TestExceptionRareFields checks what an exception keeps apart in excRare
// (raise ... from, from None, add_note, OSError's filename) and the implicit
// context, against CPython's output.
func TestExceptionRareFields(t *testing.T) {
	src := `def inner() { raise ValueError("inner"); }
with entry {
    try {
        try { inner(); } except ValueError as e { raise KeyError("outer") from e; }
    } except KeyError as k {
        print(repr(k.__cause__), repr(k.__context__), k.__suppress_context__);
    }
    try {
        try { inner(); } except ValueError as e { raise TypeError("t") from None; }
    } except TypeError as t {
        print(t.__cause__, repr(t.__context__), t.__suppress_context__);
    }
    try {
        try { inner(); } except ValueError { raise IndexError("i"); }
    } except IndexError as i {
        print(i.__cause__, repr(i.__context__), i.__suppress_context__);
    }
    e = ValueError("n");
    print(hasattr(e, "__notes__"));
    e.add_note("first");
    e.add_note("second");
    print(e.__notes__, e.__cause__, e.__suppress_context__);
    try { open("/nonexistent/x"); } except OSError as o { print(o.errno, o.strerror, o.filename, str(o)); }
    o2 = OSError(2, "No such file", "f.txt");
    print(o2.filename, str(o2));
}
`
	want := `ValueError('inner') ValueError('inner') True
None ValueError('inner') True
None ValueError('inner') False
False
['first', 'second'] None False
2 No such file or directory /nonexistent/x [Errno 2] No such file or directory: '/nonexistent/x'
f.txt [Errno 2] No such file: 'f.txt'
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestIntOfInvalidStr checks int(s) and int(s, base) on valid and invalid
// literals (the early rejection of a base-10 literal that starts with no digit,
// the ValueError's text) against CPython's output.
func TestIntOfInvalidStr(t *testing.T) {
	src := `with entry {
    for s in ["x1", " x1 ", "-x", "+", "", " ", "1_000", "_1", "1__0", "0x10", "12a", "  42  ", "-7", "+8", "1e3", "ab", "\u00a0"] {
        try { print(repr(s), int(s)); } except ValueError as e { print(repr(s), "ValueError", e); }
    }
    for (s, b) in [("ff", 16), ("0xff", 16), ("z", 36), ("x", 16), ("12", 8), ("9", 8), ("0b101", 0), ("10", 0)] {
        try { print(repr(s), b, int(s, b)); } except ValueError as e { print(repr(s), b, "ValueError", e); }
    }
}
`
	want := `'x1' ValueError invalid literal for int() with base 10: 'x1'
' x1 ' ValueError invalid literal for int() with base 10: ' x1 '
'-x' ValueError invalid literal for int() with base 10: '-x'
'+' ValueError invalid literal for int() with base 10: '+'
'' ValueError invalid literal for int() with base 10: ''
' ' ValueError invalid literal for int() with base 10: ' '
'1_000' 1000
'_1' ValueError invalid literal for int() with base 10: '_1'
'1__0' ValueError invalid literal for int() with base 10: '1__0'
'0x10' ValueError invalid literal for int() with base 10: '0x10'
'12a' ValueError invalid literal for int() with base 10: '12a'
'  42  ' 42
'-7' -7
'+8' 8
'1e3' ValueError invalid literal for int() with base 10: '1e3'
'ab' ValueError invalid literal for int() with base 10: 'ab'
'\xa0' ValueError invalid literal for int() with base 10: '\xa0'
'ff' 16 255
'0xff' 16 255
'z' 36 35
'x' 16 ValueError invalid literal for int() with base 16: 'x'
'12' 8 10
'9' 8 ValueError invalid literal for int() with base 8: '9'
'0b101' 0 5
'10' 0 10
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
