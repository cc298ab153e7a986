package server_test

import (
	"fmt"
	"testing"
)

// tierApp keeps scalar nodes (which stay in the in-process graph tier between
// requests) next to nodes holding containers and references (which are loaded
// again by every request), and writes to them in every way a request can.
const tierApp = `
node Hub { has n: int = 0; }
node Bag { has items: list = []; has meta: dict = {}; }
node Ref { has to: Hub | None = None; }
edge Link { has w: int = 0; }
walker :pub setup { can go with Root entry {
    if not [-->] { h = (here ++> Hub())[0]; h +>:Link(w=1):+> Bag(); h ++> Ref(to=h); }
    report len([-->]);
} }
walker :pub fill { has x: int = 0; can go with Root entry { visit [-->]; }
    can hub with Hub entry { here.n += 1; visit [-->]; }
    can bag with Bag entry { here.items.append(self.x); here.meta[str(self.x)] = self.x; }
    can ref with Ref entry { here.to.n += 10; } }
walker :pub look { can go with Root entry { visit [-->]; }
    can hub with Hub entry { report ["hub", here.n, [e.w for e in [edge ->:Link:->]]]; visit [-->]; }
    can bag with Bag entry { report ["bag", here.items, len(here.meta)]; }
    can ref with Ref entry { report ["ref", here.to.n]; } }
walker :pub boom { can go with Root entry { visit [-->]; }
    can hub with Hub entry { here.n = -1; here ++> Hub(n=99); visit [-->]; }
    can bag with Bag entry { here.items.append(-1); raise ValueError("after the writes"); } }
walker :pub relink { can go with Root entry { visit [-->]; }
    can hub with Hub entry { for e in [edge ->:Link:->] { e.w += 1; } } }
walker :pub prune { can go with Root entry { visit [-->]; }
    can hub with Hub entry { for b in [-->(?:Bag)] { del b; } } }
`

// expectLook checks what the look walker reports, after a stage of the test.
func expectLook(t *testing.T, s *server, stage, want string) {
	t.Helper()
	if got := fmt.Sprint(reports(t, s.do("POST", "/walker/look", "", map[string]any{}))); got != want {
		t.Fatalf("%s: %s, want %s", stage, got, want)
	}
}

// TestGraphTier: what one request leaves in the in-process graph tier is what
// the store holds, after writes, in-place container changes, a raising
// request, edge updates and deletes, and across a restart.
func TestGraphTier(t *testing.T) {
	s := startApp(t, tierApp)
	reports(t, s.do("POST", "/walker/setup", "", map[string]any{}))
	for i := 1; i <= 3; i++ {
		reports(t, s.do("POST", "/walker/fill", "", map[string]any{"x": i}))
	}
	// each fill adds 1 through the hub and 10 through the reference
	want := "[[hub 33 [1]] [bag [1 2 3] 3] [ref 33]]"
	expectLook(t, s, "after fills", want)
	if r := s.do("POST", "/walker/boom", "", map[string]any{}); r.status != 500 {
		t.Fatalf("boom: %d %s", r.status, r.raw)
	}
	expectLook(t, s, "a raising request left its writes", want)
	reports(t, s.do("POST", "/walker/relink", "", map[string]any{}))
	want = "[[hub 33 [2]] [bag [1 2 3] 3] [ref 33]]"
	expectLook(t, s, "after relink", want)
	s.stop()
	s.start()
	expectLook(t, s, "after restart", want)
	reports(t, s.do("POST", "/walker/fill", "", map[string]any{"x": 4}))
	reports(t, s.do("POST", "/walker/prune", "", map[string]any{}))
	want = "[[hub 44 []] [ref 44]]"
	expectLook(t, s, "after prune", want)
	s.stop()
	s.start()
	expectLook(t, s, "after prune and restart", want)
}

// TestGraphTierStream: a reported generator that loads nodes after its
// request's writes were settled still reads them through the store, and the
// next request still sees the graph.
func TestGraphTierStream(t *testing.T) {
	s := startApp(t, `
node Hub { has n: int = 0; }
node Leaf { has k: int = 0; }
def kids(start: Hub) { for x in [start -->] { yield x.k; } }
walker :pub setup { can go with Root entry { h = (here ++> Hub())[0]; for i in range(3) { h ++> Leaf(k=i); } report 1; } }
walker :pub streamit { can go with Root entry { for h in [-->] { report kids(h); } } }
walker :pub count { can go with Root entry { visit [-->]; } can c with Hub entry { report len([-->]); } }
`)
	reports(t, s.do("POST", "/walker/setup", "", map[string]any{}))
	s.stop()
	s.start() // nothing loaded: the generator loads the leaves
	for i := 0; i < 2; i++ {
		if r := s.do("POST", "/walker/streamit", "", map[string]any{}); r.raw != "012" {
			t.Fatalf("stream %d: %d %q", i, r.status, r.raw)
		}
	}
	if got := fmt.Sprint(reports(t, s.do("POST", "/walker/count", "", map[string]any{}))); got != "[3]" {
		t.Fatalf("after streams: %s", got)
	}
}
