package interp

import (
	"context"
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

func (l *progLock) Lock() { l.lockContext(context.Background()) }

// lockContext is Lock that gives up, returning ctx's error, once ctx is done
// (never for a context that cannot be cancelled): a request whose client left, or whose deadline passed,
// while it waited.
func (l *progLock) lockContext(ctx context.Context) error {
	if l.held.CompareAndSwap(false, true) {
		return nil
	}
	start := time.Now()
	for i := 1; ; i++ {
		runtime.Gosched()
		if !l.held.Load() && l.held.CompareAndSwap(false, true) {
			return nil
		}
		if i%4 == 0 && time.Since(start) > spinFor {
			break
		}
	}
	l.mu.Lock()
	if l.wake.L == nil {
		l.wake.L = &l.mu
	}
	if ctx.Done() != nil {
		// wake every sleeper when ctx ends, so that this one sees it
		stop := context.AfterFunc(ctx, func() { l.mu.Lock(); l.wake.Broadcast(); l.mu.Unlock() })
		defer stop()
	}
	l.sleepers.Add(1) // before the last try: an Unlock from now on signals
	var err error
	for !l.held.CompareAndSwap(false, true) {
		if ctx.Err() != nil {
			err = ctx.Err()
			break
		}
		l.wake.Wait()
	}
	l.sleepers.Add(-1)
	if err != nil && l.sleepers.Load() > 0 {
		l.wake.Signal() // the Unlock's signal may have been ours: pass it on
	}
	l.mu.Unlock()
	return err
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
