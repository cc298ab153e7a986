package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// withinHeldMemory runs the exit commit of a `jac run` under a soft memory
// limit: the memory the Go runtime has mapped when it starts (what the
// program's run already took), and at least a third (exitHeadroom at least)
// more than it holds ready. The commit's garbage (records, encodings,
// the store's nodes and pages of each staged part) is then collected rather
// than grow the process past the program's own peak. Nothing else runs then,
// so the process-wide limit costs only the collections it triggers; a lower
// GOMEMLIMIT is kept.
//
// The interpreter's heap ceiling (runtime/interp/limits.go) is 90% of the
// limit: the third keeps it above all the heap held ready, so a program
// whose heap is nearly all live data is not taken for one over its ceiling.
// A smaller headroom collects more often while the commit runs, each time
// marking the whole graph, and a larger one lets the process grow: a `jac
// run` storing 120,000 archetypes, 3 alternated runs each, medians: a quarter
// 1.06 s, 118 MB; a third 1.05 s, 126 MB; a half 0.98 s, 144 MB (no limit:
// 0.88-1.00 s, 203 MB, two other batches); walk.jac, 7 runs: 23.8 / 26.1 /
// 31.1 MB.
func withinHeldMemory(commit func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[1].Value.Kind() != metrics.KindUint64 {
		commit()
		return
	}
	mapped, released := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	ready := mapped - released
	limit := int64(min(max(mapped, ready+max(exitHeadroom, ready/3)), math.MaxInt64))
	prev := debug.SetMemoryLimit(-1)
	if prev <= limit {
		commit()
		return
	}
	debug.SetMemoryLimit(limit)
	defer debug.SetMemoryLimit(prev)
	commit()
}

// exitHeadroom is the least growth the exit commit's limit allows past the
// memory held ready: with none, walk.jac's run collected 41 times (2
// without the limit) and took twice the CPU; with 4 MB, 7 times.
const exitHeadroom = 4 << 20
