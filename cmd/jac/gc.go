package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jacscale/jac/cmd/jac/internal/initpages"
)

// gcPercent is the GC target of a jac process unless GOGC is set. An interpreter
// allocates many small short-lived values, so the default 100% collects often;
// measured on the benchmark suite (runtime/interp/testdata/bench, docs/performance.md):
// 200% takes 10-40% less CPU than 100% on the allocation-heavy programs, and 400%
// gains almost nothing more over 200% while its peak RSS is up to 1.5x larger
// (strings.jac 74 MB -> 109 MB, walk.jac 76 MB -> 105 MB).
const gcPercent = 200

// gcMaxPercent bounds the percentage the headroom tuner sets (a heap of a few KB).
const gcMaxPercent = 2000

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// gcPolicy chooses the GC percentage from the live heap of the last cycle: the
// heap may grow by at least headroom bytes before the next cycle, and by
// percent of the live heap once that is more. With the flat percentage a program
// holding 3 MB collects every 6 MB of allocation, and marks (write barriers on)
// for a good part of its run; with a 16 MB headroom it collects every 16 MB,
// while a program holding 100 MB keeps exactly the flat percentage's goal.
type gcPolicy struct {
	percent    int    // the floor, and the percentage of large heaps
	headroom   uint64 // bytes the heap may grow past live data while it is small
	maxPercent int
	// budget, when not 0, caps what the headroom may add: the heap grows past
	// the flat percentage's goal only while live data, the headroom and the
	// process's memory outside the heap stay under it.
	budget uint64
}

// headroomWithin is the headroom to spend when the process holds outside bytes
// of resident memory besides the heap: p.headroom, less what would take live +
// headroom + outside past p.budget; 0 once they reach it (the flat percentage).
func (p gcPolicy) headroomWithin(live, outside uint64) uint64 {
	if p.budget == 0 {
		return p.headroom
	}
	if used := live + outside; used < p.budget {
		return min(p.headroom, p.budget-used)
	}
	return 0
}

// defaultHeapMinimum is the Go runtime's smallest heap goal at GOGC=100
// (runtime.defaultHeapMinimum); it scales with the percentage.
const defaultHeapMinimum = 4 << 20

// percentFor is the percentage whose heap goal is live+headroom, or p.percent
// when that is larger. scan is what the runtime applies the percentage to: the
// live heap plus goroutine stacks and globals. The runtime's goal at percentage
// q is max(live + scan*q/100, defaultHeapMinimum*q/100), so both terms are
// kept within live+headroom.
func (p gcPolicy) percentFor(live, scan uint64) int {
	want := live + p.headroom
	q := uint64(p.maxPercent)
	if scan > 0 {
		q = min(q, p.headroom*100/scan)
	}
	q = min(q, want*100/defaultHeapMinimum)
	return max(int(q), p.percent)
}

// gcTuner runs after every GC cycle of `jac run`: a finalizer on an object
// that is garbage at once runs after each cycle and arms the next one. It
// re-applies its policy (when tuning) and trims the binary's pages the program
// no longer uses (at most every trimEvery).
type gcTuner struct {
	policy    gcPolicy
	tuning    bool   // false: the percentage is left alone (GOGC, GOMEMLIMIT, JAC_GC_HEADROOM=0)
	trim      func() // nil: no trimming
	trimEvery time.Duration
	samples   []metrics.Sample
	mu        sync.Mutex
	set       int       // the percentage last set
	tunes     int       // how many times tune ran
	trims     int       // how many times trim ran
	lastTrim  time.Time // when trim last ran
	stopped   bool      // no re-arming (tests)
}

func newGCTuner(p gcPolicy) *gcTuner {
	return &gcTuner{policy: p, tuning: true, set: -1, samples: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
		// the heap's resident part: objects, their spans' unused space, free
		// pages not yet returned to the OS
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}}
}

// defaultHeadroom is the headroom of `jac run` when JAC_GC_HEADROOM is unset,
// spent within defaultBudget; measured on the benchmark suite
// (docs/performance.md, "Round 7: the memory floor and the GC target"): with
// the binary's pages trimmed, a small program's process has room for it, and
// the programs that allocate fast while holding little collect less often.
const defaultHeadroom = 9 << 20

// defaultBudget bounds the process size up to which the default headroom is
// spent. What the binary's pages take varies with the page cache (the kernel
// maps a whole large folio on a fault: 3-4 MB more for the same program), so
// the headroom is what is left under the budget, not a fixed amount; an
// explicit JAC_GC_HEADROOM is spent whole.
const defaultBudget = 23 << 20

// trimInterval bounds how often the binary's pages are trimmed: a trim costs
// the refaults of the code in use (~0.2 ms), so a program that collects every
// millisecond pays it at most every trimInterval.
const trimInterval = 25 * time.Millisecond

// startGCTuner runs the tuner for the life of a `jac run` process: the
// headroom policy (JAC_GC_HEADROOM, else defaultHeadroom; 0 turns it off; GOGC
// or GOMEMLIMIT in the environment leave the percentage to the runtime) and the
// trimming of the binary's pages after the collections. `jac start` keeps the
// flat gcPercent and trims once, when it starts listening (serve.go): a server
// under load collects often, and its code stays hot.
func startGCTuner() {
	processGCTuner.Do(func() {
		policy, tuning := gcPolicyFromEnv()
		t := newGCTuner(policy)
		t.tuning = tuning
		t.trim, t.trimEvery = initpages.Trim, trimInterval
		t.tune()
		t.arm()
	})
}

var processGCTuner sync.Once

// gcPolicyFromEnv is the policy of `jac run` in this environment, and whether
// it tunes the percentage at all: the default headroom is spent within
// defaultBudget, an explicit JAC_GC_HEADROOM whole; JAC_GC_HEADROOM=0, a
// malformed one, GOGC or GOMEMLIMIT leave the percentage alone.
func gcPolicyFromEnv() (gcPolicy, bool) {
	headroom, ok := gcHeadroomFromEnv()
	p := gcPolicy{percent: gcPercent, headroom: headroom, maxPercent: gcMaxPercent}
	if os.Getenv("JAC_GC_HEADROOM") == "" {
		p.budget = defaultBudget
	}
	return p, ok && headroom > 0 && gcTunerWanted()
}

// gcTunerWanted is false when GOGC or GOMEMLIMIT is set: the operator's setting
// is the policy (with GOMEMLIMIT alone the flat gcPercent applies, as before).
func gcTunerWanted() bool {
	return os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""
}

// gcHeadroomFromEnv reads JAC_GC_HEADROOM: bytes, or a number with a KiB, MiB
// or GiB suffix (as GOMEMLIMIT is written); 0 turns the headroom off. Unset, it
// is defaultHeadroom; ok is false when it is malformed.
func gcHeadroomFromEnv() (headroom uint64, ok bool) {
	s := os.Getenv("JAC_GC_HEADROOM")
	switch s {
	case "":
		return defaultHeadroom, true
	case "0":
		return 0, true
	}
	return parseByteSize(s)
}

func parseByteSize(s string) (uint64, bool) {
	unit := uint64(1)
	for suffix, u := range map[string]uint64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if rest, found := strings.CutSuffix(s, suffix); found {
			s, unit = rest, u
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || n > math.MaxUint64/unit {
		return 0, false
	}
	return n * unit, true
}

// gcSentinel is allocated for its finalizer; it is large enough not to share a
// tiny-allocator block (whose finalizers may never run).
type gcSentinel struct{ _ [16]byte }

func (t *gcTuner) arm() {
	s := new(gcSentinel)
	runtime.SetFinalizer(s, func(*gcSentinel) {
		if t.tune() {
			t.arm()
		}
	})
}

// tune sets the percentage for the live heap the last cycle measured and
// trims the binary's pages when trimEvery has passed; false once the tuner is
// stopped.
func (t *gcTuner) tune() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	t.tunes++
	if t.tuning {
		metrics.Read(t.samples)
		live, stack, globals := t.samples[0].Value.Uint64(), t.samples[1].Value.Uint64(), t.samples[2].Value.Uint64()
		policy := t.policy
		if policy.budget != 0 {
			heap := t.samples[3].Value.Uint64() + t.samples[4].Value.Uint64() + t.samples[5].Value.Uint64()
			if rss, ok := residentBytes(); ok {
				policy.headroom = policy.headroomWithin(live, rss-min(rss, heap))
			}
		}
		if q := policy.percentFor(live, live+stack+globals); q != t.set {
			debug.SetGCPercent(q)
			t.set = q
		}
	}
	if t.trim != nil {
		if now := time.Now(); now.Sub(t.lastTrim) >= t.trimEvery {
			t.trim()
			t.trims++
			t.lastTrim = now
		}
	}
	return true
}

// stop ends the tuner after the next cycle; the percentage stays as last set.
func (t *gcTuner) stop() {
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}
