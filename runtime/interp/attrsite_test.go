package interp_test

import "testing"

// TestAttributeSiteCaches checks the per-site caches of attribute reads and
// stores (fieldSite, storeSite in attr.go) and the attribute room of
// Python-style instances against CPython 3.11's output for the same program:
// stores through a property setter, a __set__ descriptor and a user
// __setattr__; a property added to the class after a site cached plain stores
// there (and replaced again); more than 8 attributes; del of one; a missing
// attribute at a site that cached another class; a method call site that
// meets an instance whose own attribute shadows the method.
func TestAttributeSiteCaches(t *testing.T) {
	src := `glob log: list = [];
class D {
    def __get__(self: D, obj: any, owner: any = None) -> any { return "desc-get"; }
    def __set__(self: D, obj: any, v: any) { log.append(("desc-set", v)); }
}
def get_y(self: any) -> any { return self._y * 2; }
def set_y(self: any, v: any) { log.append(("y-set", v)); self._y = v; }
class P {
    static has kind: str = "cls";
    static has d: any = D();
    def __init__(self: P, x: any) { self.x = x; self.d = x; }
    static has y: any = property(get_y, set_y);
}
class Q {
    def __setattr__(self: Q, name: str, v: any) { log.append(("setattr", name, v)); object.__setattr__(self, name, v); }
}
class Many {
    def __init__(self: Many) {
        for i in range(12) { setattr(self, "a" + str(i), i); }
        self.z = 1;
    }
}
def setx(o: any, v: any) { o.x = v; }
def getx(o: any) -> any { return o.x; }
def main() {
    ps = [P(i) for i in range(3)];
    for p in ps {
        p.y = p.x + 10;
        print(p.x, p.y, p.d, p.kind, getx(p));
    }
    q = Q();
    for i in range(3) { setx(q, i); }
    print(getx(q), log);
    log.clear();
    p = ps[0];
    setx(p, "a");
    print(getx(p));
    P.x = property(lambda self: any : "prop-x", lambda self: any, v: any : log.append(("x-set", v)));
    setx(p, "b");
    print(log);
    P.x = None;
    setx(p, "c");
    print(getx(p));
    m = Many();
    print(m.a0, m.a11, m.z, len(vars(m)));
    m2 = Many();
    m2.extra = 5;
    print(m2.extra, m2.a5);
    del m2.a5;
    try { print(m2.a5); } except AttributeError as e { print("AttributeError", e); }
    try { print(getx(Many())); } except AttributeError as e { print("AttributeError", e); }
}
class M {
    def __init__(self: M, k: int) { self.k = k; }
    def m(self: M) -> str { return "method" + str(self.k); }
}
with entry {
    main();
    ms = [M(1), M(2), M(3)];
    ms[1].m = lambda : "own";
    print([o.m() for o in ms]);
}
`
	want := `0 20 desc-get cls 0
1 22 desc-get cls 1
2 24 desc-get cls 2
2 [('desc-set', 0), ('desc-set', 1), ('desc-set', 2), ('y-set', 10), ('y-set', 11), ('y-set', 12), ('setattr', 'x', 0), ('setattr', 'x', 1), ('setattr', 'x', 2)]
a
[('x-set', 'b')]
c
0 11 1 13
5 5
AttributeError 'Many' object has no attribute 'a5'
AttributeError 'Many' object has no attribute 'x'
['method1', 'own', 'method3']
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
