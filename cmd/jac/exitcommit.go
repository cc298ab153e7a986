package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// withinHeldMemory runs the exit commit of a `jac run` under a soft memory
// limit: the memory the Go runtime has mapped when it starts (what the
// program's run already took), and at least exitHeadroom more than it holds
// ready. The commit's garbage (records, encodings, the store's nodes and
// pages of each staged part) is then collected rather than grow the process
// past the program's own peak. Nothing else runs then, so the process-wide
// limit costs only the collections it triggers; a lower GOMEMLIMIT is kept.
func withinHeldMemory(commit func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[1].Value.Kind() != metrics.KindUint64 {
		commit()
		return
	}
	mapped, released := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	limit := int64(min(max(mapped, mapped-released+exitHeadroom), math.MaxInt64))
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
// memory held ready: with less, a graph's worth of live data is marked again
// for every few hundred KB of the commit (walk.jac: 41 collections at no
// headroom, 3 at 4 MB).
const exitHeadroom = 4 << 20
