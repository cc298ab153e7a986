package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/jacscale/jac/cmd/jac/internal/initpages"
)

// testPolicy is the policy of `JAC_GC_HEADROOM=16MiB jac run`.
var testPolicy = gcPolicy{percent: gcPercent, headroom: 16 << 20, maxPercent: gcMaxPercent}

// heapGoal is the Go runtime's heap goal for a live heap at percentage q
// (runtime.gcControllerState.commit, without the memory limit).
func heapGoal(live, scan uint64, q int) uint64 {
	return max(live+scan*uint64(q)/100, defaultHeapMinimum*uint64(q)/100)
}

// While the live heap is under headroom/percent the goal is live+headroom.
func TestGCPolicyHeadroomWhileSmall(t *testing.T) {
	const mb = 1 << 20
	for live := uint64(0); live < testPolicy.headroom*100/uint64(testPolicy.percent); live += 256 << 10 {
		scan := live + 64<<10
		q := testPolicy.percentFor(live, scan)
		goal := heapGoal(live, scan, q)
		if want := live + testPolicy.headroom; goal > want || goal+mb < want {
			t.Errorf("live %d: percent %d, goal %d, want about live+headroom %d", live, q, goal, want)
		}
	}
}

// As the live heap grows the goal never falls, the heap may always grow by the
// headroom or the flat percentage (whichever is more), and from
// headroom/percent on the percentage is the flat one.
func TestGCPolicyConvergesToPercent(t *testing.T) {
	var prevGoal uint64
	for live := uint64(0); live <= 1<<30; live += 256 << 10 {
		scan := live + 256<<10
		q := testPolicy.percentFor(live, scan)
		if q < testPolicy.percent {
			t.Fatalf("live %d: percent %d below the floor %d", live, q, testPolicy.percent)
		}
		goal := heapGoal(live, scan, q)
		if goal < prevGoal {
			t.Fatalf("live %d: goal %d fell from %d as the heap grew", live, goal, prevGoal)
		}
		if floor := heapGoal(live, scan, testPolicy.percent); goal < floor {
			t.Fatalf("live %d: goal %d below the flat percentage's %d", live, goal, floor)
		}
		if live >= testPolicy.headroom*100/uint64(testPolicy.percent) && q != testPolicy.percent {
			t.Fatalf("live %d: percent %d, want the flat %d for a large heap", live, q, testPolicy.percent)
		}
		prevGoal = goal
	}
}

func TestParseByteSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"16MiB", 16 << 20, true},
		{"512KiB", 512 << 10, true},
		{"1GiB", 1 << 30, true},
		{"1048576", 1 << 20, true},
		{"", 0, false},
		{"0", 0, false},
		{"-1MiB", 0, false},
		{"16MB", 0, false},
		{"99999999999GiB", 0, false},
	} {
		if got, ok := parseByteSize(c.in); got != c.want || ok != c.ok {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestGCTunerWantedHonoursEnvironment(t *testing.T) {
	for _, c := range []struct {
		gogc, memlimit string
		want           bool
	}{
		{"", "", true},
		{"100", "", false},
		{"off", "", false},
		{"", "512MiB", false},
		{"300", "1GiB", false},
	} {
		t.Setenv("GOGC", c.gogc)
		t.Setenv("GOMEMLIMIT", c.memlimit)
		if got := gcTunerWanted(); got != c.want {
			t.Errorf("GOGC=%q GOMEMLIMIT=%q: tuner wanted %v, want %v", c.gogc, c.memlimit, got, c.want)
		}
	}
}

// TestGCTunerFollowsLiveHeap runs a tuner against this process's heap (with a
// 64 MB headroom, far above the test binary's own live heap): with 96 MB live
// it keeps the flat percentage, and once that is garbage it goes back to the
// headroom; its finalizer re-arms it after every cycle.
func TestGCTunerFollowsLiveHeap(t *testing.T) {
	old := debug.SetGCPercent(200)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	policy := gcPolicy{percent: 200, headroom: 64 << 20, maxPercent: 2000}
	tu := newGCTuner(policy)
	t.Cleanup(tu.stop)

	tu.arm()
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	waitTunes(t, tu, 2)

	live := make([][]byte, 96)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	tu.tune()
	if tu.set != policy.percent {
		t.Errorf("96 MB live: percent %d, want the flat %d", tu.set, policy.percent)
	}
	runtime.KeepAlive(live)

	live = nil
	runtime.GC()
	tu.tune()
	if tu.set <= policy.percent {
		t.Errorf("after the large heap is garbage: percent %d, want above %d", tu.set, policy.percent)
	}
	if got := debug.SetGCPercent(tu.set); got != tu.set {
		t.Errorf("runtime percent %d, tuner set %d", got, tu.set)
	}
}

// waitTunes waits until the tuner's finalizer has run n times.
func waitTunes(t *testing.T, tu *gcTuner, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		tu.mu.Lock()
		got := tu.tunes
		tu.mu.Unlock()
		if got >= n {
			return
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the tuner ran fewer than %d times after GC cycles", n)
}

func TestGCHeadroomFromEnv(t *testing.T) {
	for _, c := range []struct {
		env  string
		want uint64
		ok   bool
	}{
		{"", defaultHeadroom, true},
		{"0", 0, true},
		{"16MiB", 16 << 20, true},
		{"lots", 0, false},
	} {
		t.Setenv("JAC_GC_HEADROOM", c.env)
		if got, ok := gcHeadroomFromEnv(); got != c.want || ok != c.ok {
			t.Errorf("JAC_GC_HEADROOM=%q: %d, %v; want %d, %v", c.env, got, ok, c.want, c.ok)
		}
	}
}

// TestGCTunerTrimsAtMostEveryInterval: the tuner trims after a cycle once the
// interval has passed since the last trim, never more often, and leaves the
// percentage alone when it is not tuning.
func TestGCTunerTrimsAtMostEveryInterval(t *testing.T) {
	old := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	trims := 0
	tu := newGCTuner(testPolicy)
	tu.tuning = false
	tu.trim, tu.trimEvery = func() { trims++ }, time.Hour
	tu.tune()
	tu.tune()
	tu.tune()
	if trims != 1 || tu.trims != 1 {
		t.Errorf("three cycles within the interval: %d trims, want 1", trims)
	}
	tu.trimEvery = 0
	tu.tune()
	if trims != 2 {
		t.Errorf("a cycle past the interval: %d trims, want 2", trims)
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("a tuner that does not tune set the percentage to %d", got)
	}
}

// TestGCTunerTrimsAfterCycles: armed, it trims this process's binary pages
// after real GC cycles (initpages.Trim), and the process keeps working.
func TestGCTunerTrimsAfterCycles(t *testing.T) {
	initpages.Release()
	tu := newGCTuner(testPolicy)
	tu.tuning = false
	tu.trim, tu.trimEvery = initpages.Trim, 0
	t.Cleanup(tu.stop)
	tu.arm()
	waitTunes(t, tu, 3)
	tu.mu.Lock()
	trims := tu.trims
	tu.mu.Unlock()
	if trims < 3 {
		t.Errorf("%d trims after 3 cycles", trims)
	}
	if m := map[string]int{"a": 1}; m["a"] != 1 {
		t.Fatal("the process misbehaves after trimming")
	}
}

// TestGCPolicyHeadroomWithinBudget: the headroom is what is left under the
// budget, whole without one, none past it (the flat percentage then).
func TestGCPolicyHeadroomWithinBudget(t *testing.T) {
	const mb = 1 << 20
	p := gcPolicy{percent: 200, headroom: 9 * mb, maxPercent: 2000, budget: 23 * mb}
	for _, c := range []struct{ live, outside, want uint64 }{
		{1 * mb, 10 * mb, 9 * mb}, // 20 MB in all: the whole headroom
		{1 * mb, 16 * mb, 6 * mb}, // what is left under 23 MB
		{2 * mb, 21 * mb, 0},      // at the budget
		{40 * mb, 10 * mb, 0},     // past it
		{0, 0, 9 * mb},
	} {
		if got := p.headroomWithin(c.live, c.outside); got != c.want {
			t.Errorf("live %d MB, outside %d MB: headroom %d, want %d", c.live/mb, c.outside/mb, got, c.want)
		}
	}
	if got := (gcPolicy{headroom: 9 * mb}).headroomWithin(100*mb, 100*mb); got != 9*mb {
		t.Errorf("no budget: headroom %d, want all of it", got)
	}
	p.headroom = 0
	if q := p.percentFor(1*mb, 2*mb); q != p.percent {
		t.Errorf("no headroom left: percent %d, want the flat %d", q, p.percent)
	}
}

func TestGCPolicyFromEnv(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	for _, c := range []struct {
		env      string
		headroom uint64
		budget   uint64
		tuning   bool
	}{
		{"", defaultHeadroom, defaultBudget, true},
		{"16MiB", 16 << 20, 0, true}, // explicit: spent whole
		{"0", 0, 0, false},
		{"lots", 0, 0, false},
	} {
		t.Setenv("JAC_GC_HEADROOM", c.env)
		p, tuning := gcPolicyFromEnv()
		if p.headroom != c.headroom || p.budget != c.budget || tuning != c.tuning || p.percent != gcPercent {
			t.Errorf("JAC_GC_HEADROOM=%q: %+v tuning %v; want headroom %d budget %d tuning %v", c.env, p, tuning, c.headroom, c.budget, c.tuning)
		}
	}
	t.Setenv("JAC_GC_HEADROOM", "")
	t.Setenv("GOGC", "100")
	if _, tuning := gcPolicyFromEnv(); tuning {
		t.Error("GOGC set: the tuner still tunes")
	}
}

func TestResidentOfStatm(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"2470 1250 800 300 0 900 0\n", 1250 * 4096, true},
		{"2470 0 0 0 0 0 0", 0, true},
		{"2470", 0, false},
		{"2470 x", 0, false},
		{"", 0, false},
	} {
		if got, ok := residentOfStatm([]byte(c.in), 4096); got != c.want || ok != c.ok {
			t.Errorf("residentOfStatm(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestResidentBytes reads this process's resident set: more than its live heap.
func TestResidentBytes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/self/statm is Linux's")
	}
	keep := make([]byte, 8<<20)
	for i := range keep {
		keep[i] = 1
	}
	rss, ok := residentBytes()
	if !ok || rss < 8<<20 || rss > 8<<30 {
		t.Errorf("resident %d bytes, ok %v; want more than the 8 MB just written", rss, ok)
	}
	runtime.KeepAlive(keep)
}
