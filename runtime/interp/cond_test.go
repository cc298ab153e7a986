package interp_test

import "testing"

// TestConditionTruthOnce checks that a condition made of and/or/not takes each
// operand's truth once, as CPython's jumps do (the value of `a and b` was
// tested again after the operator had tested a), against CPython 3.11's output.
func TestConditionTruthOnce(t *testing.T) {
	src := `glob calls: list = [];
class T {
    def __init__(self: T, name: str, v: bool) { self.name = name; self.v = v; }
    def __bool__(self: T) -> bool { calls.append(self.name); return self.v; }
}
def check(a: any, b: any) -> list {
    r = [];
    if a and b { r.append("and"); }
    if a or b { r.append("or"); }
    if not a { r.append("not"); }
    if not (a and b) or a { r.append("mixed"); }
    while a and b { break; }
    return r;
}
def boom() -> any { raise ValueError("x"); }
with entry {
    print(check(T("f", False), T("t", True)), calls);
    calls.clear();
    print(check(T("t", True), T("f", False)), calls);
    calls.clear();
    print(check(0, []), check(1.5, "x"), check(None, 0.0));
    try { if 0 or boom() { } } except ValueError as e { print("caught", e); }
}
`
	want := `['or', 'not', 'mixed'] ['f', 'f', 't', 'f', 'f', 'f']
['or', 'mixed'] ['t', 'f', 't', 't', 't', 'f', 't', 'f']
['not', 'mixed'] ['and', 'or', 'mixed'] ['not', 'mixed']
caught x
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
