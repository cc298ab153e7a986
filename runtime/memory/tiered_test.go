package memory

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

func rec(id interp.ID, n int) *interp.Record {
	f, _ := json.Marshal(map[string]int{"n": n})
	return &interp.Record{ID: id, Kind: "node", Type: "N", Fields: f}
}

func field(r *interp.Record) int {
	var m map[string]int
	json.Unmarshal(r.Fields, &m)
	return m["n"]
}

// edgeIDs is a node's edge list as edge ids.
func edgeIDs(ctx context.Context, st interp.Store, node interp.ID) ([]interp.ID, error) {
	refs, err := st.EdgeRefs(ctx, node, nil)
	ids := make([]interp.ID, len(refs))
	for i, r := range refs {
		ids[i] = r.Edge
	}
	return ids, err
}

// typedEdgeContract checks that a backend keeps edge entries' types and
// filters by them; entries without types pass every filter.
func typedEdgeContract(t *testing.T, b Backend) {
	ctx := context.Background()
	node, legacy := interp.NewID(), interp.NewID()
	ops := []interp.EdgeOp{{Node: node, Edge: legacy}}
	for i := 0; i < 6; i++ {
		op := interp.EdgeOp{Node: node, Edge: interp.NewID(), Other: interp.NewID(), EdgeType: "Link", NodeType: "Item", Out: true}
		if i%3 == 0 {
			op.EdgeType, op.NodeType, op.In, op.Out = "Owns", "Profile", true, false
		}
		ops = append(ops, op)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(node, 1)}, EdgeAdds: ops}); err != nil {
		t.Fatal(err)
	}
	all, err := b.EdgeRefs(ctx, node, nil)
	if err != nil || len(all) != len(ops) {
		t.Fatalf("all entries: %v %v", all, err)
	}
	for i, r := range all {
		if r != ops[i].Ref() {
			t.Fatalf("entry %d: %+v, want %+v", i, r, ops[i].Ref())
		}
	}
	got, err := b.EdgeRefs(ctx, node, &interp.EdgeFilter{NodeTypes: []string{"Profile"}})
	if err != nil || len(got) != 3 || got[0].Edge != legacy || got[1] != ops[1].Ref() || got[2] != ops[4].Ref() {
		t.Fatalf("Profile entries: %+v %v", got, err)
	}
	got, _ = b.EdgeRefs(ctx, node, &interp.EdgeFilter{EdgeTypes: []string{"Link"}, NodeTypes: []string{"Item"}})
	if len(got) != 5 {
		t.Fatalf("Link/Item entries: %+v", got)
	}
}

// backendContract checks what the server relies on from any Backend.
func backendContract(t *testing.T, b Backend) {
	ctx := context.Background()
	id, e1, e2 := interp.NewID(), interp.NewID(), interp.NewID()
	if r, err := b.Get(ctx, id); err != nil || r != nil {
		t.Fatalf("absent: %v %v", r, err)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 1)}, Reads: map[interp.ID]int64{id: 0},
		EdgeAdds: []interp.EdgeOp{{Node: id, Edge: e1}, {Node: id, Edge: e2}}}); err != nil {
		t.Fatal(err)
	}
	r, err := b.Get(ctx, id)
	if err != nil || r == nil || r.Version != 1 || field(r) != 1 {
		t.Fatalf("after insert: %+v %v", r, err)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 2)}, Reads: map[interp.ID]int64{id: 0}}); !errors.Is(err, interp.ErrConflict) {
		t.Fatalf("stale insert: %v, want conflict", err)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 2)}, Reads: map[interp.ID]int64{id: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 3)}, Reads: map[interp.ID]int64{id: 1}}); !errors.Is(err, interp.ErrConflict) {
		t.Fatalf("stale update: %v, want conflict", err)
	}
	if es, _ := edgeIDs(ctx, b, id); len(es) != 2 || es[0] != e1 || es[1] != e2 {
		t.Fatalf("edges: %v", es)
	}
	b.Commit(ctx, &interp.Tx{EdgeDels: []interp.EdgeOp{{Node: id, Edge: e1}}})
	if es, _ := edgeIDs(ctx, b, id); len(es) != 1 || es[0] != e2 {
		t.Fatalf("edges after delete: %v", es)
	}
	if err := b.Commit(ctx, &interp.Tx{Deletes: []interp.ID{id}}); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.Get(ctx, id); r != nil {
		t.Fatal("deleted record still there")
	}
	if err := b.KVPut(ctx, "user:a", []byte("1"), true); err != nil {
		t.Fatal(err)
	}
	if err := b.KVPut(ctx, "user:a", []byte("2"), true); !errors.Is(err, ErrExists) {
		t.Fatalf("ifAbsent on a taken key: %v", err)
	}
	b.KVPut(ctx, "user:a", []byte("3"), false)
	if v, _ := b.KVGet(ctx, "user:a"); string(v) != "3" {
		t.Fatalf("kv: %q", v)
	}
	b.KVDelete(ctx, "user:a")
	if v, _ := b.KVGet(ctx, "user:a"); v != nil {
		t.Fatalf("kv after delete: %q", v)
	}
}

func TestBoltContract(t *testing.T) {
	b, err := OpenBolt(filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	backendContract(t, b)
	typedEdgeContract(t, b)
}

func TestTieredContract(t *testing.T) {
	redis, ferret := startRedis(t), startFerret(t)
	ctx := context.Background()
	for name, o := range map[string]Options{
		"mongo":       {MongoURI: mongoURI(ferret), MongoDB: "c1"},
		"redis+mongo": {MongoURI: mongoURI(ferret), MongoDB: "c2", RedisURL: redisURL(redis)},
	} {
		t.Run(name, func(t *testing.T) {
			tr, err := Open(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			backendContract(t, tr)
			typedEdgeContract(t, tr)
		})
	}
	t.Run("redis+bolt", func(t *testing.T) {
		b, _ := OpenBolt(filepath.Join(t.TempDir(), "g.db"))
		tr, err := Open(ctx, Options{RedisURL: redisURL(redis), Fallback: b})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		backendContract(t, tr)
		typedEdgeContract(t, tr)
	})
}

func waitL1(t testing.TB, ts ...*Tiered) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		ok := true
		for _, x := range ts {
			ok = ok && x.l1OK.Load()
		}
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("L1 never enabled")
}

// TestTwoProcesses: two tiered stores on one Redis and one MongoDB-wire server
// behave as one: a write on one is seen at once by the other (no stale L1), and
// 100 conditional increments from each end at exactly 200.
func TestTwoProcesses(t *testing.T) {
	redis, ferret := startRedis(t), startFerret(t)
	ctx := context.Background()
	o := Options{MongoURI: mongoURI(ferret), MongoDB: "two", RedisURL: redisURL(redis)}
	a, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := Open(ctx, o)
	defer b.Close()
	waitL1(t, a, b)
	id := interp.NewID()
	a.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 0)}, Reads: map[interp.ID]int64{id: 0}})
	if r, _ := b.Get(ctx, id); field(r) != 0 { // b caches version 1
		t.Fatal("b cannot read a's write")
	}
	b.Get(ctx, id)
	r, _ := a.Get(ctx, id)
	a.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 7)}, Reads: map[interp.ID]int64{id: r.Version}})
	deadline := time.Now().Add(2 * time.Second)
	for {
		if r, _ := b.Get(ctx, id); field(r) == 7 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("b kept serving a stale L1 entry after a's write")
		}
		time.Sleep(5 * time.Millisecond)
	}
	a.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 0)}, Reads: map[interp.ID]int64{id: r.Version + 1}})
	var wg sync.WaitGroup
	for _, s := range []*Tiered{a, b} {
		wg.Add(1)
		go func(s *Tiered) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				for {
					cur, err := s.Get(ctx, id)
					if err != nil {
						t.Error(err)
						return
					}
					err = s.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, field(cur)+1)}, Reads: map[interp.ID]int64{id: cur.Version}})
					if err == nil {
						break
					}
					if !errors.Is(err, interp.ErrConflict) {
						t.Error(err)
						return
					}
				}
			}
		}(s)
	}
	wg.Wait()
	if r, _ := a.l3.Get(ctx, id); field(r) != 200 {
		t.Fatalf("stored counter = %d, want 200", field(r))
	}
	time.Sleep(100 * time.Millisecond) // let the last invalidations arrive
	for _, s := range []*Tiered{a, b} {
		if r, _ := s.Get(ctx, id); field(r) != 200 {
			t.Fatalf("counter = %d, want 200", field(r))
		}
	}
	t.Logf("stats a=%v b=%v", a.Stats(), b.Stats())
}

// TestRedisOutage: with Redis killed, reads and writes go on against L3 (L1 off);
// when Redis is back the caches are used again.
func TestRedisOutage(t *testing.T) {
	redis, ferret := startRedis(t), startFerret(t)
	ctx := context.Background()
	tr, err := Open(ctx, Options{MongoURI: mongoURI(ferret), MongoDB: "outage", RedisURL: redisURL(redis)})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	waitL1(t, tr)
	id := interp.NewID()
	if err := tr.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 1)}, Reads: map[interp.ID]int64{id: 0}}); err != nil {
		t.Fatal(err)
	}
	redis.stop()
	version := int64(1)
	for i := 0; i < 20; i++ {
		r, err := tr.Get(ctx, id)
		if err != nil {
			t.Fatalf("read with Redis down: %v", err)
		}
		if err := tr.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, field(r)+1)}, Reads: map[interp.ID]int64{id: r.Version}}); err != nil {
			t.Fatalf("write with Redis down: %v", err)
		}
		version++
	}
	if r, _ := tr.Get(ctx, id); field(r) != 21 || r.Version != version {
		t.Fatalf("after outage: n=%d v=%d", field(r), r.Version)
	}
	redis.start(t)
	waitL1(t, tr)
	before := tr.L1Hits.Load()
	tr.Get(ctx, id)
	tr.Get(ctx, id)
	if tr.L1Hits.Load() <= before {
		t.Fatal("caches not used again after Redis came back")
	}
}
