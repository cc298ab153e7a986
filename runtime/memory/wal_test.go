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
