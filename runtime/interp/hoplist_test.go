package interp_test

import "testing"

// hopListApp crosses edges through nodes' hop lists (hoplist.go) while the
// edge lists change between hops: appends, removal of the first, a middle and
// the last edge, an edge deleted and a node destroyed during a walk,
// self-loops crossed out, in and both ways, two edges in opposite directions
// between the same nodes, typed hops with conditions and node filters, an
// edge condition that raises on an edge in the other direction (the filter
// runs on every edge, as in the reference), and a hub grown after each hop.
// The expected output is the one of the build before hop lists.
const hopListApp = `node N { has i: int = 0; }
node M { has i: int = 0; }
edge E { has w: any = 0; }
edge F {}

def ids(xs: list) -> list { return [x.i for x in xs]; }

walker Eraser {
    has seen: list = [];
    can go with N entry {
        self.seen.append(here.i);
        if here.i == 0 {
            # deleting an edge and a node while the walk is under way
            for e in [edge here ->:E:w == 2:->] { del e; }
            for k in [here -->] { if k.i == 3 { del k; } }
        }
        visit [-->];
    }
}

with entry {
    a = N(i=0); b = N(i=1); c = N(i=2); d = N(i=3); m = M(i=4);
    a +>:E(w=1):+> b; a +>:E(w=2):+> c; a +>:F:+> d; a ++> m; c +>:E(w=5):+> a;
    print(ids([a -->]), ids([a <--]), ids([a <-->]), ids([a ->:E:->]), ids([a ->:E:w > 1:->]));
    print(ids([a -->](?:M)), ids([a -->](?:N)), ids([a -->](?i > 1)), len([edge a -->]), len([edge a <-->]));
    # the list changes between hops: appends, removal of the last, the first, a middle edge
    e1 = N(i=10); a ++> e1; print(ids([a -->]));
    a del --> e1; print(ids([a -->]));
    a del --> b; print(ids([a -->]), ids([a <-->]));
    a +>:E(w=7):+> b; print(ids([a -->]), ids([a ->:E:w > 6:->]));
    a del --> d; print(ids([a -->]));
    # self-loops in each direction, and through two hops
    s = N(i=20); s +>:E(w=3):+> s; s ++> N(i=21);
    print(ids([s -->]), ids([s <--]), ids([s <-->]), len([edge s <-->]), ids([s --> -->]), ids([s <-- <--]));
    print(ids([s ->:E:w == 3:->]), ids([s <-:E:w == 3:<-]));
    # in both directions between the same two nodes
    p = N(i=30); q = N(i=31); p ++> q; q ++> p; p ++> q;
    print(ids([p -->]), ids([p <--]), ids([p <-->]), len([edge p <-->]), len([edge p -->]));
    # walks with deletion under way
    w = a spawn Eraser(); print(w.seen, ids([a -->]));
    # a node destroyed with its edges
    x = N(i=40); y = N(i=41); z = N(i=42); x ++> y; y ++> z; z ++> x;
    print(ids([x -->]), ids([x <--]));
    del y;
    print(ids([x -->]), ids([x <--]), ids([z -->]));
    # an edge filter runs on edges in either direction, as in the reference
    u = N(i=50); v = N(i=51); v +>:E(w="heavy"):+> u; u +>:E(w=3):+> N(i=52);
    print(ids([u ->:E:->]));
    try { print(ids([u ->:E:w > 2:->])); } except TypeError as err { print("TypeError"); }
    print(ids([u ->:E:w == 3:->]));
    # many nodes, each grown after its first hop
    hub = N(i=60);
    total = 0;
    for j in range(50) { hub ++> N(i=j); total += len([hub -->]); if j % 7 == 0 { hub del --> [hub -->][0]; } }
    print(total, ids([hub -->])[:5], len([hub -->]));
}
`

func TestHopLists(t *testing.T) {
	want := `[1, 2, 3, 4] [2] [1, 2, 3, 4] [1, 2] [2]
[4] [1, 2, 3] [2, 3, 4] 4 5
[1, 2, 3, 4, 10]
[1, 2, 3, 4]
[2, 3, 4] [2, 3, 4]
[2, 3, 4, 1] [1]
[2, 4, 1]
[20, 21] [20] [20, 21] 2 [20, 21] [20]
[20] [20]
[31] [31] [31] 3 2
[0, 1] [4, 1]
[41] [42]
[] [42] [40]
[52]
TypeError
[52]
1079 [8, 9, 10, 11, 12] 42
`
	if got := runJacSource(t, hopListApp); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
