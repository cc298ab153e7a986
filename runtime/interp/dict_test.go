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

// TestSetDummySlots checks the set table's 24-byte slots, whose deleted keys
// are marked by a nil key with dummyHash (a live key's hash may equal it):
// deletion and reinsertion, pop, growth after many dummies, set algebra,
// against CPython's output.
func TestSetDummySlots(t *testing.T) {
	src := `with entry {
    s = set();
    for i in range(300) {
        s.add(i * 7 % 101);
        s.add("k" + str(i % 50));
    }
    for i in range(0, 101, 3) { s.discard(i); }
    for i in range(0, 50, 2) { s.remove("k" + str(i)); }
    print(len(s), sorted(x for x in s if isinstance(x, int))[:12], 3 in s, 4 in s, "k1" in s, "k2" in s);
    for i in range(0, 101, 3) { s.add(i); }
    print(len(s), 99 in s, 96 in s);
    t = {1, 2, 3};
    t.discard(2); t.add(2); t.discard(1);
    print(t, {5, 6} | {6, 7}, {5, 6} & {6, 7}, {5, 6} - {6}, {5, 6} ^ {6, 7});
    u = set(range(20));
    popped = [u.pop() for _ in range(5)];
    print(popped, sorted(u), len(u));
    for i in range(1000) { u.add(i); u.discard(i - 5); }
    print(len(u), sorted(u)[:5], frozenset({1, 2}) == frozenset({2, 1}), hash(frozenset()) == hash(frozenset()));
    w = {-1, -2, 0, 1};
    w.discard(-1);
    print(w, -2 in w, -1 in w, {(1, "a"), (2, "b")} - {(1, "a")});
}
`
	want := `92 [1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17] False True True False
126 True True
{2, 3} {5, 6, 7} {6} {5} {5, 7}
[0, 1, 2, 3, 4] [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] 15
5 [995, 996, 997, 998, 999] True True
{0, 1, -2} True False {(2, 'b')}
`
	if got := runJacSource(t, src); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
