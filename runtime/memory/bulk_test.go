package memory

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

// bulkFixture is a store holding a previous graph: a root with one child.
type bulkFixture struct {
	path        string
	root, child interp.ID
}

func newBulkFixture(t *testing.T) bulkFixture {
	t.Helper()
	f := bulkFixture{path: filepath.Join(t.TempDir(), "g.db"), child: interp.NewOrderedID()}
	b, err := OpenBolt(f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Commit(context.Background(), &interp.Tx{
		Puts:     []*interp.Record{rec(f.root, 1), rec(f.child, 2)},
		Reads:    map[interp.ID]int64{},
		EdgeAdds: []interp.EdgeOp{{Node: f.root, Edge: interp.NewOrderedID(), Other: f.child, EdgeType: "E", NodeType: "N", Out: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// open opens the fixture's store, closed at the end of the test.
func (f bulkFixture) open(t *testing.T) *Bolt {
	t.Helper()
	b, err := OpenBolt(f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// stagedPart is a part of n fresh nodes, each with an edge entry to the next.
func stagedPart(n int) (*interp.Tx, []interp.ID) {
	part := &interp.Tx{}
	ids := make([]interp.ID, n)
	for i := range ids {
		ids[i] = interp.NewOrderedID()
		part.Puts = append(part.Puts, rec(ids[i], 100+i))
	}
	for i := 0; i+1 < n; i++ {
		part.EdgeAdds = append(part.EdgeAdds, interp.EdgeOp{Node: ids[i], Edge: interp.NewOrderedID(), Other: ids[i+1], EdgeType: "E", NodeType: "N", Out: true})
	}
	return part, ids
}

// checkPrevious checks that the store holds the fixture's graph and none of
// gone, and no staged parts.
func (f bulkFixture) checkPrevious(t *testing.T, b *Bolt, gone []interp.ID) {
	t.Helper()
	ctx := context.Background()
	for id, want := range map[interp.ID]int{f.root: 1, f.child: 2} {
		r, err := b.Get(ctx, id)
		if err != nil || r == nil || field(r) != want {
			t.Fatalf("record %s: %v %v", id.Hex(), r, err)
		}
	}
	if refs, err := b.EdgeRefs(ctx, f.root, nil); err != nil || len(refs) != 1 || refs[0].Other != f.child {
		t.Fatalf("root's edges: %v %v", refs, err)
	}
	for _, id := range gone {
		if r, err := b.Get(ctx, id); r != nil || err != nil {
			t.Fatalf("staged record %s still there: %v %v", id.Hex(), r, err)
		}
		if refs, err := b.EdgeRefs(ctx, id, nil); len(refs) != 0 || err != nil {
			t.Fatalf("staged edge list of %s still there: %v %v", id.Hex(), refs, err)
		}
	}
	checkNoStaged(t, b)
}

func checkNoStaged(t *testing.T, b *Bolt) {
	t.Helper()
	b.db.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(stagedBucket).Cursor().First(); k != nil {
			t.Fatalf("staged key %x left", k)
		}
		return nil
	})
}

// TestBulkCommit: parts staged, then the last part committed, read back as one
// graph; the parts' records are cached nowhere stale and no staged key is left.
func TestBulkCommit(t *testing.T) {
	ctx := context.Background()
	f := newBulkFixture(t)
	b := f.open(t)
	var all []interp.ID
	bulk, _ := b.BeginBulk(ctx)
	for range 3 {
		part, ids := stagedPart(50)
		if err := bulk.Stage(part); err != nil {
			t.Fatal(err)
		}
		all = append(all, ids...)
	}
	// the last part: the root changes and links the first staged node
	last := &interp.Tx{
		Puts:     []*interp.Record{rec(f.root, 7)},
		Reads:    map[interp.ID]int64{f.root: 1},
		EdgeAdds: []interp.EdgeOp{{Node: f.root, Edge: interp.NewOrderedID(), Other: all[0], EdgeType: "E", NodeType: "N", Out: true}},
	}
	if err := bulk.Commit(last); err != nil {
		t.Fatal(err)
	}
	checkNoStaged(t, b)
	if r, _ := b.Get(ctx, f.root); field(r) != 7 || r.Version != 2 {
		t.Fatalf("root %+v", r)
	}
	if refs, _ := b.EdgeRefs(ctx, f.root, nil); len(refs) != 2 || refs[1].Other != all[0] {
		t.Fatalf("root's edges %v", refs)
	}
	for i, id := range all {
		r, err := b.Get(ctx, id)
		if err != nil || r == nil || field(r) != 100+i%50 {
			t.Fatalf("record %d: %v %v", i, r, err)
		}
		refs, _ := b.EdgeRefs(ctx, id, nil)
		if want := i%50 < 49; (len(refs) == 1) != want || want && refs[0].Other != all[i+1] {
			t.Fatalf("edges of %d: %v", i, refs)
		}
	}
}

// TestBulkAbort: a last part that fails its version check is not written, and
// Abort drops the staged parts; the store keeps working.
func TestBulkAbort(t *testing.T) {
	ctx := context.Background()
	f := newBulkFixture(t)
	b := f.open(t)
	bulk, _ := b.BeginBulk(ctx)
	part, ids := stagedPart(20)
	if err := bulk.Stage(part); err != nil {
		t.Fatal(err)
	}
	stale := &interp.Tx{Puts: []*interp.Record{rec(f.root, 9)}, Reads: map[interp.ID]int64{f.root: 5}}
	if err := bulk.Commit(stale); !errors.Is(err, interp.ErrConflict) {
		t.Fatalf("stale last part: %v", err)
	}
	if err := bulk.Abort(); err != nil {
		t.Fatal(err)
	}
	f.checkPrevious(t, b, ids)
	id := interp.NewID()
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 3)}, Reads: map[interp.ID]int64{}}); err != nil {
		t.Fatal(err)
	}
}

// TestBulkCrash: a process killed (SIGKILL) between two staged parts leaves
// the previous graph readable; the next open drops the parts.
func TestBulkCrash(t *testing.T) {
	if os.Getenv("JAC_BULK_CRASH_CHILD") != "" {
		t.Skip("the child's own run")
	}
	f := newBulkFixture(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^TestBulkCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "JAC_BULK_CRASH_CHILD="+f.path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var staged []interp.ID
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if line == "staged" {
			break
		}
		if id, ok := interp.ParseID(line); ok {
			staged = append(staged, id)
		}
	}
	cmd.Process.Kill()
	go io.Copy(io.Discard, out)
	cmd.Wait()
	if len(staged) != 60 {
		t.Fatalf("the child staged %d records (%v)", len(staged), sc.Err())
	}
	f.checkPrevious(t, f.open(t), staged)
}

// TestBulkCrashChild is TestBulkCrash's child process: it stages two parts,
// says so, and waits to be killed.
func TestBulkCrashChild(t *testing.T) {
	path := os.Getenv("JAC_BULK_CRASH_CHILD")
	if path == "" {
		t.Skip("run by TestBulkCrash")
	}
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	bulk, _ := b.BeginBulk(context.Background())
	for range 2 {
		part, ids := stagedPart(30)
		if err := bulk.Stage(part); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			fmt.Println(id.Hex())
		}
	}
	fmt.Println("staged")
	select {}
}

// TestExitCommitInParts: a `jac run` whose graph is large enough to be
// committed in parts, then a second run that reads it and grows it from its
// stored nodes (edges added to stored nodes go in the last part), then a
// third that reads everything back.
func TestExitCommitInParts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "graph.db")
	build := `
node Item { has val: int; }
edge Link { has w: int; }
with entry {
    items = [Item(val=i) for i in range(3000)];
    root +>:Link(w=1):+> items[0];
    for i in range(1, 3000) { items[(i - 1) // 2] +>:Link(w=i % 5):+> items[i]; }
    print(len([root -->]));
}
`
	grow := `
node Item { has val: int; }
edge Link { has w: int; }
with entry {
    first = [root -->][0];
    kids = [first -->];
    n = 0;
    for k in kids {
        for i in range(1500) { k +>:Link(w=7):+> Item(val=10000 + i); n += 1; }
    }
    first.val = -1;
    print(n);
}
`
	count := `
node Item { has val: int; }
edge Link { has w: int; }
walker Count {
    has n: int = 0, s: int = 0, w: int = 0;
    can go with Root entry { visit [-->]; }
    can item with Item entry {
        self.n += 1;
        self.s += here.val;
        for e in [edge -->] { self.w += e.w; }
        visit [-->];
    }
}
with entry {
    c = root spawn Count();
    print(c.n, c.s, c.w);
}
`
	run := func(src string) string {
		t.Helper()
		file := filepath.Join(dir, "p.jac")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		store := &LazyBolt{Path: path}
		defer store.Close()
		th, sess, err := runWithStore(file, store, &out)
		if err == nil {
			err = th.Protect(func() {
				if err := sess.Commit(th); err != nil {
					t.Fatal(err)
				}
			})
		}
		if err != nil {
			t.Fatal(err)
		}
		th.Out.Flush()
		return strings.TrimSpace(out.String())
	}
	if got := run(build); got != "1" {
		t.Fatalf("build: %q", got)
	}
	// 3000 items, values 0..2999; weights of the items' edges sum(i % 5 for i in 1..2999)
	wsum := 0
	for i := 1; i < 3000; i++ {
		wsum += i % 5
	}
	if got, want := run(count), fmt.Sprint(3000, 2999*3000/2, wsum); got != want {
		t.Fatalf("count after build: %q, want %q", got, want)
	}
	if got := run(grow); got != "3000" { // the first item has two children
		t.Fatalf("grow: %q", got)
	}
	vals := 2999*3000/2 - 0 - 1 // the first item's value 0 became -1
	for i := range 1500 {
		vals += 2 * (10000 + i)
	}
	if got, want := run(count), fmt.Sprint(6000, vals, wsum+3000*7); got != want {
		t.Fatalf("count after grow: %q, want %q", got, want)
	}
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkNoStaged(t, b)
}

// failingBulkStore counts the parts a session stages and fails the last part
// of its first bulk commit.
type failingBulkStore struct {
	*LazyBolt
	parts, commits int
}

func (s *failingBulkStore) BeginBulk(ctx context.Context) (interp.Bulk, error) {
	bulk, err := s.LazyBolt.BeginBulk(ctx)
	return &failingBulk{Bulk: bulk, s: s}, err
}

type failingBulk struct {
	interp.Bulk
	s *failingBulkStore
}

func (b *failingBulk) Stage(part *interp.Tx) error {
	b.s.parts++
	return b.Bulk.Stage(part)
}

func (b *failingBulk) Commit(last *interp.Tx) error {
	if b.s.commits++; b.s.commits == 1 {
		return interp.ErrConflict
	}
	return b.Bulk.Commit(last)
}

// TestExitCommitInPartsRetried: a session's commit in parts whose last part
// fails leaves nothing stored (its parts are aborted) and its graph unchanged,
// so committing again writes all of it.
func TestExitCommitInPartsRetried(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "p.jac")
	os.WriteFile(file, []byte(`
node Item { has val: int; }
with entry {
    for i in range(2500) { root ++> Item(val=i); }
}
`), 0o644)
	store := &failingBulkStore{LazyBolt: &LazyBolt{Path: filepath.Join(dir, "graph.db")}}
	defer store.Close()
	th, sess, err := runWithStore(file, store, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var first, second error
	th.Protect(func() { first = sess.Commit(th) })
	if !errors.Is(first, interp.ErrConflict) || store.parts < 2 {
		t.Fatalf("first commit: %v after %d parts", first, store.parts)
	}
	checkNoStaged(t, store.db)
	if n := countRecords(t, store.db); n != 0 {
		t.Fatalf("%d records stored by a failed commit", n)
	}
	th.Protect(func() { second = sess.Commit(th) })
	if second != nil {
		t.Fatal(second)
	}
	if n := countRecords(t, store.db); n != 5001 { // root, 2500 items, 2500 edges
		t.Fatalf("%d records stored", n)
	}
	if refs, _ := store.db.EdgeRefs(ctx, interp.ID{}, nil); len(refs) != 2500 {
		t.Fatalf("root has %d edges", len(refs))
	}
}

func countRecords(t *testing.T, b *Bolt) int {
	t.Helper()
	n := 0
	b.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(graphBucket).Stats().KeyN
		return nil
	})
	return n
}
