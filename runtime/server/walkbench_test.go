package server_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	jacserver "github.com/jacscale/jac/runtime/server"
)

// BenchmarkWalkInProcess serves benchApp's walk100 (a walker entering a
// 100-node chain) from a server in the test process, four goroutines at a
// time, through its handler without a network: what a walk request costs on
// the graph side. -benchmem gives the bytes and allocations per request;
// -cpuprofile/-memprofile profile them.
func BenchmarkWalkInProcess(b *testing.B) {
	dir := b.TempDir()
	app := filepath.Join(dir, "app.jac")
	os.WriteFile(app, []byte(benchApp), 0o644)
	b.Chdir(dir)
	cfg, err := jacserver.LoadConfig(app)
	if err != nil {
		b.Fatal(err)
	}
	cfg.JWTSecret = "test"
	cfg.RateLimit.Enabled = false
	srv, err := jacserver.New(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()
	call := func(path string) {
		r, _ := http.NewRequest("POST", path, strings.NewReader("{}"))
		r.Header.Set("Content-Type", "application/json")
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, r)
		if w.code != 0 && w.code != 200 {
			b.Errorf("%s: %d", path, w.code)
		}
	}
	call("/walker/chain")
	b.ResetTimer()
	t0, cpu0 := time.Now(), processCPU()
	var wg sync.WaitGroup
	per := max(b.N/4, 1)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				call("/walker/walk100")
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(per*4)/time.Since(t0).Seconds(), "req/s")
	// CPU time is steadier than wall time on a shared machine
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(per*4), "cpu-us/req")
}

// processCPU is the CPU time (user + system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// discardWriter is a ResponseWriter that keeps the status only.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (w *discardWriter) WriteHeader(c int)           { w.code = c }
