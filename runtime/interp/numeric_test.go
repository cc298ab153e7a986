package interp_test

import "testing"

// TestUnboxedArithmetic checks arithmetic trees evaluated without intermediate
// boxes (numeric.go) against CPython 3.11's output for the same program: int
// overflow into big ints inside a tree, floats (-0.0, NaN), bools as ints, str,
// list and tuple operands, __add__/__radd__/__mul__ of a user class, the order
// in which operands are evaluated, augmented assignment, comparisons of trees,
// and the errors (messages as CPython's) of zero divisors, negative shifts and
// unsupported operands.
func TestUnboxedArithmetic(t *testing.T) {
	src := `class V {
    def __init__(self: V, x: any) { self.x = x; }
    def __add__(self: V, o: any) -> V { return V(self.x + (o.x if isinstance(o, V) else o)); }
    def __radd__(self: V, o: any) -> V { return V(o * 100 + self.x); }
    def __mul__(self: V, o: any) -> V { return V(self.x * o); }
    def __repr__(self: V) -> str { return "V(" + str(self.x) + ")"; }
}
glob order: list = [];
def f(tag: str, v: any) -> any { order.append(tag); return v; }
def main() {
    a = 9223372036854775807;
    b = 3;
    print(a * b + 1 - a, (a + 1) * 2 - a, -(-a - 1) + 0);
    print(2 * a // 3 % 1000, (1 << 62) * 4 + 0, (7 << 61) + 1);
    x = 0.1;
    y = 0.2;
    print(x * 3 + y, -x * 0.0 + 0.0, (-0.0) * 1.0 - 0.0, -(x * 0.0));
    n = float("nan");
    print(n * 2 + 1 < 3, n * 2 + 1 == n * 2 + 1, (x + y) * 10 == 3.0000000000000004);
    print(True + True * 2, (True + 1) * 2.5, 7 // 2 * 2 + 7 % 2, -7 // 2 + -7 % 2, 7.5 % -2 + 0);
    print(1 + 2 * 3 / 4, 2 ** 3 * 2 + 1, 10 / 4 * 2, (2 ** 64) * 2 + 1 - 2 ** 65);
    print("a" + "b" * 2 + "c", [1] + [2] * 2, (1, ) * 2 + (3, ));
    print(V(2) * 3 + 1, 5 + V(1) * 2, 2 * 3 + V(1));
    print(f("a", 1) + f("b", 2) * f("c", 3) - f("d", 4), order);
    s = 0;
    for i in range(5) { s += i * i * 1000000007 * 1000000007 - 1; }
    print(s);
    t = 1.5;
    t += 2 * 0.25 + 1;
    u = 7;
    u -= 2 ** 70 - 2 ** 70 + 10;
    print(t, u);
    h = 1469598103;
    for k in range(5) { h = (h ^ k) * 16777619 % 4294967296; }
    print(h, (a - 1) >> 1 << 1 | 1, -a & 255 ^ 3);
    print(3 * 2 < 7, 2.5 * 2 >= 5, 10 ** 20 + 1 > 10 ** 20, (a + a) > a, 1 + 2 == 3.0, 0.5 + 0.5 < 1);
    z = 0;
    zf = 0.0;
    one = 1;
    try { print(1 / (z * 1)); } except Exception as ex { print(type(ex).__name__, ex); }
    try { print(1.0 % (zf * 2)); } except Exception as ex { print(type(ex).__name__, ex); }
    try { print((one + 1) // z); } except Exception as ex { print(type(ex).__name__, ex); }
    try { print((one + 1) << -one); } except Exception as ex { print(type(ex).__name__, ex); }
    try { print(2 * 3 + "x"); } except Exception as ex { print(type(ex).__name__, ex); }
    try { print(-(one - 1) + None); } except Exception as ex { print(type(ex).__name__, ex); }
}
with entry { main(); }
`
	want := `18446744073709551615 9223372036854775809 9223372036854775808
204 18446744073709551616 16140901064495857665
0.5 0.0 -0.0 -0.0
False False True
3 5.0 7 -3 -0.5
2.5 17 5.0 1
abbc [1, 2, 2] (1, 1, 3)
V(7) V(502) V(601)
3 ['a', 'b', 'c', 'd']
30000000420000001465
3.0 -3
1284022893 9223372036854775807 2
True True True True True False
ZeroDivisionError division by zero
ZeroDivisionError float modulo
ZeroDivisionError integer division or modulo by zero
ValueError negative shift count
TypeError unsupported operand type(s) for +: 'int' and 'str'
TypeError unsupported operand type(s) for +: 'int' and 'NoneType'
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestFloatModulo checks float % against CPython 3.11: the sign of a zero
// result is the divisor's, and results near multiples of the divisor.
func TestFloatModulo(t *testing.T) {
	src := `with entry { x = -4.0; print(x % 2.0, 4.0 % -2.0, -0.0 % 5.0, 5.5 % 2.0, -5.5 % 2.0, 1e300 % 3.0, 7.0 % 0.1, x % -3.0, 1e17 % 3.0, -1e-310 % 1.0); }`
	want := "0.0 -0.0 0.0 1.5 0.5 0.0 0.09999999999999962 -1.0 1.0 1.0\n"
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestFloatPowerAndLocalIndex checks ** inside arithmetic trees (a positive
// base is computed in place; zero to a negative power and overflow raise as
// CPython does) and xs[i] on two locals with its fallbacks (tuple, dict, str,
// out of range, a str index), against CPython 3.11's output.
func TestFloatPowerAndLocalIndex(t *testing.T) {
	src := `def idx(xs: any, i: any) -> any { return xs[i]; }
with entry {
    x = 2.0; y = 0.5; n = -8.0; z = 0.0; big = 10.0; one = 1.0; two = 2;
    print(x ** y + 1, two ** y * 1, x ** -y - 0, one ** float("nan") + 0, (x ** 3) ** 2 + 1, two ** 3 + 1);
    try { print(z ** -y + 1); } except ZeroDivisionError as e { print("ZeroDivisionError", e); }
    try { print(big ** 400.0 + 1); } except OverflowError as e { print("OverflowError", e); }
    print(idx([1, 2, 3], 0), idx([1, 2, 3], -1), idx((4, 5), 1), idx({"a": 1}, "a"), idx("xyz", 2));
    try { idx([1], 5); } except IndexError as e { print("IndexError", e); }
    try { idx([1], "a"); } except TypeError as e { print("TypeError", e); }
}
`
	want := `2.414213562373095 1.4142135623730951 0.7071067811865476 1.0 65.0 9
ZeroDivisionError 0.0 cannot be raised to a negative power
OverflowError (34, 'Numerical result out of range')
1 3 5 1 z
IndexError list index out of range
TypeError list indices must be integers or slices, not str
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
