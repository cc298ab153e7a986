package interp

import (
	"sync"
	"testing"
	"time"
)

// TestProgLock: mutual exclusion for waiters that yield and for waiters that
// sleep (holders that keep the lock past spinFor), with no lost wake-up. Run
// with -race, the plain counter is also checked for ordering.
func TestProgLock(t *testing.T) {
	var l progLock
	for _, hold := range []time.Duration{0, 3 * spinFor} {
		counter, inside := 0, 0
		var wg sync.WaitGroup
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := 200
				if hold > 0 {
					n = 5
				}
				for i := 0; i < n; i++ {
					l.Lock()
					inside++
					if inside != 1 {
						t.Errorf("%d holders at once", inside)
					}
					counter++
					if hold > 0 {
						time.Sleep(hold)
					}
					inside--
					l.Unlock()
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("hold %v: a waiter never woke", hold)
		}
		if want := 6 * 200; hold > 0 && counter != 6*5 || hold == 0 && counter != want {
			t.Fatalf("hold %v: counter %d", hold, counter)
		}
	}
}
