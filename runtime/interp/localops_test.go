package interp_test

import "testing"

// TestLocalOperandClosures checks the closures specialized for local operands
// (localops.go) against CPython 3.11's output for the same program: int
// comparisons with a literal or a local, and their fallbacks for floats, bools
// and strs; local +/- 1 at the small-int edges and at int64 overflow; a field
// read on a local whose class changes at the same site (a property of the same
// name on the other class), a non-instance, and unbound locals in each.
func TestLocalOperandClosures(t *testing.T) {
	src := `class A {
    def __init__(self: A, x: any) { self.x = x; }
}
class B {
    def __init__(self: B, y: any) { self.y = y; }
    @property
    def x(self: B) -> any { return self.y * 10; }
}
def cmp_all(n: any, m: any) -> list { return [n < 2, n <= 2, n > 2, n >= 2, n == 2, n != 2, n < m, n == m]; }
def inc(n: any) -> tuple { return (n + 1, n - 1); }
def getx(o: any) -> any { return o.x; }
def unbound_cmp(flag: bool) -> bool {
    if flag { v = 1; }
    return v < 2;
}
def unbound_add(flag: bool) -> int {
    if flag { v = 1; }
    return v + 1;
}
def unbound_attr(flag: bool) -> any {
    if flag { v = A(1); }
    return v.x;
}
def main() {
    for (n, m) in [(1, 1), (2, 3), (3, 3), (2.0, 2), (2.5, 1.5), (True, 1), (-5, -5)] { print(cmp_all(n, m)); }
    for n in [0, 131071, 131072, -1025, 9223372036854775807, -9223372036854775808, 1.5, True] { print(inc(n)); }
    print(inc("a") if False else "skip");
    try { print(inc("a")); } except TypeError as e { print("TypeError", e); }
    try { print(cmp_all("a", 1)); } except TypeError as e { print("TypeError", e); }
    for o in [A(1), B(2), A("s"), B(3), A(None)] { print(getx(o)); }
    try { getx(3); } except AttributeError as e { print("AttributeError", e); }
    for f in [unbound_cmp, unbound_add, unbound_attr] {
        try { print(f(True)); f(False); } except UnboundLocalError as e { print("UnboundLocalError", e); }
    }
}
with entry { main(); }
`
	want := `[True, True, False, False, False, True, False, True]
[False, True, False, True, True, False, True, False]
[False, False, True, True, False, True, False, True]
[False, True, False, True, True, False, False, True]
[False, False, True, True, False, True, False, False]
[True, True, False, False, False, True, False, True]
[True, True, False, False, False, True, False, True]
(1, -1)
(131072, 131070)
(131073, 131071)
(-1024, -1026)
(9223372036854775808, 9223372036854775806)
(-9223372036854775807, -9223372036854775809)
(2.5, 0.5)
(2, 0)
skip
TypeError can only concatenate str (not "int") to str
TypeError '<' not supported between instances of 'str' and 'int'
1
20
s
30
None
AttributeError 'int' object has no attribute 'x'
True
UnboundLocalError cannot access local variable 'v' where it is not associated with a value
2
UnboundLocalError cannot access local variable 'v' where it is not associated with a value
1
UnboundLocalError cannot access local variable 'v' where it is not associated with a value
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
