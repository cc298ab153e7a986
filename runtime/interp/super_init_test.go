package interp_test

import "testing"

// TestInitSpellings checks that a `def init` is the class's __init__ (and `def
// postinit` its __post_init__) whichever spelling the caller uses: through
// super() over three levels, through super.init into a base's `def __init__`,
// and called on the base class explicitly.
func TestInitSpellings(t *testing.T) {
	src := `
class A {
    def init(self: A, name: str) { self.name = name; }
}
class B(A) {
    def init(self: B, name: str, w: int) { super().__init__(name); self.w = w; }
}
class C(B) {
    def init(self: C, name: str, s: int) { super().__init__(name, s); }
}
class D(A) {
    def init(self: D, name: str) { A.__init__(self, name + "?"); }
}
class E {
    def __init__(self: E, name: str) { self.name = name; }
}
class F(E) {
    def init(self: F, name: str) { super().init(name + "!"); }
}
obj P { has x: int = 0; def postinit() { print("P.post"); } }
obj Q(P) { def __post_init__() { super.__post_init__(); print("Q.post"); } }
with entry {
    c = C("c", 3);
    print(c.name, c.w, D("d").name, F("f").name);
    Q();
}
`
	want := "c 3 d? f!\nP.post\nQ.post\n"
	if got := runJacSource(t, src); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
