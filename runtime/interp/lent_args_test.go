package interp_test

import "testing"

// TestLentArguments checks calls that lend their arguments from the thread's
// argument stack (lent_args.go): borrowing builtins and scalar constructors,
// dunders in Jac called from inside a borrowing builtin, recursively and deep
// enough to grow (reallocate) the stack while outer windows are lent, and
// exceptions raised by borrowing callees. The expected output is CPython's.
func TestLentArguments(t *testing.T) {
	src := `obj Deep {
    has n: int;
    def __len__() -> int {
        if self.n == 0 { return 0; }
        return len(Deep(self.n - 1)) + abs(-1) + min(0, 1, 2, 3, 4, 5, 6, 7);
    }
    def __gt__(other: Deep) -> bool { return len(self) > len(other); }
    def __lt__(other: Deep) -> bool { return len(self) < len(other); }
    def __abs__() -> int { return max(len(str(self.n)), len(self), 0); }
    def __repr__() -> str { return "Deep(" + repr(self.n) + ")"; }
}
def boom(x: int) -> int { return len(x); }
with entry {
    print(len(Deep(200)), abs(Deep(150)), max(Deep(3), Deep(120), Deep(7)), min(Deep(90), Deep(2), Deep(60)));
    print(repr(Deep(5)), hash(7), isinstance(Deep(1), Deep), callable(len), round(2.5), round(7.25, 1));
    print(str(12), str("s"), str(1.5), int("42"), int(3.9), float("1.5"), float(2), bool(0), bool("x"), hex(255), oct(-8), bin(5), chr(65), ord("a"));
    for i in range(3) {
        try { boom(i); } except TypeError as e { print("TypeError", e); }
        try { int("x" + str(i)); } except ValueError as e { print("ValueError", e); }
        print(len([1] * i), max(i, 1), min(i, 1));
    }
}
`
	want := `200 150 Deep(120) Deep(2)
Deep(5) 7 True True 2 7.2
12 s 1.5 42 3 1.5 2.0 False True 0xff -0o10 0b101 A 97
TypeError object of type 'int' has no len()
ValueError invalid literal for int() with base 10: 'x0'
0 1 0
TypeError object of type 'int' has no len()
ValueError invalid literal for int() with base 10: 'x1'
1 1 1
TypeError object of type 'int' has no len()
ValueError invalid literal for int() with base 10: 'x2'
2 2 1
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
