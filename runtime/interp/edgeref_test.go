package interp_test

import "testing"

// edgeRefLoopsApp uses edge references where their results are only read
// (for loops and visits over a reusable buffer, edgeref.go) beside ones used
// as values: loops whose body connects and deletes edges (the loop runs over
// the result taken before it), return, break, continue and else inside them,
// nested loops and recursion (each takes its own buffer), a generator that
// yields inside one, a target that is not a local, typed hops with conditions
// and node filters, and visits with else, an index and disengage. The
// expected output is the one of the build before the buffers (lists).
const edgeRefLoopsApp = `
node N { has i: int = 0; }
node M { has i: int = 0; }
edge E { has w: int = 0; }
edge F {}

def kids(n: N) -> list {
    out = [];
    for k in [n -->] { out.append(k.i); }
    return out;
}

def first_heavy(n: N) -> int {
    for e in [edge n ->:E:w > 1:->] { return e.w; }
    return -1;
}

def gen_kids(n: N) {
    for k in [n -->] { yield k.i; }
}

def depth(n: any) -> int {
    best = 0;
    for k in [n -->] { best = max(best, 1 + depth(k)); }
    return best;
}

walker W {
    has seen: list = [];
    can go with N entry {
        self.seen.append(here.i);
        if here.i == 2 { visit [-->] else { self.seen.append("none"); } }
        elif here.i == 1 { visit :0: [-->]; }
        else { visit [->:E:w > 0:->]; }
    }
    can stop with M entry {
        self.seen.append(("M", here.i));
        if here.i == 9 { disengage; }
        visit [-->];
    }
}

with entry {
    a = N(i=0); b = N(i=1); c = N(i=2); d = N(i=3); m = M(i=8); m9 = M(i=9);
    a +>:E(w=1):+> b; a +>:E(w=2):+> c; a +>:F:+> d; b ++> m; m ++> m9; m9 ++> N(i=5);
    print(kids(a), first_heavy(a), list(gen_kids(a)), depth(a));
    # the body connects and deletes edges: the loop runs over the list taken before
    n = 0;
    for k in [a -->] { a ++> N(i=10 + k.i); n += 1; }
    print(n, len([a -->]));
    for e in [edge a ->:E:->] { if e.w == 1 { a del --> b; } }
    print(kids(a));
    # break, continue, else, nested loops over references, a non-local target
    for x in [a -->] { if x.i == 2 { continue; } if x.i == 10 { break; } print("x", x.i); } else { print("no break"); }
    for x in [a ->:E:->] { n += 0; } else { print("else ran"); }
    pairs = [];
    for x in [a -->] { for y in [a -->] { if x.i < y.i and y.i < 12 { pairs.append((x.i, y.i)); } } }
    print(pairs);
    holder = {"k": None};
    for holder["k"] in [a ->:F:->] { n += 0; }
    print(holder["k"].i);
    # a reference as a value, with typed hops and node filters
    print([k.i for k in [a -->](?:N, i > 2)], len([a -->](?:M)), [k.i for k in [a ->:E:w >= 2:-> -->]]);
    # visits: else, an index, typed filters, disengage
    b ++> c;
    w = W();
    a spawn w;
    print(w.seen);
    print((c spawn W()).seen, (m spawn W()).seen, (b spawn W()).seen);
}
`

func TestEdgeRefLoops(t *testing.T) {
	want := `[1, 2, 3] 2 [1, 2, 3] 4
3 6
[2, 3, 11, 12, 13]
x 3
x 11
x 12
x 13
no break
else ran
[(2, 3), (2, 11), (3, 11)]
3
[3, 11, 12, 13] 0 []
[0, 2, 'none']
[2, 'none'] [('M', 8), ('M', 9)] [1, ('M', 8), 2, 'none', ('M', 9)]
`
	if got := runJacSource(t, edgeRefLoopsApp); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// edgeRefListsApp changes the lists edge references return, of every size
// listOf lays out (0 to 17 nodes): an append or insert past the inline room,
// a pop, and a second reference that must not see the first one's changes.
const edgeRefListsApp = `
node N { has i: int = 0; }
with entry {
    out = [];
    for k in [0, 1, 2, 3, 5, 8, 9, 17] {
        n = N(i=k);
        for j in range(k) { n ++> N(i=j); }
        a = [n -->];
        a.append(N(i=100));
        a.insert(0, N(i=-1));
        b = [n -->];
        c = [n -->];
        c.pop() if c else None;
        out.append((k, len(a), len(b), len(c), [x.i for x in b] == list(range(k)), a[0].i, a[-1].i));
    }
    print(out);
}
`

func TestEdgeRefLists(t *testing.T) {
	want := "[(0, 2, 0, 0, True, -1, 100), (1, 3, 1, 0, True, -1, 100), (2, 4, 2, 1, True, -1, 100), " +
		"(3, 5, 3, 2, True, -1, 100), (5, 7, 5, 4, True, -1, 100), (8, 10, 8, 7, True, -1, 100), " +
		"(9, 11, 9, 8, True, -1, 100), (17, 19, 17, 16, True, -1, 100)]\n"
	if got := runJacSource(t, edgeRefListsApp); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
