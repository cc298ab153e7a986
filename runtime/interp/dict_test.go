package interp_test

import "testing"

// TestDictTable checks the dict's index table (dict.go) against CPython's
// output: growth past the small linear dicts, deletion and reinsertion,
// compaction, keys equal across types (1, 1.0, True), int keys whose hashes
// collide in CPython (-1 and -2), tuple keys, copy, clear and popitem.
func TestDictTable(t *testing.T) {
	src := `with entry {
    d = {};
    for i in range(200) { d[i] = i * i; }
    for i in range(0, 200, 3) { del d[i]; }
    print(len(d), d.get(3), d.get(4), 199 in d, 198 in d);
    for i in range(0, 200, 3) { d[i] = -i; }
    print(len(d), list(d.keys())[:5], list(d.keys())[-3:]);
    m = {1: "a", 2: "b"};
    m[1.0] = "c"; m[True] = "d";
    print(m, -1 in {-2: 0}, {-1: 0}.get(-2), {-1: 0}.get(-1));
    e = {};
    for i in range(100) { e[str(i)] = i; del e[str(i)]; }
    print(e, len(e));
    for i in range(50) { e[(i, str(i))] = i; }
    print(len(e), e[(7, "7")], e.pop((7, "7")), (7, "7") in e, len(e.copy()), e.copy() == e);
    e.clear(); e["x"] = 1; print(e);
    f = {i: i for i in range(9)};
    del f[0]; f[100] = 1; print(f, f == {**f});
    g = dict.fromkeys(range(20), 0); g.popitem(); print(len(g), list(g)[-1]);
}
`
	want := `133 None 16 True False
200 [1, 2, 4, 5, 7] [192, 195, 198]
{1: 'd', 2: 'b'} False None 0
{} 0
50 7 7 False 49 True
{'x': 1}
{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 100: 1} True
19 18
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
