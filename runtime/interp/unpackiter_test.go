package interp_test

import "testing"

// TestUnpackedLoops checks loops whose tuple target takes each item of zip,
// enumerate or dict.items() straight from the iterator (unpackiter.go), and
// every fallback: wrong target counts (CPython's ValueError messages), starred
// and nested targets, zip(strict=True), next() on the same iterator inside the
// loop, attribute/subscript targets, an iterator reading a target name, an
// exception from an inner iterator, dict mutation, a dict subclass overriding
// items(), and a shadowed zip/enumerate. Expected outputs are CPython 3.11's.
func TestUnpackedLoops(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"unpack", `glob a = -1;

def gen_a() {
    for i in range(3) { yield a; }
}

def boom() {
    yield 1;
    raise KeyError("boom");
}

class D(dict) {
    def items(self: D) -> list { return [(1, 2, 3)]; }
}

class Box {
    def init(self: Box) { self.x = 0; }
}

with entry {
    xs = [1, 2, 3, 4];
    ys = "abcd";
    zs = (10, 20, 30);
    for (p, q) in zip(xs, ys) { print(p, q, end=" "); }
    print();
    for (p, q, r) in zip(xs, ys, zs) { print(p, q, r, end=" "); }
    print();
    print([p * r for (p, q, r) in zip(xs, ys, zs) if q != "b"]);
    print(sum(p * r for (p, q, r) in zip(xs, ys, zs)));
    print({q: p for (p, q) in zip(xs, ys)}, sorted({(i, c) for (i, c) in enumerate(ys, 5)}));
    print([[i * j for (j, y) in enumerate(row)] for (i, row) in enumerate([[1, 2], [3, 4]])]);
    for (i, c) in enumerate(ys) { if i == 2 { break; } print(i, c, end=" "); }
    print();
    try { for (p, q) in zip(xs, ys, zs) { print(p); } } except ValueError as e { print("VE", e); }
    try { for (p, q, r) in zip(xs, ys) { print(p); } } except ValueError as e { print("VE", e); }
    try { print([p for (p, q, r) in enumerate(xs)]); } except ValueError as e { print("VE", e); }
    try { for (k, v, w) in {1: 2}.items() { print(k); } } except ValueError as e { print("VE", e); }
    for (p, *rest) in zip(xs, ys, zs) { print(p, rest, end=" "); }
    print();
    for (i, (p, q)) in enumerate(zip(xs, ys)) { print(i, p, q, end=" "); }
    print();
    try { for (p, q) in zip(xs, zs, strict=True) { print(p, q, end=" "); } } except ValueError as e { print("VE", e); }
    try { print([p for (p, q) in zip(zs, xs, strict=True)]); } except ValueError as e { print("VE", e); }
    z = zip(xs, ys);
    for (p, q) in z { print(p, q, next(z), end=" "); }
    print();
    z = zip(xs, ys);
    next(z);
    print([p for (p, q) in z]);
    e = enumerate(ys);
    for (i, c) in e { print(i, c, next(e, None), end=" "); }
    print();
    b = Box();
    d = {};
    for (b.x, d["k"]) in zip(xs, ys) { print(b.x, d, end=" "); }
    print();
    for (a, v) in zip(range(3), gen_a()) { print(a, v, end=" "); }
    print();
    try { for (p, q) in zip(xs, boom()) { print(p, q, end=" "); } } except KeyError as e { print("KE", e); }
    dd = {"x": 1, "y": 2};
    for (k, v) in dd.items() { dd[k] = v * 10; }
    print(dd);
    try { for (k, v) in dd.items() { dd[k + k] = v; } } except RuntimeError as e { print("RE", e); }
    print(sorted((v, k) for (k, v) in dd.items()));
    for (k, v, w) in D(a=1).items() { print(k, v, w); }
    print([(k, v) for [k, v] in {"u": 1}.items()]);
    for (p, q) in zip() { print("never"); }
    for (p, q) in [(1, 2), (3, 4)] { print(p, q, end=" "); }
    print();
}
`, `1 a 2 b 3 c 4 d 
1 a 10 2 b 20 3 c 30 
[10, 90]
140
{'a': 1, 'b': 2, 'c': 3, 'd': 4} [(5, 'a'), (6, 'b'), (7, 'c'), (8, 'd')]
[[0, 0], [0, 1]]
0 a 1 b 
VE too many values to unpack (expected 2)
VE not enough values to unpack (expected 3, got 2)
VE not enough values to unpack (expected 3, got 2)
VE not enough values to unpack (expected 3, got 2)
1 ['a', 10] 2 ['b', 20] 3 ['c', 30] 
0 1 a 1 2 b 2 3 c 3 4 d 
1 10 2 20 3 30 VE zip() argument 2 is shorter than argument 1
VE zip() argument 2 is longer than argument 1
1 a (2, 'b') 3 c (4, 'd') 
[2, 3, 4]
0 a (1, 'b') 2 c (3, 'd') 
1 {'k': 'a'} 2 {'k': 'b'} 3 {'k': 'c'} 4 {'k': 'd'} 
0 -1 1 0 2 1 
1 1 KE 'boom'
{'x': 10, 'y': 20}
RE dictionary changed size during iteration
[(10, 'x'), (10, 'xx'), (20, 'y')]
1 2 3
[('u', 1)]
1 2 3 4 
`},
		{"shadowed", `def zip(a: any, b: any) -> list { return [(1, 2, 3), (4, 5, 6)]; }
def enumerate(x: any) -> list { return [(9,)]; }
with entry {
    for (p, q, r) in zip([1], [2]) { print(p, q, r); }
    print([p + q + r for (p, q, r) in zip([1], [2])]);
    try { for (i, v) in enumerate("ab") { print(i, v); } } except ValueError as e { print("VE", e); }
}
`, `1 2 3
4 5 6
[6, 15]
VE not enough values to unpack (expected 2, got 1)
`},
	} {
		if got := runJacSource(t, c.src); got != c.want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
}
