package interp_test

import "testing"

// TestDictSetChangedDuringIteration: dicts, their views and sets raise CPython
// 3.11's RuntimeError when an iteration over them sees them change size (a loop
// that adds a key per key it visits used to run until memory ran out), or a dict
// with other keys of the same size; values assigned to existing keys are seen;
// the error repeats at every later step, and an exhausted iterator stays so.
func TestDictSetChangedDuringIteration(t *testing.T) {
	src := `with entry {
    d = {"a": 1, "b": 2, "c": 3};
    try { for k in d { d["z" + k] = 1; } } except RuntimeError as e { print("grow:", e); }
    print(len(d));
    d = {"a": 1, "b": 2};
    try { for k in d { del d[k]; d[k + "x"] = 0; } } except RuntimeError as e { print("swap:", e); }
    d = {"a": 1, "b": 2, "c": 3};
    it = iter(d);
    print(next(it));
    d["z"] = 9;
    try { next(it); } except RuntimeError as e { print("next:", e); }
    try { next(it); } except RuntimeError as e { print("again:", e); }
    d = {"a": 1, "b": 2};
    for (k, v) in d.items() { d[k] = v * 10; }
    print(d);
    e = {"a": 1};
    it2 = iter(e);
    print(list(it2));
    e["b"] = 2;
    print(list(it2));
    s = {1, 2, 3};
    try { print([s.discard(x) for x in s]); } except RuntimeError as e { print("comp:", e); }
    d = {"x": 1};
    vals = d.values();
    itv = iter(vals);
    d.clear();
    try { next(itv); } except RuntimeError as e { print("clear:", e); }
    print(sorted(k for k in {"b": 1, "a": 2}));
}
`
	want := "grow: dictionary changed size during iteration\n4\nswap: dictionary keys changed during iteration\na\nnext: dictionary changed size during iteration\nagain: dictionary changed size during iteration\n{'a': 10, 'b': 20}\n['a']\n[]\ncomp: Set changed size during iteration\nclear: dictionary changed size during iteration\n['a', 'b']\n"
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
