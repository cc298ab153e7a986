package interp

import "testing"

// TestComprehensionLoops checks comprehensions whose target is a local, which
// walk a range or a list directly: a list growing while it is iterated, a list
// shrinking, nested fors and several ifs, negative and empty ranges, big ints,
// closures over the loop variable, an exception from the element, and the
// sources that still go through Iterate (str, tuple, a generator); expected
// output: CPython 3.11's.
func TestComprehensionLoops(t *testing.T) {
	_, got := loadSource(t, `with entry {
    xs = [1, 2, 3];
    ys = [x for x in xs if x < 10 and xs.append(x * 10) is None];
    print(ys, xs);
    zs = [v for v in xs if v % 2 == 0 if v > 2];
    print(zs);
    ws = [(a, b) for a in range(3) for b in range(a) if a != b];
    print(ws);
    print([x for x in range(10, 0, -3)], [x for x in range(0)], {x: x * x for x in range(4)}, {x % 3 for x in range(10)});
    l = [1, 2, 3, 4];
    print([l.pop() for x in l]);
    big = [x * x for x in [2 ** 40, 3, 2 ** 70]];
    print(big);
    acc = [];
    fs = [lambda: x for x in range(3)];
    print([f() for f in fs]);
    try { print([1 // (x - 2) for x in range(5)]); } except ZeroDivisionError as e { print("zde", e); }
    print([c for c in "héllo" if c != "l"], [t for t in (1, 2) for u in [t, t]]);
    print(any(x > 2 for x in range(10)), [y for x in [[1, 2], [3]] for y in x]);
}
`)
	want := `[1, 2, 3] [1, 2, 3, 10, 20, 30]
[10, 20, 30]
[(1, 0), (2, 0), (2, 1)]
[10, 7, 4, 1] [] {0: 0, 1: 1, 2: 4, 3: 9} {0, 1, 2}
[4, 3]
[1208925819614629174706176, 9, 1393796574908163946345982392040522594123776]
[2, 2, 2]
zde integer division or modulo by zero
['h', 'é', 'o'] [1, 1, 2, 2]
True [1, 2, 3]
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestGenExprOverRangeIterator checks generator expressions over a range, whose
// loop walks the range iterator in place: the iterator is advanced as Next
// would advance it, so a caller's iterator shared with the generator expression
// stops where the generator stopped (any() short-circuiting) or was pulled.
func TestGenExprOverRangeIterator(t *testing.T) {
	_, got := loadSource(t, `with entry {
    it = iter(range(10));
    print(any(x > 3 for x in it), list(it));
    print(sum(x for x in range(10000) if x & 1), max(x * 3 for x in range(5, 0, -1)));
    r = iter(range(3));
    g = (x for x in r);
    print(next(g), list(r), list(g));
    print(sorted((x % 4 for x in range(-5, 5)), reverse=True), tuple(x for x in range(0)));
}
`)
	want := `True [5, 6, 7, 8, 9]
25000000 15
0 [1, 2] []
[3, 3, 3, 2, 2, 1, 1, 0, 0, 0] ()
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
