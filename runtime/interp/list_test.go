package interp_test

import "testing"

// TestListStores checks the typed list stores (list.go) against CPython 3.11's
// output of the same program: ints and bools kept unboxed, and every way a list
// leaves its typed store (a bool, a float, a str or a big int stored in an int
// list; an int in a bool list), with the fallbacks: mutation during iteration,
// self-reference, aliasing, slice assignment from the list itself, overflowing
// sums, sorting mixed types, an __eq__ that matches anything, comparisons and
// copies. The expected text is CPython's output of the Python twin.
func TestListStores(t *testing.T) {
	src := `obj Any {
    def __eq__(o: object) -> bool { return True; }
}
with entry {
    b = [True] * 3; b[1] = 1; print(b, b[0] is True, type(b[1]).__name__);
    l = [1, 2]; l.append(True); print(l, l[2] is True, l[-1]);
    l = [1, 2]; l.append(1.0); print(l, 1.0 in [1, 2], True in [1, 2], True in [2, 3], [1, 2].index(True));
    print([True, False, True].count(1), [0, 1, 0].count(False), [1, 2].count(1.0), [True].count(2));
    l = [1, 2]; l.append(2 ** 70); print(l, sum([2 ** 62] * 2), sum([2 ** 62, 2 ** 62, -(2 ** 62)]), sum([1, 2], 0.5));
    l = list(range(10)); print(l[-1], l[::-2], l[2:8:3], l[8:2:-2], l[-3:], l[100:], l[:-100]);
    l[2:5] = [True]; print(l);
    l = list(range(5)); l[1:3] = l; print(l);
    l = list(range(10)); l[::2] = [0] * 5; print(l);
    l = list(range(10)); del l[::3]; print(l);
    l = list(range(10)); del l[8:1:-3]; print(l);
    l = list(range(10)); del l[2:4]; del l[-1]; print(l);
    l = [1, 2, 3]; for x in l { if x < 3 { l.append(x * 10); } } print(l);
    l = [1, 2, 3]; for x in l { if x == 1 { l.append("s"); } print(x); }
    l = [1, 2]; l[0] = l; print(l);
    a = [1, 2]; c = a; c.append("x"); print(a, a is c);
    print([1, 2] == [1, 2], [1, 2] == [1.0, 2.0], [True] == [1], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [1] < [1.5], [True] < [2], [3] > [True, False]);
    l = [3, 1, 2]; l.sort(); print(l); l.sort(reverse=True); print(l);
    f = [True, False, True]; f.sort(); print(f); f.sort(reverse=True); print(f);
    try { [1, "a"].sort(); } except TypeError as e { print("TypeError", e); }
    l = [3, 1, 2]; l.sort(key=lambda x: int : -x); print(l, sorted([5, 4, 6]), sorted([5, 4, 6], reverse=True), sorted([2, 1], key=lambda x: int : x % 2));
    print(min([4, 2, 9]), max([4, 2, 9]), min([True, False]), max([False, True]), sum([True, True]), sum(range(5)));
    print([x if x < 3 else "s" for x in range(5)], [x > 2 for x in range(5)], [0] * 0, [] * 3, [1, 2] * -1, [1, 2] * 2);
    l = [1, 2, 3]; l.insert(0, True); print(l, l.pop(), l); l.remove(2); print(l);
    l = [1, 2, 3]; l.insert(-1, 9); l.insert(100, 8); print(l, l.pop(0), l);
    print(Any() in [1, 2], [1, 2].index(Any()), [1, 2].count(Any()));
    nan = float("nan"); l = [nan]; print(l == l, [1, 2] == [1, 2.5]);
    l = [1, 2]; l += l; print(l); l.extend(l); print(l); l *= 2; print(len(l));
    l = [1, 2]; m = l.copy(); n = list(l); o = l[:]; l[0] = 7; print(m, n, o, l);
    e = []; e.append(True); e.append(1); print(e);
    e = []; e.extend([1, 2]); e.extend([True]); print(e);
    e = []; e += [False]; e.insert(0, "a"); print(e);
    l = [5, 6, 7]; l.clear(); l.append(1); print(l);
    l = [1, 2, 3]; l.reverse(); print(l, list(reversed(l)), l.index(1), 2 in l, 9 in l);
    print([1, 2] + [True], [True] + [1], [] + [1], [1] + [], [1, 2] + ["a"]);
    (x, y) = [1, 2]; print(x, y, [*[1, 2], *[True]], str([1, -2]), repr([False]));
    try { [1, 2][5]; } except IndexError as e { print("IndexError", e); }
    try { l = [1]; l[5] = 2; } except IndexError as e { print("IndexError", e); }
    try { [1].index(5); } except ValueError as e { print("ValueError", e); }
    big = [9223372036854775807, 1]; print(sum(big), big[0] + big[1], -9223372036854775807 - 1 in [-9223372036854775807 - 1]);
    print([[1, 2], [3]] == [[1, 2], [3]], [[True]] == [[1]], sorted([[2], [1, 5], [1]]));
    l = [1, 2, 3, 4]; l[1:3] = []; print(l); l[1:1] = [7, 8]; print(l); l[0:0] = ("a",); print(l);
    l = [1, 2, 3, 4, 5, 6]; l[::-2] = [0, 0, 0]; print(l);
    l = [2, 4]; l[1:] = [True, False]; print(l);
}
`
	want := `[True, 1, True] True int
[1, 2, True] True True
[1, 2, 1.0] True True False 0
2 2 1 0
[1, 2, 1180591620717411303424] 9223372036854775808 4611686018427387904 3.5
9 [9, 7, 5, 3, 1] [2, 5] [8, 6, 4] [7, 8, 9] [] []
[0, 1, True, 5, 6, 7, 8, 9]
[0, 0, 1, 2, 3, 4, 3, 4]
[0, 1, 0, 3, 0, 5, 0, 7, 0, 9]
[1, 2, 4, 5, 7, 8]
[0, 1, 3, 4, 6, 7, 9]
[0, 1, 4, 5, 6, 7, 8]
[1, 2, 3, 10, 20]
1
2
3
s
[[...], 2]
[1, 2, 'x'] True
True True True True True True True True
[1, 2, 3]
[3, 2, 1]
[False, True, True]
[True, True, False]
TypeError '<' not supported between instances of 'str' and 'int'
[3, 2, 1] [4, 5, 6] [6, 5, 4] [2, 1]
2 9 False True 2 10
[0, 1, 2, 's', 's'] [False, False, False, True, True] [] [] [] [1, 2, 1, 2]
[True, 1, 2] 3 [True, 1, 2]
[True, 1]
[2, 9, 3, 8] 1 [2, 9, 3, 8]
True 0 2
True False
[1, 2, 1, 2]
[1, 2, 1, 2, 1, 2, 1, 2]
16
[1, 2] [1, 2] [1, 2] [7, 2]
[True, 1]
[1, 2, True]
['a', False]
[1]
[3, 2, 1] [1, 2, 3] 2 True False
[1, 2, True] [True, 1] [1] [1] [1, 2, 'a']
1 2 [1, 2, True] [1, -2] [False]
IndexError list index out of range
IndexError list assignment index out of range
ValueError 5 is not in list
9223372036854775808 9223372036854775808 True
True True [[1], [1, 5], [2]]
[1, 4]
[1, 7, 8, 4]
['a', 1, 7, 8, 4]
[1, 0, 3, 0, 5, 0]
[2, True, False]
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestFloatListStores checks the float list store (list.go) and the unboxed
// element reads and writes of arithmetic (listnum.go) against CPython 3.11's
// output of the same program: -0.0, NaN and inf kept exactly, repr unchanged,
// an int, a bool or a str stored into a float list generalising it (never
// converted), float results stored into an int list, aliasing, slices and
// slice assignment, stable sorting of -0.0 and 0.0 (a NaN falls back to the
// generic sort), equality, `in`, index and count across int and float, sum,
// min and max, errors raised from the unboxed paths (the list left as it was),
// dicts, tuples and str lists through the same compiled paths, int overflow.
func TestFloatListStores(t *testing.T) {
	src := `with entry {
    xs = [0.5, -0.0, 1e308]; print(xs, repr(xs[1]), xs[2] * 10, [float("nan"), float("inf"), -float("inf")], -xs[1]);
    xs[0] = 3; print(xs, type(xs[0]).__name__, xs[0] + 0.5);
    ys = [1.5, 2.5]; ys[0] += 1; print(ys, type(ys[0]).__name__);
    zs = [1.5, 2.5]; zs[1] = True; print(zs, zs[1] is True);
    ws = [0.0] * 3; ws[1] = "a"; print(ws);
    a = [1.0, 2.0]; b = a; b[0] -= 0.25; print(a, a is b);
    n = [0.0] * 4; for i in range(4) { n[i] = i * 0.5 + 0.25; } print(n);
    m = [1, 2, 3]; m[0] += 0.5; print(m); m[1] = m[1] * 1.5; print(m);
    i2 = [1, 2]; i2[0] /= 2; i2[1] = i2[1] * 3; print(i2);
    f = [1.5, 2.5, 3.5, 4.5]; print(f[1:3], f[::-2], f[:0]); g = f[1:]; g[0] = 9.0; print(f, g);
    s = [3.0, -0.0, 0.0, -1.5, float("inf"), -float("inf")]; s.sort(); print(s); s.sort(reverse=True); print(s);
    z = [0.0, -0.0]; z.sort(); print(z); z.sort(reverse=True); print(z, sorted([-0.0, 0.0], reverse=True), sorted([2.5, 1.5]));
    q = [2.0, float("nan"), 1.0]; q.sort(); print(q);
    print([1.0, 2.0] == [1.0, 2.0], [1.0, 2.0] == [1, 2], [0.0] == [-0.0], [1.0] < [1.5], 2.0 in [1.0, 2.0], 2 in [1.0, 2.0], True in [1.0], "a" in [1.0], [1.0, 2.0].index(2), [0.0, -0.0].count(0.0));
    nan = float("nan"); print([nan] == [float("nan")], float("nan") in [nan], [1.0, nan] == [1.0]);
    u = [1.0]; u.append(2); print(u); u2 = [1.0]; u2.append(2.0); u2.insert(0, -0.0); u2.extend([0.5]); print(u2, u2.pop(), u2 + [1.5], u2 * 2, u2 + [1]);
    print(sum([0.5] * 10), sum([1.5, 2.5], 1), sum([1e308, 1e308]), sum([0.5], 0.25), sum([]), sum([1.0, 2]), max([1.5, 3.5]), min([2.5, -1.0]));
    k = [1.5, 2.5]; k[-1] *= 2.0; k[-2] -= k[-1]; print(k);
    try { k[5] += 1.0; } except IndexError as e { print("IndexError", e); }
    try { k[0] = k[9] * 2.0; } except IndexError as e { print("IndexError", e); }
    try { k[0] /= 0.0; } except ZeroDivisionError as e { print("ZeroDivisionError", e); }
    print(k);
    d = {"a": 1.0}; d["a"] += 2.5; d["b"] = d["a"] * 2.0; print(d);
    t = (1.5, 2.5); print(t[0] * t[1], t[0] < t[1]);
    l2 = [[1.0, 2.0], [3.0, 4.0]]; l2[1][0] += l2[0][1] * 2.0; print(l2);
    acc = 0.0; for v in [0.5, 0.25] { acc += v; } print(acc, [x * 2.0 for x in [1.5, 2.5]], list(reversed([1.0, 2.0])));
    r = [1.0, 2.0]; r[0] = r; print(r);
    bb = [2 ** 62, 2 ** 62]; bb[0] += bb[1]; print(bb); bb[1] = bb[1] * 4; print(bb);
    cc = [1.0, 2.0, 3.0]; del cc[1]; cc.remove(1.0); print(cc, cc[0] + 1);
    ee = [0.1 * 3, 1 / 3, 1e-7, 1e16, 123456789.0]; print(ee, str(ee[0]), f"{ee[1]:.3f}");
    hh = [1.0, 2.0]; hh[True] = 5.0; hh[False] += 0.5; print(hh);
    ss = ["a", "b"]; ss[0] += ss[1]; print(ss, ss[0] + ss[1]);
    fl = [1.0, 2.0, 3.0, 4.0]; fl[1:3] = [9.5]; print(fl); fl[::2] = [0.0, 0.0]; print(fl); del fl[::2]; print(fl);
    p = [1.5] * 2; p[0] = p[1] ** 2; p[1] = -p[0]; print(p, p[0] > p[1], p[0] ** 0.5);
}
`
	want := `[0.5, -0.0, 1e+308] -0.0 inf [nan, inf, -inf] 0.0
[3, -0.0, 1e+308] int 3.5
[2.5, 2.5] float
[1.5, True] True
[0.0, 'a', 0.0]
[0.75, 2.0] True
[0.25, 0.75, 1.25, 1.75]
[1.5, 2, 3]
[1.5, 3.0, 3]
[0.5, 6]
[2.5, 3.5] [4.5, 2.5] []
[1.5, 2.5, 3.5, 4.5] [9.0, 3.5, 4.5]
[-inf, -1.5, -0.0, 0.0, 3.0, inf]
[inf, 3.0, -0.0, 0.0, -1.5, -inf]
[0.0, -0.0]
[0.0, -0.0] [-0.0, 0.0] [1.5, 2.5]
[2.0, nan, 1.0]
True True True True True True True False 1 2
False False False
[1.0, 2]
[-0.0, 1.0, 2.0] 0.5 [-0.0, 1.0, 2.0, 1.5] [-0.0, 1.0, 2.0, -0.0, 1.0, 2.0] [-0.0, 1.0, 2.0, 1]
5.0 5.0 inf 0.75 0 3.0 3.5 -1.0
[-3.5, 5.0]
IndexError list index out of range
IndexError list index out of range
ZeroDivisionError float division by zero
[-3.5, 5.0]
{'a': 3.5, 'b': 7.0}
3.75 True
[[1.0, 2.0], [7.0, 4.0]]
0.75 [3.0, 5.0] [2.0, 1.0]
[[...], 2.0]
[9223372036854775808, 4611686018427387904]
[9223372036854775808, 18446744073709551616]
[3.0] 4.0
[0.30000000000000004, 0.3333333333333333, 1e-07, 1e+16, 123456789.0] 0.30000000000000004 0.333
[1.5, 5.0]
['ab', 'b'] abb
[1.0, 9.5, 4.0]
[0.0, 9.5, 0.0]
[9.5]
[2.25, -2.25] True 1.5
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSortPermutation checks sorting through a permutation of indexes (sort.go)
// against CPython 3.11's output of the same program: keys that are all ints,
// floats (-0.0 and 0.0 keep their order), strs or tuples (with a NaN inside),
// mixed keys through Python's <, stability forwards and reversed, the key
// called on a single item, TypeError on unorderable keys, typed int lists,
// tuple keys taken apart into columns (-0.0 and 0.0 equal, lengths that differ,
// a bool or a big int in a column falling back to Python's <).
func TestSortPermutation(t *testing.T) {
	src := `with entry {
    words = ["pear", "fig", "apple", "kiwi", "date", "banana", "plum"];
    print(sorted(words, key=len), sorted(words, key=len, reverse=True), sorted(words, reverse=True));
    pairs = [(i % 3, -i, str(i)) for i in range(12)];
    print(sorted(pairs)[:4], sorted(pairs, reverse=True)[:4], sorted(pairs, key=lambda p: tuple : (p[0], p[2]))[:4]);
    nan = float("nan");
    print(sorted([(1, 2.0), (1, nan), (0, 5.0)])[0], sorted([3.5, -0.0, 0.0, 1e300, -2.5]), sorted([0.0, -0.0]), sorted([-0.0, 0.0]));
    print(sorted([3, 1.5, True, 2]), sorted([[2, "b"], [1], [2, "a"]]), sorted(range(5), key=lambda x: int : -x));
    try { sorted([(1, "a"), (1, 2)]); } except TypeError as e { print("TypeError", e); }
    try { sorted([1], key=lambda x: int : 1 // 0); } except ZeroDivisionError { print("key called"); }
    big = [(i * 7919) % 1009 for i in range(5000)];
    s = sorted(big); print(s[:5], s[-5:], s == sorted(big, reverse=True)[::-1]);
    recs = [(i % 7, i) for i in range(3000)];
    st = sorted(recs, key=lambda r: tuple : r[0]);
    print(all(st[i][1] < st[i + 1][1] for i in range(len(st) - 1) if st[i][0] == st[i + 1][0]));
    rv = sorted(recs, key=lambda r: tuple : r[0], reverse=True);
    print(rv[0], rv[-1], all(rv[i][1] < rv[i + 1][1] for i in range(len(rv) - 1) if rv[i][0] == rv[i + 1][0]));
    l = [5, 3, 9]; l.sort(key=lambda x: int : x % 3); print(l);
    m = ["b", "a", 3]; try { m.sort(); } except TypeError as e { print("TypeError", e); }
    print(sorted("hello"), sorted({3: 1, 1: 2}), sorted([True, False, 1, 0]), max([1, 5, 5, 2]), min([], default=7));
    print(sorted([2 ** 70, 1, -(2 ** 64)]), sorted([[True, 2], [1, 1]]));
    print(sorted([(0.0, "b"), (-0.0, "a"), (-1.5, "z")]), sorted([(1, 2), (1,), (0, 5, 1)]), sorted([(True, 1), (0, 2), (1, 0)]), sorted([(2 ** 70, "a"), (5, "b")]), sorted([(2, "x", 1.5), (2, "x", -1.5), (1, "y", 0.0)], reverse=True));
}
`
	want := `['fig', 'pear', 'kiwi', 'date', 'plum', 'apple', 'banana'] ['banana', 'apple', 'pear', 'kiwi', 'date', 'plum', 'fig'] ['plum', 'pear', 'kiwi', 'fig', 'date', 'banana', 'apple']
[(0, -9, '9'), (0, -6, '6'), (0, -3, '3'), (0, 0, '0')] [(2, -2, '2'), (2, -5, '5'), (2, -8, '8'), (2, -11, '11')] [(0, 0, '0'), (0, -3, '3'), (0, -6, '6'), (0, -9, '9')]
(0, 5.0) [-2.5, -0.0, 0.0, 3.5, 1e+300] [0.0, -0.0] [-0.0, 0.0]
[True, 1.5, 2, 3] [[1], [2, 'a'], [2, 'b']] [4, 3, 2, 1, 0]
TypeError '<' not supported between instances of 'int' and 'str'
key called
[0, 0, 0, 0, 0] [1008, 1008, 1008, 1008, 1008] True
True
(6, 6) (0, 2996) True
[3, 9, 5]
TypeError '<' not supported between instances of 'int' and 'str'
['e', 'h', 'l', 'l', 'o'] [1, 3] [False, 0, True, 1] 5 7
[-18446744073709551616, 1, 1180591620717411303424] [[1, 1], [True, 2]]
[(-1.5, 'z'), (-0.0, 'a'), (0.0, 'b')] [(0, 5, 1), (1,), (1, 2)] [(0, 2), (1, 0), (True, 1)] [(5, 'b'), (1180591620717411303424, 'a')] [(2, 'x', 1.5), (2, 'x', -1.5), (1, 'y', 0.0)]
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestDictViewIterate checks that iterating d.keys() and d.values() walks the
// dict's entries in place, in insertion order, deleted entries skipped, and
// raises CPython 3.11's RuntimeError when the loop changes the dict's size.
func TestDictViewIterate(t *testing.T) {
	src := `with entry {
    d = {"a": 1, "b": 2, "c": 3};
    del d["b"];
    print(sum(d.values()), list(d.keys()), [v * 2 for v in d.values()], max(d.values()), sorted(d.keys(), reverse=True));
    try { for k in d.keys() { d[k + "x"] = 0; } } except RuntimeError as e { print(e); }
    print(len(d));
    e = {1: 2, 3: 4};
    try { for v in e.values() { del e[3]; print(v); } } except RuntimeError as x { print(x); }
    print(e);
}
`
	want := "4 ['a', 'c'] [2, 6] 3 ['c', 'a']\ndictionary changed size during iteration\n3\n2\ndictionary changed size during iteration\n{1: 2}\n"
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestDictComprehensionReserve checks dict comprehensions over sized sources,
// which reserve the dict's entries and table up front, against CPython 3.11:
// repeated keys (the reserved room given back), keys equal across types,
// updates and deletions after the build.
func TestDictComprehensionReserve(t *testing.T) {
	src := `with entry {
    a = {x % 3: x for x in range(1000)};
    b = {str(x): x * x for x in range(20)};
    c = {x: -x for x in [5, 1, 5, 2, 1]};
    e = {k: v for (k, v) in [(1, "a"), (1.0, "b"), (True, "c"), (2, "d")]};
    print(a, len(b), b["19"], list(b)[:3], c, e);
    a[7] = 7; del a[0]; a[0] = 1;
    print(a, 7 in a, {i: i for i in range(100)}[99], len({i // 10: i for i in range(100)}));
}
`
	want := `{0: 999, 1: 997, 2: 998} 20 361 ['0', '1', '2'] {5: -5, 1: -1, 2: -2} {1: 'c', 2: 'd'}
{1: 997, 2: 998, 7: 7, 0: 1} True 99 10
`
	if got := runJacSource(t, src); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
