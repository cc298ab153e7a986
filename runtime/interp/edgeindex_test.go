package interp_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
)

// countingStore counts the records a request reads.
type countingStore struct {
	interp.Store
	gets atomic.Int64
}

func (c *countingStore) Get(ctx context.Context, id interp.ID) (*interp.Record, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, id)
}

const typedEdgesApp = `
node Item { has n: int = 0; }
node Profile { has name: str = ""; }
node VipProfile(Profile) {}
edge Owns {}
def build(n: int) {
    for i in range(n) { root ++> Item(n=i); }
    root +>:Owns:+> Profile(name="p");
    root ++> VipProfile(name="v");
    Item(n=-1) ++> root;
}
def typed() {
    return [
        [p.name for p in [root -->](?:Profile)],
        len([root ->:Owns:->]),
        [p.name for p in [root -->](?:VipProfile)],
        [i.n for i in [root <--](?:Item)],
        len([root -->](?:Item)),
    ];
}
def profiles() {
    return [[p.name for p in [root -->](?:Profile)], len([root ->:Owns:->]), [i.n for i in [root <--](?:Item)]];
}
def relink() {
    root +>:Owns:+> Profile(name="q");
    p = [root ->:Owns:->](?:Profile, name=="p")[0];
    root del --> p;
}
`

// request runs fn of the program in a session on root, commits, and returns
// the result's text and how many records it read.
func request(t *testing.T, prog *interp.Program, st *countingStore, g *interp.Graph, fn string, args ...interp.Value) (string, int64) {
	t.Helper()
	ctx := context.Background()
	th := interp.NewThread(ctx, prog, io.Discard)
	var sess *interp.Session
	var err error
	rootID := interp.ID{7}
	if g == nil {
		th.Graph = interp.NewGraph()
		sess, err = interp.NewSession(ctx, st, prog, th.Graph, rootID)
	} else {
		th.Graph = g
		sess, err = interp.ResumeSession(ctx, st, prog, g, rootID)
	}
	if err != nil {
		t.Fatal(err)
	}
	th.Root = th.Graph.Root()
	before := st.gets.Load()
	var out string
	f, _ := prog.Main.Get(fn)
	if err := th.Protect(func() { out = interp.ToStr(th, th.Call(f, args, nil)) }); err != nil {
		t.Fatalf("%s: %v", fn, err)
	}
	reads := st.gets.Load() - before
	tx, err := sess.Changes(th)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, tx); err != nil {
		t.Fatal(err)
	}
	sess.Committed(tx)
	if g != nil {
		sess.Settle()
	}
	return out, reads
}

// TestTypedEdgeReads: typed edge references on a node with 2,000 other
// children read only the edges and nodes they return (per-request graphs and
// the shared tier), see subclasses, incoming edges, and edges added and
// removed by earlier requests.
func TestTypedEdgeReads(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.jac")
	os.WriteFile(file, []byte(typedEdgesApp), 0o644)
	prog, err := interp.Load(interp.NewThread(context.Background(), nil, io.Discard), file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := memory.OpenBolt(filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	st := &countingStore{Store: b}
	request(t, prog, st, nil, "build", interp.MakeInt(2000))
	const want = "[['p', 'v'], 1, ['v'], [-1], 2000]"
	for name, g := range map[string]*interp.Graph{"request graph": nil, "shared tier": interp.NewSharedGraph()} {
		got, reads := request(t, prog, st, g, "profiles")
		if got != "[['p', 'v'], 1, [-1]]" {
			t.Fatalf("%s: %s", name, got)
		}
		// the root, then Profile, VipProfile and the Item pointing in, each
		// with its edge: not the 2,000 other children
		if reads > 7 {
			t.Fatalf("%s: %d records read for 3 nodes and their edges", name, reads)
		}
		if got, _ := request(t, prog, st, g, "typed"); got != want {
			t.Fatalf("%s: %s, want %s", name, got, want)
		}
	}
	shared := interp.NewSharedGraph()
	request(t, prog, st, shared, "typed")
	request(t, prog, st, shared, "relink")
	for name, g := range map[string]*interp.Graph{"request graph": nil, "shared tier": shared} {
		if got, _ := request(t, prog, st, g, "typed"); got != "[['v', 'q'], 1, ['v'], [-1], 2000]" {
			t.Fatalf("after relink, %s: %s", name, got)
		}
	}
}
