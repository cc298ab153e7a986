package interp_test

import "testing"

// TestSortUserLt checks sorts of instances with a user __lt__ (sort.go,
// instanceLess): mixed classes sharing a base's __lt__, reverse, key functions
// returning instances, NotImplemented falling back to the reflected __gt__ and
// then TypeError (both orders, and against an int), a non-bool result, __lt__
// replaced on the class during the sort (classEpoch), an __lt__ with a default
// parameter (not the fast path), and an exception raised inside __lt__.
// Expected outputs are CPython 3.11's.
func TestSortUserLt(t *testing.T) {
	src := `glob calls = 0, swapped = 0;

class V {
    def init(self: V, n: int) { self.n = n; }
    def __lt__(self: V, other: any) -> any {
        if isinstance(other, V) { return self.n < other.n; }
        return NotImplemented;
    }
    def __repr__(self: V) -> str { return f"{type(self).__name__}{self.n}"; }
}

class W(V) {}

class G {
    def init(self: G, n: int) { self.n = n; }
    def __gt__(self: G, other: any) -> bool { return self.n > other.n; }
    def __repr__(self: G) -> str { return f"G{self.n}"; }
}

class T {
    def init(self: T, n: int) { self.n = n; }
    def __lt__(self: T, other: T) -> any { return [1] if self.n < other.n else []; }
    def __repr__(self: T) -> str { return f"T{self.n}"; }
}

def rev_lt(self: any, other: any) -> bool { global swapped; swapped += 1; return self.n < other.n; }

class M {
    def init(self: M, n: int) { self.n = n; }
    def __lt__(self: M, other: M) -> bool {
        global calls;
        calls += 1;
        if calls == 4 { M.__lt__ = rev_lt; }
        return self.n < other.n;
    }
    def __repr__(self: M) -> str { return f"M{self.n}"; }
}

class K {
    def init(self: K, n: int) { self.n = n; }
    def __lt__(self: K, other: K, bias: int = 0) -> bool { return self.n + bias < other.n; }
    def __repr__(self: K) -> str { return f"K{self.n}"; }
}

class E {
    def init(self: E, n: int) { self.n = n; }
    def __lt__(self: E, other: E) -> bool {
        if self.n == 3 or other.n == 3 { raise KeyError("three"); }
        return self.n < other.n;
    }
}

with entry {
    ns = [5, 3, 8, 1, 9, 2, 7, 3, 6];
    print(sorted([V(n) if n % 2 else W(n) for n in ns]));
    print(sorted([V(n) for n in ns], reverse=True));
    xs = [W(n) for n in ns];
    xs.sort(key=lambda v: V(-v.n));
    print(xs);
    print(sorted([n for n in ns], key=lambda n: W(n % 4)));
    print(sorted([V(1), G(0), V(2), G(3)] if False else [G(2), V(1)]));
    try { print(sorted([V(2), G(1), V(0)])); } except TypeError as e { print("TE", e); }
    try { print(sorted([V(2), 1])); } except TypeError as e { print("TE", e); }
    try { print(sorted([1, V(2)])); } except TypeError as e { print("TE", e); }
    print(sorted([T(n) for n in ns]));
    print(sorted([M(n) for n in ns]), calls, swapped > 0);
    print(sorted([K(n) for n in ns]));
    try { print(sorted([E(n) for n in ns])); } except KeyError as e { print("KE", e); }
    print(sorted([V(1)]), sorted([]), max([V(3), W(9), V(4)]), min([W(3), V(1)]));
}
`
	want := `[V1, W2, V3, V3, V5, W6, V7, W8, V9]
[V9, V8, V7, V6, V5, V3, V3, V2, V1]
[W9, W8, W7, W6, W5, W3, W3, W2, W1]
[8, 5, 1, 9, 2, 6, 3, 7, 3]
[V1, G2]
TE '<' not supported between instances of 'G' and 'V'
TE '<' not supported between instances of 'int' and 'V'
TE '<' not supported between instances of 'V' and 'int'
[T1, T2, T3, T3, T5, T6, T7, T8, T9]
[M1, M2, M3, M3, M5, M6, M7, M8, M9] 4 True
[K1, K2, K3, K3, K5, K6, K7, K8, K9]
KE 'three'
[V1] [] W9 V1
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
