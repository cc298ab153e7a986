package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// TestWithinHeldMemory: the exit commit runs under a finite memory limit
// whose 90% (the interpreter's heap ceiling) is above all the memory held
// ready, even when the heap is nearly all live data, the
// previous limit is back afterwards, and a lower limit set by the operator is
// kept.
func TestWithinHeldMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	held := make([][]byte, 768) // a heap of 96 MB, nearly all live
	for i := range held {
		held[i] = make([]byte, 128<<10)
	}
	var during int64
	mem := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	withinHeldMemory(func() {
		during = debug.SetMemoryLimit(-1)
		metrics.Read(mem)
	})
	ready := mem[0].Value.Uint64() - mem[1].Value.Uint64()
	if during == math.MaxInt64 || during < exitHeadroom || uint64(during)/10*9 <= ready {
		t.Fatalf("limit during the commit: %d (memory held ready %d)", during, ready)
	}
	_ = held[len(held)-1][0]
	if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
		t.Fatalf("limit after the commit: %d", after)
	}
	debug.SetMemoryLimit(1 << 20)
	withinHeldMemory(func() { during = debug.SetMemoryLimit(-1) })
	if during != 1<<20 {
		t.Fatalf("an operator's lower limit became %d", during)
	}
}
