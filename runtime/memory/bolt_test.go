package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/jacscale/jac/runtime/interp"
)

// TestBoltGroupCommit: concurrent transactions share updates; each is still
// version-checked on its own (racing writers of one record: one wins, the
// others get ErrConflict, nothing of theirs is written), and the caches follow
// every commit.
func TestBoltGroupCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	shared, parent := interp.NewID(), interp.NewID()
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(shared, 0), rec(parent, 0)}, Reads: map[interp.ID]int64{shared: 0, parent: 0}}); err != nil {
		t.Fatal(err)
	}
	if es, _ := edgeIDs(ctx, b, parent); len(es) != 0 { // cached as empty
		t.Fatalf("edges %v", es)
	}
	const n = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	created := make([]interp.ID, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, edge := interp.NewOrderedID(), interp.NewOrderedID()
			created[i] = id
			// every writer creates its own record and child edge...
			if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, i)}, Reads: map[interp.ID]int64{id: 0},
				EdgeAdds: []interp.EdgeOp{{Node: parent, Edge: edge}}}); err != nil {
				t.Error(err)
			}
			// ...and tries to update the shared one from version 1
			side := interp.NewID()
			err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(side, i), rec(shared, i+1)}, Reads: map[interp.ID]int64{side: 0, shared: 1}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, interp.ErrConflict):
				conflicts++
				if r, _ := b.Get(ctx, side); r != nil {
					t.Errorf("a conflicting transaction wrote %v", side)
				}
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Fatalf("wins %d conflicts %d", wins, conflicts)
	}
	if r, _ := b.Get(ctx, shared); r == nil || r.Version != 2 {
		t.Fatalf("shared %+v", r)
	}
	if es, _ := edgeIDs(ctx, b, parent); len(es) != n {
		t.Fatalf("edges after commits: %d", len(es))
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(interp.NewID(), 1)}}); err == nil {
		t.Fatal("commit after Close succeeded")
	}
	// everything acknowledged is in the file
	b, err = OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i, id := range created {
		if r, _ := b.Get(ctx, id); r == nil || field(r) != i {
			t.Fatalf("record %d lost: %+v", i, r)
		}
	}
	if es, _ := edgeIDs(ctx, b, parent); len(es) != n {
		t.Fatalf("edges after reopen: %d", len(es))
	}
}

// TestBoltKVCache: cached key/value reads follow puts and deletes.
func TestBoltKVCache(t *testing.T) {
	ctx := context.Background()
	b, err := OpenBolt(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	get := func() string {
		v, err := b.KVGet(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if v == nil {
			return "<nil>"
		}
		return string(v)
	}
	if v := get(); v != "<nil>" {
		t.Fatal(v)
	}
	b.KVPut(ctx, "k", []byte("1"), false)
	if v := get(); v != "1" {
		t.Fatal(v)
	}
	if err := b.KVPut(ctx, "k", []byte("2"), true); !errors.Is(err, ErrExists) {
		t.Fatal(err)
	}
	b.KVPut(ctx, "k", []byte("3"), false)
	v, _ := b.KVGet(ctx, "k")
	v[0] = 'x' // callers own what they get
	if v := get(); v != "3" {
		t.Fatal(v)
	}
	b.KVDelete(ctx, "k")
	if v := get(); v != "<nil>" {
		t.Fatal(v)
	}
}

// TestBoltCloseWhileCommitting: Close during concurrent commits neither panics
// nor leaves a commit waiting; every commit either lands or fails.
func TestBoltCloseWhileCommitting(t *testing.T) {
	ctx := context.Background()
	for round := 0; round < 20; round++ {
		b, err := OpenBolt(filepath.Join(t.TempDir(), "g.db"))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 5; j++ {
					id := interp.NewOrderedID()
					b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, j)}, Reads: map[interp.ID]int64{id: 0}})
				}
			}()
		}
		b.Close()
		wg.Wait()
	}
}

// TestEdgeIndexMigration opens a file written in the format before edge
// entries carried types (16-byte values, as today's files hold) and finds
// every entry typed, and filters working, without losing one.
func TestEdgeIndexMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.db")
	root, profile, item, owns, link, dangling := interp.NewID(), interp.NewID(), interp.NewID(), interp.NewID(), interp.NewID(), interp.NewID()
	records := []*interp.Record{
		{ID: root, Kind: "node", Type: "Root", Fields: []byte(`{}`), Version: 1},
		{ID: profile, Kind: "node", Type: "Profile", Fields: []byte(`{}`), Version: 1},
		{ID: item, Kind: "node", Type: "Item", Fields: []byte(`{}`), Version: 1},
		{ID: owns, Kind: "edge", Type: "Owns", Src: root, Dst: profile, Fields: []byte(`{}`), Version: 1},
		{ID: link, Kind: "edge", Type: "GenericEdge", Src: item, Dst: root, Fields: []byte(`{}`), Version: 1},
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		g, _ := tx.CreateBucketIfNotExists(graphBucket)
		e, _ := tx.CreateBucketIfNotExists(edgesBucket)
		for _, r := range records {
			data, _ := json.Marshal(r)
			g.Put(r.ID[:], data)
		}
		for i, edge := range []interp.ID{owns, link, dangling} {
			key := append(bytes.Clone(root[:]), 0, 0, 0, 0, 0, 0, 0, byte(i+1))
			e.Put(key, bytes.Clone(edge[:]))
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	all, err := b.EdgeRefs(ctx, root, nil)
	want := []interp.EdgeRef{
		{Edge: owns, Other: profile, EdgeType: "Owns", NodeType: "Profile", Out: true},
		{Edge: link, Other: item, EdgeType: "GenericEdge", NodeType: "Item", In: true},
		{Edge: dangling}, // its record is gone: left untyped, skipped by readers as before
	}
	if err != nil || !slices.Equal(all, want) {
		t.Fatalf("migrated entries:\n%+v\nwant\n%+v", all, want)
	}
	got, _ := b.EdgeRefs(ctx, root, &interp.EdgeFilter{NodeTypes: []string{"Item"}})
	if len(got) != 2 || got[0] != want[1] {
		t.Fatalf("filtered: %+v", got)
	}
}

// TestCommitChain: once a transaction of a chain fails its version check, the
// embedded store refuses the later ones of the chain, even when their read
// versions match (they were computed on writes that never landed).
func TestCommitChain(t *testing.T) {
	ctx := context.Background()
	b, err := OpenBolt(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	id := interp.NewID()
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 1)}}); err != nil {
		t.Fatal(err)
	}
	// another writer moves the record to version 2
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 2)}, Reads: map[interp.ID]int64{id: 1}}); err != nil {
		t.Fatal(err)
	}
	chain := &interp.CommitChain{}
	first := b.Enqueue(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 10)}, Reads: map[interp.ID]int64{id: 1}, Chain: chain})
	// built on the first (which would make version 2): matches the store's 2 by number
	second := b.Enqueue(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 11)}, Reads: map[interp.ID]int64{id: 2}, Chain: chain})
	if err := first(); !errors.Is(err, interp.ErrConflict) {
		t.Fatalf("first: %v, want conflict", err)
	}
	if err := second(); !errors.Is(err, interp.ErrConflict) {
		t.Fatalf("second of a broken chain: %v, want conflict", err)
	}
	if r, _ := b.Get(ctx, id); r == nil || field(r) != 2 {
		t.Fatalf("record %+v, want the other writer's n=2", r)
	}
	fresh := &interp.CommitChain{}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 3)}, Reads: map[interp.ID]int64{id: 2}, Chain: fresh}); err != nil {
		t.Fatalf("a new chain: %v", err)
	}
}
