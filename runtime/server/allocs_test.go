package server

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// reusableBody is a request body that can be read again after reset, so that
// one *http.Request serves many runs of the handler without allocating.
type reusableBody struct {
	strings.Reader
	text string
}

func (b *reusableBody) reset()       { b.Reader.Reset(b.text) }
func (b *reusableBody) Close() error { return nil }

// discardWriter is a ResponseWriter that keeps nothing but its header map,
// which is cleared before each run.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// handlerRun prepares one POST of body to path through s's whole handler
// chain (middleware, routing, the endpoint) and returns a function that
// serves it again; the request and the writer are reused, so a run
// allocates only what the server does.
func handlerRun(tb testing.TB, s *Server, path, body string) func() {
	tb.Helper()
	b := &reusableBody{text: body}
	r, err := http.NewRequestWithContext(context.Background(), http.MethodPost, path, b)
	if err != nil {
		tb.Fatal(err)
	}
	r.RemoteAddr = "127.0.0.1:40000"
	r.Header.Set("Content-Type", "application/json")
	w := &discardWriter{header: http.Header{}}
	serve := func() {
		b.reset()
		r.Body = b
		clear(w.header)
		w.status = 0
		s.Handler().ServeHTTP(w, r)
	}
	serve()
	if w.status != http.StatusOK {
		tb.Fatalf("%s: status %d", path, w.status)
	}
	for range 50 { // warm the isolate's graph tier and the metrics' series
		serve()
	}
	return serve
}

// handlerAllocs is the number of heap allocations of one run of handlerRun.
func handlerAllocs(t *testing.T, s *Server, path, body string) float64 {
	return testing.AllocsPerRun(200, handlerRun(t, s, path, body))
}

// allocsApp is the constant walker of BenchmarkServe.
const allocsApp = `walker :pub constant { can go with Root entry { report 42; } }`

// newAllocsServer serves allocsApp on the embedded store with cfgFn applied.
func newAllocsServer(t testing.TB, cfgFn func(*Config)) *Server {
	t.Helper()
	dir := t.TempDir()
	app := filepath.Join(dir, "app.jac")
	if err := os.WriteFile(app, []byte(allocsApp), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(app)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.JWTSecret = "test"
	cfg.Tracing.Enabled = false
	cfgFn(&cfg)
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestTracingOffAllocatesNothing: with tracing off (a nil *tracer) every
// tracing hook of the request path is free.
func TestTracingOffAllocatesNothing(t *testing.T) {
	var tr *tracer
	ep := &endpoint{name: "constant"}
	u := &User{RootID: "0123456789abcdef"}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		ctx, span := tr.startWalker(ctx, ep)
		tr.setUser(ctx, u)
		tr.storeSpan(ctx, "commit", time.Time{}, nil)
		tr.endWalker(span, nil, nil)
	})
	if allocs != 0 {
		t.Errorf("tracing hooks with tracing off: %v allocations per request, want 0", allocs)
	}
}

// constantWalkerAllocs bounds the heap allocations of one constant-walker
// request through the whole handler chain with tracing and rate limits off
// (the net/http connection's own, reading the request and writing the
// response, are not counted: they are the same for any handler). Measured
// with Go 1.26 (round 3, before execution limits, rate limits, tracing and
// isolates: 37); a change that adds an allocation per request fails here.
const constantWalkerAllocs = 32

// TestRequestAllocations counts what one constant-walker request allocates
// with tracing off, against the budget above, with rate limits off and on
// (the default; a bucket is found by a comparable key, no string is built).
func TestRequestAllocations(t *testing.T) {
	for _, limits := range []bool{false, true} {
		s := newAllocsServer(t, func(c *Config) {
			c.RateLimit.Enabled = limits
			c.RateLimit.IP = Quota{PerMinute: 1 << 30, Burst: 1 << 30} // never reached
		})
		n := handlerAllocs(t, s, "/walker/constant", "{}")
		t.Logf("constant walker, tracing off, rate limits %v: %v allocations per request", limits, n)
		if n > constantWalkerAllocs {
			t.Errorf("constant walker (rate limits %v): %v allocations per request, budget %d", limits, n, constantWalkerAllocs)
		}
	}
}

// BenchmarkHandlerConstant is the server's own CPU cost of a constant-walker
// request (TestRequestAllocations' request, in this process, no network):
// what the request path adds on top of net/http.
func BenchmarkHandlerConstant(b *testing.B) {
	serve := handlerRun(b, newAllocsServer(b, func(c *Config) { c.RateLimit.Enabled = false }), "/walker/constant", "{}")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		serve()
	}
}
