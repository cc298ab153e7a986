package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/jacscale/jac/runtime/memory"
)

// TestWebSocketLoad: 200 concurrent connections each send 50 messages; every
// message is answered, and no goroutine is left behind once they close.
func TestWebSocketLoad(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.jac")
	os.WriteFile(app, []byte(`
@restspec(protocol=APIProtocol.WEBSOCKET)
walker :pub echo { has n: int; can go with Root entry { report self.n * 2; } }
`), 0o644)
	cfg, err := LoadConfig(app)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.JWTSecret = "test"
	cfg.RateLimit.Enabled = false // 10,000 messages from one address
	st, err := memory.OpenBolt(filepath.Join(dir, "graph.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(context.Background(), cfg, WithBackend(st))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/echo"
	before := runtime.NumGoroutine()
	const conns, msgs = 200, 50
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			c, _, err := websocket.Dial(ctx, url, nil)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close(websocket.StatusNormalClosure, "")
			for j := 0; j < msgs; j++ {
				if err := c.Write(ctx, websocket.MessageText, []byte(`{"n": 21}`)); err != nil {
					errs <- err
					return
				}
				_, data, err := c.Read(ctx)
				if err != nil {
					errs <- err
					return
				}
				var reply struct {
					OK   bool `json:"ok"`
					Data struct {
						Reports []int `json:"reports"`
					} `json:"data"`
				}
				if json.Unmarshal(data, &reply); !reply.OK || len(reply.Data.Reports) != 1 || reply.Data.Reports[0] != 42 {
					errs <- &wsErr{string(data)}
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("client: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before+5 {
		t.Fatalf("goroutines: %d before, %d after the connections closed", before, after)
	}
	t.Logf("%d connections x %d messages answered; goroutines %d before, %d after", conns, msgs, before, runtime.NumGoroutine())
}

type wsErr struct{ reply string }

func (e *wsErr) Error() string { return "unexpected reply " + e.reply }
