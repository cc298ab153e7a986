package interp

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// progLock is the program's interpreter lock: one request's Jac code runs at a
// time. Requests hold it for microseconds, and a waiter parked by sync.Mutex
// took longer to wake than the request it waited for: with four connections
// under wrk a constant walker served 45–51k req/s behind sync.Mutex and 58–61k
// when waiters yield first (a 100-node walk 21k and 24–26k). So a waiter first
// yields its processor (runtime.Gosched) while it retries, for up to spinFor,
// and only then sleeps until an Unlock signals it, so that a long-held lock (a
// request that sleeps or computes for a while) costs its waiters no CPU.
type progLock struct {
	held     atomic.Bool
	sleepers atomic.Int32
	mu       sync.Mutex // guards the sleepers' wait
	wake     sync.Cond
}

// spinFor is how long a waiter yields before it sleeps. Interleaved runs (Go
// client and wrk, constant walker and 100-node walk): 0 was sync.Mutex again,
// 200 µs took the Go client's walk 6 % down (the yielding waiters compete for a
// saturated CPU), 50 µs lost nothing there and gave wrk +15–20 %.
const spinFor = 50 * time.Microsecond

func (l *progLock) Lock() {
	if l.held.CompareAndSwap(false, true) {
		return
	}
	start := time.Now()
	for i := 1; ; i++ {
		runtime.Gosched()
		if !l.held.Load() && l.held.CompareAndSwap(false, true) {
			return
		}
		if i%4 == 0 && time.Since(start) > spinFor {
			break
		}
	}
	l.mu.Lock()
	if l.wake.L == nil {
		l.wake.L = &l.mu
	}
	l.sleepers.Add(1) // before the last try: an Unlock from now on signals
	for !l.held.CompareAndSwap(false, true) {
		l.wake.Wait()
	}
	l.sleepers.Add(-1)
	l.mu.Unlock()
}

func (l *progLock) Unlock() {
	l.held.Store(false)
	if l.sleepers.Load() > 0 {
		l.mu.Lock()
		if l.wake.L == nil {
			l.wake.L = &l.mu
		}
		l.wake.Signal()
		l.mu.Unlock()
	}
}
