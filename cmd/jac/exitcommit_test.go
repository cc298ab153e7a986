package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestWithinHeldMemory: the exit commit runs under a finite memory limit of
// at least exitHeadroom, the previous limit is back afterwards, and a lower
// limit set by the operator is kept.
func TestWithinHeldMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	var during int64
	withinHeldMemory(func() { during = debug.SetMemoryLimit(-1) })
	if during == math.MaxInt64 || during < exitHeadroom {
		t.Fatalf("limit during the commit: %d", during)
	}
	if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
		t.Fatalf("limit after the commit: %d", after)
	}
	debug.SetMemoryLimit(1 << 20)
	withinHeldMemory(func() { during = debug.SetMemoryLimit(-1) })
	if during != 1<<20 {
		t.Fatalf("an operator's lower limit became %d", during)
	}
}
