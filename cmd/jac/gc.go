package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the GC target of a jac process unless GOGC is set. An interpreter
// allocates many small short-lived values, so the default 100% collects often;
// measured on the benchmark suite (runtime/interp/testdata/bench, docs/performance.md):
// 200% takes 10-40% less CPU than 100% on the allocation-heavy programs, and 400%
// gains almost nothing more over 200% while its peak RSS is up to 1.5x larger
// (strings.jac 74 MB -> 109 MB, walk.jac 76 MB -> 105 MB).
const gcPercent = 200

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
