package interp_test

import "testing"

// TestParallelAssign checks `(a, b) = (b, a % b)` compiled without a tuple:
// every value is evaluated before the first target is assigned (an exception
// leaves all targets unchanged), targets are assigned left to right (xs[i]
// with the old i), list, attribute, subscript and nested targets, and a length
// mismatch still raising ValueError. Expected output: CPython 3.11's.
func TestParallelAssign(t *testing.T) {
	src := `obj Box { has a: int = 0; }
def fibi(n: int) -> int {
    (a, b) = (0, 1);
    for i in range(n) { (a, b) = (b, a + b); }
    return a;
}
def gcd(a: int, b: int) -> int {
    while b { (a, b) = (b, a % b); }
    return a;
}
with entry {
    print(fibi(90), gcd(1071, 462));
    (x, y) = (1, 2);
    (x, y) = (y, x);
    print(x, y);
    [p, q] = (3, 4);
    print(p, q);
    xs = [10, 20, 30];
    i = 0;
    (xs[i], i) = (5, 2);
    print(xs, i);
    bx = Box();
    (bx.a, xs[2]) = (xs[2], bx.a);
    print(bx.a, xs);
    try { (x, y) = (100, 1 // 0); } except ZeroDivisionError { print("ZDE", x, y); }
    (m, (n, o)) = (1, (2, 3));
    print(m, n, o);
    try { (m, n) = (1, 2, 3); } except ValueError as e { print("VE", e); }
}
`
	want := `2880067194370816120 21
2 1
3 4
[5, 20, 30] 2
30 [5, 20, 0]
ZDE 2 1
1 2 3
VE too many values to unpack (expected 2)
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
