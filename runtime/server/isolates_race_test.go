package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	jacserver "github.com/jacscale/jac/runtime/server"
)

// TestIsolatesInProcess runs TestIsolates' workload on a Server in the test
// process, so that `go test -race` checks the isolates' own synchronization
// (pool, posted commits, graph tiers, shared caches) without building the CLI
// with the race detector.
func TestIsolatesInProcess(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.jac")
	if err := os.WriteFile(app, []byte(isolateApp), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := jacserver.LoadConfig(app)
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSecret, cfg.Isolates = "test", 4
	cfg.RateLimit.Enabled = false // hundreds of requests from one address
	srv, err := jacserver.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	call := func(path string) string {
		r, err := http.Post(ts.URL+path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Error(err)
			return ""
		}
		defer r.Body.Close()
		data, _ := io.ReadAll(r.Body)
		if r.StatusCode != 200 {
			t.Errorf("%s: %d %s", path, r.StatusCode, data)
		}
		return string(data)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); call("/walker/hold") }()
	}
	wg.Wait()
	out := call("/walker/setup")
	_, node, _ := strings.Cut(out, `"reports":[`)
	i := strings.Index(node, `"_jac_id":"`)
	if i < 0 {
		t.Fatalf("setup: %s", out)
	}
	id := node[i+11 : i+43]
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				call("/walker/bump/" + id)
				call("/walker/read/" + id)
				if i%10 == 0 {
					call("/walker/add")
				}
			}
		}()
	}
	wg.Wait()
	if got := call("/walker/read/" + id); !strings.Contains(got, `"reports":[[100,13]]`) {
		t.Fatalf("after 4×25 increments and 12 adds: %s", got)
	}
}
