package interp_test

import "testing"

// TestUnpackTupleInPlace checks unpacking a tuple without copying it: targets
// that alias the source (a swap through list items, a target that is the tuple's
// own name), starred targets, loop targets over tuples of pairs, and the length
// errors, against a list source that a target mutates (which must see the
// values as they were before the assignment).
func TestUnpackTupleInPlace(t *testing.T) {
	src := `
with entry {
    xs = [1, 2, 3];
    (xs[0], xs[2]) = (xs[2], xs[0]);
    t = (7, 8, 9);
    (a, t, c) = t;
    print(xs, a, t, c);
    (h, *mid, z) = (1, 2, 3, 4, 5);
    print(h, mid, z);
    s = 0;
    for (k, (u, v)) in enumerate([(1, 2), (3, 4)]) { s += k * 100 + u * 10 + v; }
    print(s);
    ys = [10, 20];
    (ys[1], ys[0]) = ys;
    print(ys);
    try { (p, q) = (1, 2, 3); } except ValueError as e { print(e); }
    try { (p, q, r) = (1, 2); } except ValueError as e { print(e); }
}
`
	want := "[3, 2, 1] 7 8 9\n1 [2, 3, 4] 5\n146\n[20, 10]\ntoo many values to unpack (expected 2)\nnot enough values to unpack (expected 3, got 2)\n"
	if got := runJacSource(t, src); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
