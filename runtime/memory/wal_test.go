package memory

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// walWriter is the child side of TestGraphLogCrash: it commits nodes with an
// edge from a parent node, four writers at a time, and prints each id once its
// commit is acknowledged, until it is killed.
func walWriter(path string) {
	b, err := OpenBolt(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	parent := interp.ID{1}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	for w := 0; w < 4; w++ {
		go func() {
			for i := 0; ; i++ {
				id, e := interp.NewOrderedID(), interp.NewOrderedID()
				err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, i)}, Reads: map[interp.ID]int64{id: 0},
					EdgeAdds: []interp.EdgeOp{{Node: parent, Edge: e}}})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Fprintf(out, "%s %s\n", id.Hex(), e.Hex())
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	select {}
}

func TestMain(m *testing.M) {
	if path := os.Getenv("JAC_WAL_WRITER"); path != "" {
		walWriter(path)
	}
	os.Exit(m.Run())
}

// TestGraphLogCrash kills a process that is committing with SIGKILL, twice,
// and checks after each restart that every acknowledged record and edge is
// there, in bbolt once the log was replayed.
func TestGraphLogCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.db")
	acked := map[interp.ID]interp.ID{}
	for round := 0; round < 2; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "JAC_WAL_WRITER="+path)
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		deadline := time.After(700 * time.Millisecond)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("writer stopped")
				}
				f := strings.Fields(l)
				id, _ := interp.ParseID(f[0])
				e, _ := interp.ParseID(f[1])
				acked[id] = e
			case <-deadline:
				cmd.Process.Kill()
				break read
			}
		}
		for l := range lines { // acknowledged before the kill landed
			f := strings.Fields(l)
			id, _ := interp.ParseID(f[0])
			e, _ := interp.ParseID(f[1])
			acked[id] = e
		}
		cmd.Wait()
		if len(acked) < 100*(round+1) {
			t.Fatalf("only %d commits acknowledged", len(acked))
		}
		b, err := OpenBolt(path)
		if err != nil {
			t.Fatalf("reopen after kill: %v", err)
		}
		ctx := context.Background()
		edges, _ := edgeIDs(ctx, b, interp.ID{1})
		have := map[interp.ID]bool{}
		for _, e := range edges {
			have[e] = true
		}
		for id, e := range acked {
			if r, err := b.Get(ctx, id); err != nil || r == nil {
				t.Fatalf("round %d: acknowledged record %s lost (%v)", round, id.Hex(), err)
			}
			if !have[e] {
				t.Fatalf("round %d: acknowledged edge %s lost", round, e.Hex())
			}
		}
		if len(edges) != len(have) {
			t.Fatalf("round %d: %d edges, %d distinct", round, len(edges), len(have))
		}
		b.Close()
		t.Logf("round %d: %d acknowledged commits survived", round, len(acked))
	}
}

// TestGraphLogTornTail: a half-written record at the end of the log (a crash
// mid-append) is ignored; what came before it is replayed.
func TestGraphLogTornTail(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	id := interp.NewID()
	if err := b.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, 7)}, Reads: map[interp.ID]int64{id: 0}}); err != nil {
		t.Fatal(err)
	}
	// as after a crash: the log holds the commit, bbolt may not
	b.lmu.Lock()
	pos, f := b.log.pos[b.log.active], b.log.files[b.log.active]
	b.lmu.Unlock()
	data := make([]byte, pos)
	f.ReadAt(data, 0)
	b.Close()
	torn := append(append([]byte{}, data...), data[:pos/2]...) // the start of a copy of the record
	torn[pos+7]++                                              // with the next lsn
	os.WriteFile(path+".log0", torn, 0o600)
	os.WriteFile(path+".log1", nil, 0o600)
	b, err = OpenBolt(path)
	if err != nil {
		t.Fatalf("open with a torn log: %v", err)
	}
	defer b.Close()
	if r, _ := b.Get(ctx, id); r == nil || r.Version != 1 {
		t.Fatalf("record before the torn one: %+v", r)
	}
}

// TestLargeCommitSkipsLog: a group of largeTxOps changes or more is written
// straight into bbolt, after the logged transactions still waiting for the
// applier, without an lsn of its own. A copy of the files taken while a later
// logged transaction waits (as after a crash) replays that one only, and every
// edge list keeps its order with no entry twice.
func TestLargeCommitSkipsLog(t *testing.T) {
	defer func(d time.Duration) { applyInterval = d }(applyInterval)
	applyInterval = time.Hour // logged transactions wait until Close
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "g.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	parent, a := interp.ID{1}, interp.NewOrderedID()
	var want []interp.ID // the parent's edges, in order
	small := func(puts []*interp.Record, reads map[interp.ID]int64) {
		e := interp.NewOrderedID()
		want = append(want, e)
		if err := b.Commit(ctx, &interp.Tx{Puts: puts, Reads: reads, EdgeAdds: []interp.EdgeOp{{Node: parent, Edge: e}}}); err != nil {
			t.Fatal(err)
		}
	}
	small([]*interp.Record{rec(a, 1)}, map[interp.ID]int64{a: 0})
	logged := b.log.pos[b.log.active]

	large := &interp.Tx{Puts: []*interp.Record{rec(a, 2)}, Reads: map[interp.ID]int64{a: 1}}
	for i := range largeTxOps {
		id, e := interp.NewOrderedID(), interp.NewOrderedID()
		large.Puts = append(large.Puts, rec(id, i))
		large.EdgeAdds = append(large.EdgeAdds, interp.EdgeOp{Node: parent, Edge: e})
		want = append(want, e)
	}
	if err := b.Commit(ctx, large); err != nil {
		t.Fatal(err)
	}
	if b.log.pos[b.log.active] != logged {
		t.Fatalf("the large commit was logged: log at %d, was %d", b.log.pos[b.log.active], logged)
	}
	small(nil, nil) // logged after it; still waiting for the applier

	check := func(st *Bolt, when string) {
		t.Helper()
		r, err := st.Get(ctx, a)
		if err != nil || r == nil || r.Version != 2 || field(r) != 2 {
			t.Fatalf("%s: record %+v (%v), want version 2 written by the large commit", when, r, err)
		}
		got, err := edgeIDs(ctx, st, parent)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: %d edges, want %d in commit order", when, len(got), len(want))
		}
	}
	check(b, "open")

	crash := filepath.Join(t.TempDir(), "g.db")
	for _, suffix := range []string{"", ".log0", ".log1"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(crash+suffix, data, 0o600)
	}
	b.Close()
	for _, p := range []string{path, crash} {
		st, err := OpenBolt(p)
		if err != nil {
			t.Fatal(err)
		}
		check(st, "reopened "+filepath.Base(filepath.Dir(p)))
		st.Close()
	}
}
