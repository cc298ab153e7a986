package main

import (
	"os"
	"runtime/debug"
)

// An interpreter allocates many small short-lived values; a larger GC target
// trades a little memory for much less collection work. GOGC still wins.
func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
