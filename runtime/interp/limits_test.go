package interp

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestLockContextGivesUp: a waiter whose context ends leaves the queue without
// the lock, and the other waiters still get it in turn (no lost wake-up).
func TestLockContextGivesUp(t *testing.T) {
	var l progLock
	l.Lock()
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- l.lockContext(ctx) }()
	var wg sync.WaitGroup
	got := 0
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Lock()
			got++
			l.Unlock()
		}()
	}
	time.Sleep(20 * time.Millisecond) // every waiter is asleep
	cancel()
	select {
	case err := <-gaveUp:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("lockContext = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled waiter kept waiting")
	}
	l.Unlock()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a waiter never woke after a cancelled one left")
	}
	if got != 3 {
		t.Fatalf("%d of 3 waiters got the lock", got)
	}
}
