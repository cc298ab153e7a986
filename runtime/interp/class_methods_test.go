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

// TestPropertySetterDecorator checks `@name.setter` after `@property def name`:
// the decorator's name is read from the class being built (not the module, where
// a global of the same name must not win), and the property gains its setter;
// fget/fset/getter as in Python; an obj's property works the same way.
func TestPropertySetterDecorator(t *testing.T) {
	src := `
glob size = "global";
class Box {
    def init(self: Box) { self._size = 1; }
    @property
    def size(self: Box) -> int { return self._size; }
    @size.setter
    def size(self: Box, v: int) {
        if v < 0 { raise ValueError("negative"); }
        self._size = v;
    }
}
obj Temp {
    has c: float = 0.0;
    @property
    def f() -> float { return self.c * 9 / 5 + 32; }
    @f.setter
    def f(v: float) { self.c = (v - 32) * 5 / 9; }
}
with entry {
    b = Box();
    b.size = 5;
    print(b.size, size, Box.size.fget(b), Box.size.fset is not None);
    try { b.size = -1; } except ValueError as e { print("error:", e, b.size); }
    t = Temp();
    t.f = 212.0;
    print(t.c, t.f);
    ro = property(lambda s: any : 1);
    print(ro.fset, ro.getter(lambda s: any : 2).fget(None));
}
`
	want := "5 global 5 True\nerror: negative 5\n100.0 212.0\nNone 2\n"
	if got := runJacSource(t, src); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
