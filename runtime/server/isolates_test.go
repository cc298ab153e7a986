package server_test

import (
	"fmt"
	"sync"
	"testing"
)

// isolateApp has a module global set when an isolate loads the program, a
// request that holds its isolate for a while, and a counter node.
const isolateApp = `
import time;
import uuid;
glob instance = str(uuid.uuid4());
glob served = 0;
node Counter { has n: int = 0; }
walker :pub hold { can go with Root entry { time.sleep(0.3); report instance; } }
walker :pub setup { can go with Root entry { report (here ++> Counter())[0]; } }
walker :pub bump { can go with Counter entry { global served; served += 1; here.n += 1; report here.n; } }
walker :pub read { can go with Counter entry { report [here.n, len([root -->](?:Counter))]; } }
walker :pub add { can go with Root entry { here ++> Counter(); report len([-->](?:Counter)); } }
`

// holdIsolates runs n requests at once that each hold an isolate, and
// returns the distinct module instances that served them.
func holdIsolates(t *testing.T, s *server, n int) map[string]bool {
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := reports(t, s.do("POST", "/walker/hold", "", map[string]any{}))
			mu.Lock()
			seen[r[0].(string)] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	return seen
}

// TestIsolates: with --workers 4 requests run on four instances of the
// program, each with its own module globals; every write acknowledged by one
// isolate is read by the next request whichever isolate serves it (the
// isolates' graph tiers drop what the others commit), and concurrent
// increments through all of them lose nothing.
func TestIsolates(t *testing.T) {
	s := startApp(t, isolateApp)
	s.args = []string{"--workers", "4"}
	s.stop()
	s.start()
	if seen := holdIsolates(t, s, 4); len(seen) != 4 {
		t.Fatalf("4 requests at once ran on %d isolates, want 4", len(seen))
	}
	id := reports(t, s.do("POST", "/walker/setup", "", map[string]any{}))[0].(map[string]any)["_jac_id"].(string)
	// consecutive requests are served by isolates in turn
	for i := 1; i <= 40; i++ {
		if got := reports(t, s.do("POST", "/walker/bump/"+id, "", map[string]any{})); fmt.Sprint(got) != fmt.Sprint([]any{float64(i)}) {
			t.Fatalf("bump %d: %v", i, got)
		}
		want := fmt.Sprint([]any{[]any{float64(i), float64(1 + (i-1)/10)}})
		if got := reports(t, s.do("POST", "/walker/read/"+id, "", map[string]any{})); fmt.Sprint(got) != want {
			t.Fatalf("read after bump %d: %v, want %s", i, got, want)
		}
		if i%10 == 0 && i < 40 {
			reports(t, s.do("POST", "/walker/add", "", map[string]any{}))
		}
	}
	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if r := s.do("POST", "/walker/bump/"+id, "", map[string]any{}); r.status != 200 {
					t.Errorf("bump: %d %s", r.status, r.raw)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := reports(t, s.do("POST", "/walker/read/"+id, "", map[string]any{})); fmt.Sprint(got) != "[[240 4]]" {
		t.Fatalf("after 4×50 concurrent increments: %v, want [[240 4]]", got)
	}
}
