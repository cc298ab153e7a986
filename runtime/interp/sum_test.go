package interp

import "testing"

// TestSumUnboxed checks sum() with its int and float totals kept unboxed:
// overflow into a big int and back, ints and bools into a float total, a start
// value, -0.0, totals that are neither, and the TypeError of an item that
// does not add (expected output: CPython 3.11's).
func TestSumUnboxed(t *testing.T) {
	_, got := loadSource(t, `with entry {
    print(sum([1, 2, 3]), sum(x * x for x in range(100000)), sum([9223372036854775807, 1, -5]));
    print(sum([1, 0.5, 2]), sum([True, True, 3]), sum([2.5, True]), sum([0.5, 0.25], 1));
    print(sum([-0.0]), sum([-0.0], -0.0), sum([1.5, 2], 1), sum([[1], [2]], []), sum((x for x in [1, 2.5, 3]), 10));
    print(sum([1, 2], 0.0), sum([(2 ** 70), 1, -(2 ** 70)]), sum([9223372036854775807, 9223372036854775807, 1.5]));
    try { sum([1, "a"]); } except TypeError as e { print("TypeError", e); }
    try { sum([1.5, "a"]); } except TypeError as e { print("TypeError", e); }
}
`)
	want := `6 333328333350000 9223372036854775803
3.5 5 3.5 1.75
0.0 -0.0 4.5 [1, 2] 16.5
3.0 1 1.8446744073709552e+19
TypeError unsupported operand type(s) for +: 'int' and 'str'
TypeError unsupported operand type(s) for +: 'float' and 'str'
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
