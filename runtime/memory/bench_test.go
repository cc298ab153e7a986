package memory

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

func benchStore(b *testing.B, name string) Backend {
	ctx := context.Background()
	switch name {
	case "embedded":
		s, err := OpenBolt(filepath.Join(b.TempDir(), "g.db"))
		if err != nil {
			b.Fatal(err)
		}
		return s
	case "mongo":
		f := startFerret(b)
		s, err := Open(ctx, Options{MongoURI: mongoURI(f), MongoDB: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	r, f := startRedis(b), startFerret(b)
	s, err := Open(ctx, Options{MongoURI: mongoURI(f), MongoDB: "bench", RedisURL: redisURL(r)})
	if err != nil {
		b.Fatal(err)
	}
	waitL1(b, s)
	return s
}

// BenchmarkGet: reading records (the read-heavy walker path) per tier set; the
// L1 hit rate is reported for the tiered store.
func BenchmarkGet(b *testing.B) {
	for _, name := range []string{"embedded", "mongo", "redis+mongo"} {
		b.Run(name, func(b *testing.B) {
			s := benchStore(b, name)
			defer s.Close()
			ctx := context.Background()
			ids := make([]interp.ID, 100)
			for i := range ids {
				ids[i] = interp.NewID()
				s.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(ids[i], i)}, Reads: map[interp.ID]int64{ids[i]: 0}})
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Get(ctx, ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
			}
			if t, ok := s.(*Tiered); ok {
				hits, misses := t.L1Hits.Load(), t.L1Misses.Load()
				if hits+misses > 0 {
					b.ReportMetric(float64(hits)/float64(hits+misses), "L1-hit-rate")
				}
			}
		})
	}
}

// BenchmarkCommit: creating one record per transaction.
func BenchmarkCommit(b *testing.B) {
	for _, name := range []string{"embedded", "mongo"} {
		b.Run(name, func(b *testing.B) {
			s := benchStore(b, name)
			defer s.Close()
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				id := interp.NewID()
				if err := s.Commit(ctx, &interp.Tx{Puts: []*interp.Record{rec(id, i)}, Reads: map[interp.ID]int64{id: 0}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExitCommit: the commit at the end of `jac run
// interp/testdata/bench/walk.jac` into a fresh embedded store (9,000 new
// records, 12,000 edge entries, committed in parts), up to the closed
// file. The program runs outside the timer; -benchmem gives the commit's
// allocations.
func BenchmarkExitCommit(b *testing.B) {
	prog, _ := filepath.Abs("../interp/testdata/bench/walk.jac")
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		store := &LazyBolt{Path: filepath.Join(b.TempDir(), "graph.db")}
		th, sess, err := runWithStore(prog, store, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := th.Protect(func() {
			if err := sess.Commit(th); err != nil {
				b.Fatal(err)
			}
		}); err != nil {
			b.Fatal(err)
		}
		if err := store.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// runWithStore runs a Jac file as `jac run` does, its graph in a session of
// store, without the exit commit: the caller makes it with sess.Commit.
func runWithStore(file string, store interp.Store, out io.Writer) (*interp.Thread, *interp.Session, error) {
	ctx := context.Background()
	th := interp.NewRunThread(ctx, out)
	th.Graph = interp.NewGraph()
	var sess *interp.Session
	_, err := interp.LoadWith(th, file, func(p *interp.Program) error {
		s, err := interp.NewSession(ctx, store, p, th.Graph, interp.ID{})
		sess, th.Root = s, th.Graph.Root()
		return err
	})
	return th, sess, err
}
