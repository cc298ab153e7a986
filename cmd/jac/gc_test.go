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
