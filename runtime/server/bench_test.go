package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// load sends n requests over `conns` keep-alive connections and returns req/s.
func load(b *testing.B, conns, n int, mk func() *http.Request) float64 {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				resp, err := client.Do(mk())
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests failed", f, n)
	}
	return float64(n) / time.Since(start).Seconds()
}

// bareHandler is a plain net/http handler returning body, the baseline.
func bareHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// bareServer serves bareHandler in this process (the load generator's own).
func bareServer(b *testing.B, body []byte) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: bareHandler(body)}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// bareProcess serves bareHandler from a child process (this test binary, see
// TestMain), so that the baseline pays for its own process and scheduler as
// the jac server does.
func bareProcess(b *testing.B, body []byte) string {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "JAC_BENCH_BARE_BODY="+string(body))
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("bare server: %v", err)
	}
	return "http://" + strings.TrimSpace(addr)
}

// serveBare is the child side of bareProcess: it prints its address and serves.
func serveBare(body string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr())
	http.Serve(ln, bareHandler([]byte(body)))
}

const benchApp = `
node Item { has n: int = 0; }
walker :pub constant { can go with Root entry { report 42; } }
walker make { has n: int = 0; can go with Root entry { here ++> Item(n=self.n); report self.n; } }
walker :pub chain { can go with Root entry { if not [-->] { cur = here; for i in range(100) { cur = (cur ++> Item(n=i))[0]; } } visit [-->]; }
  can step with Item entry { visit [-->]; } }
walker :pub walk100 { has seen: int = 0; can go with Root entry { visit [-->]; } can step with Item entry { self.seen += 1; visit [-->]; } }
`

func post(url string, body string, token string) func() *http.Request {
	return func() *http.Request {
		r, _ := http.NewRequest("POST", url, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return r
	}
}

var (
	runtimeOnce sync.Once
	runtimePath string
	runtimeErr  error
)

// runtimeBin is the runtime-only jac (-tags slim, as `make build` embeds it):
// what `jac start` runs, locally (the full CLI execs it) and in app images.
func runtimeBin(b *testing.B) string {
	runtimeOnce.Do(func() {
		runtimePath = filepath.Join(filepath.Dir(jacBin), "jac-runtime")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "slim", "-ldflags", "-s -w", "-o", runtimePath, "../../cmd/jac")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			runtimeErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if runtimeErr != nil {
		b.Fatalf("build the runtime: %v", runtimeErr)
	}
	return runtimePath
}

func benchServer(b *testing.B) (*server, time.Duration) {
	return benchServe(b, benchApp)
}

// serveApp starts `jac start` (the runtime binary) serving src.
func serveApp(b *testing.B, src string) *server {
	s, _ := benchServe(b, src)
	return s
}

func benchServe(b *testing.B, src string, env ...string) (*server, time.Duration) {
	dir := b.TempDir()
	os.WriteFile(dir+"/app.jac", []byte(src), 0o644)
	port := func() int {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port
	}()
	s := &server{dir: dir, port: port, url: fmt.Sprintf("http://127.0.0.1:%d", port), log: &lockedBuffer{}}
	s.cmd = exec.Command(runtimeBin(b), "start", "app.jac", "--host", "127.0.0.1", "--port", strconv.Itoa(port))
	s.cmd.Dir = dir
	s.cmd.Env = append(append(os.Environ(), "JWT_SECRET=bench", "JAC_RATE_LIMIT_ENABLED=false"), env...)
	s.cmd.Stderr = s.log
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	for {
		if r, err := http.Get(s.url + "/healthz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			break
		}
		if time.Since(start) > 10*time.Second {
			b.Fatalf("server did not start: %s", s.log)
		}
		time.Sleep(time.Millisecond)
	}
	startup := time.Since(start)
	b.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	return s, startup
}

func rssMB(pid int) float64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkServe measures a real `jac start` process against a bare net/http
// handler in its own process, in the same run (4 connections, loopback): a :pub
// walker reporting a constant, an authenticated durable create-node walker, and a
// walk over a 100-node chain. Ratios are the acceptance figures. The bare
// handler is also measured inside the load generator's process (bare-inproc),
// which shares one Go scheduler with the client and is faster than any server
// in a process of its own.
func BenchmarkServe(b *testing.B) {
	s, startup := benchServer(b)
	idleRSS := rssMB(s.cmd.Process.Pid)
	const n = 20000
	constBody := []byte(`{"ok":true,"type":"response","data":{"result":{},"reports":[42]},"error":null}`)
	bare := bareProcess(b, constBody)
	bareInproc := bareServer(b, constBody)
	var tok string
	{
		r, _ := http.Post(s.url+"/user/register", "application/json", strings.NewReader(`{"username":"bench","password":"pw"}`))
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		r.Body.Close()
		tok = body["data"].(map[string]any)["token"].(string)
	}
	load(b, 4, 1, post(s.url+"/walker/chain", "{}", ""))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bareRPS := load(b, 4, n, post(bare, "{}", ""))
		inprocRPS := load(b, 4, n, post(bareInproc, "{}", ""))
		constRPS := load(b, 4, n, post(s.url+"/walker/constant", "{}", ""))
		makeRPS := load(b, 4, n/10, post(s.url+"/walker/make", `{"n": 1}`, tok))
		walkRPS := load(b, 4, n/4, post(s.url+"/walker/walk100", "{}", ""))
		b.ReportMetric(bareRPS, "bare-req/s")
		b.ReportMetric(inprocRPS, "bare-inproc-req/s")
		b.ReportMetric(constRPS, "const-req/s")
		b.ReportMetric(constRPS/bareRPS, "const-ratio")
		b.ReportMetric(makeRPS, "create-req/s")
		b.ReportMetric(makeRPS/bareRPS, "create-ratio")
		b.ReportMetric(walkRPS, "walk100-req/s")
		b.ReportMetric(walkRPS/bareRPS, "walk100-ratio")
		// ResetTimer drops metrics reported before it
		b.ReportMetric(float64(startup.Microseconds())/1000, "start-to-200-ms")
		b.ReportMetric(idleRSS, "idle-rss-MB")
	}
}

// typedWalkApp is a 100-node chain under a Step edge type, walked with a typed
// reference from the root, beside any number of unrelated Item children.
const typedWalkApp = `
node Item { has n: int = 0; }
node Step { has n: int = 0; }
walker chain { can go with Root entry { cur = here; for i in range(100) { cur = (cur ++> Step(n=i))[0]; } report 1; } }
walker items { has n: int = 0; can go with Root entry { for i in range(self.n) { here ++> Item(n=i); } report self.n; } }
walker walk { has seen: int = 0; can go with Root entry { visit [-->](?:Step); }
  can step with Step entry { self.seen += 1; visit [-->]; } }
`

// BenchmarkTypedWalk measures the 100-node walk `visit [-->](?:Step)` from a
// root that also has 10,000 Item children against the same walk from a root
// with the chain only, in one `jac start` process and one run (4 connections).
// busy-ratio is the acceptance figure (≥ 0.7).
func BenchmarkTypedWalk(b *testing.B) {
	s := serveApp(b, typedWalkApp)
	fresh, busy := s.benchUser(b, "fresh"), s.benchUser(b, "busy")
	for _, tok := range []string{fresh, busy} {
		load(b, 1, 1, post(s.url+"/walker/chain", "{}", tok))
	}
	load(b, 1, 1, post(s.url+"/walker/items", `{"n": 10000}`, busy))
	const n = 5000
	load(b, 4, 100, post(s.url+"/walker/walk", "{}", busy)) // warm both
	load(b, 4, 100, post(s.url+"/walker/walk", "{}", fresh))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		freshRPS := load(b, 4, n, post(s.url+"/walker/walk", "{}", fresh))
		busyRPS := load(b, 4, n, post(s.url+"/walker/walk", "{}", busy))
		b.ReportMetric(freshRPS, "fresh-root-req/s")
		b.ReportMetric(busyRPS, "busy-root-req/s")
		b.ReportMetric(busyRPS/freshRPS, "busy-ratio")
	}
}

// benchUser registers a user and returns its token.
func (s *server) benchUser(b *testing.B, name string) string {
	r, err := http.Post(s.url+"/user/register", "application/json", strings.NewReader(`{"username":"`+name+`","password":"pw"}`))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Body.Close()
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	data, ok := body["data"].(map[string]any)
	if !ok {
		b.Fatalf("register %s: %v", name, body)
	}
	return data["token"].(string)
}

// BenchmarkServeProduction measures the constant walker of a real `jac start`
// process against a bare net/http process in the same run, with the
// production features off (the default of these benchmarks), with rate limits
// on (the default; quotas no request reaches: the cost of the checks) and with
// tracing on, every request sampled (the default ratio, 1) or one in ten,
// exported over OTLP/HTTP to a receiver that discards what it gets.
func BenchmarkServeProduction(b *testing.B) {
	constBody := []byte(`{"ok":true,"type":"response","data":{"result":{},"reports":[42]},"error":null}`)
	bare := bareProcess(b, constBody)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	b.Cleanup(sink.Close)
	variants := []struct {
		name string
		env  []string
	}{
		{"off", nil},
		{"limits", []string{"JAC_RATE_LIMIT_ENABLED=true", "JAC_RATE_LIMIT_PER_MINUTE=1000000000", "JAC_RATE_LIMIT_BURST=1000000000"}},
		{"tracing", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + sink.URL}},
		{"tracing-0.1", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + sink.URL, "OTEL_TRACES_SAMPLER_ARG=0.1"}},
	}
	servers := make([]*server, len(variants))
	for i, v := range variants {
		servers[i], _ = benchServe(b, benchApp, v.env...)
		load(b, 4, 100, post(servers[i].url+"/walker/constant", "{}", "")) // warm up
	}
	const n = 20000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bareRPS := load(b, 4, n, post(bare, "{}", ""))
		b.ReportMetric(bareRPS, "bare-req/s")
		for j, v := range variants {
			rps := load(b, 4, n, post(servers[j].url+"/walker/constant", "{}", ""))
			b.ReportMetric(rps/bareRPS, "const-ratio-"+v.name)
		}
	}
}

const fibApp = `
def fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }
walker :pub fibw { has n: int = 21; can go with Root entry { report fib(self.n); } }
`

// BenchmarkParallelWalkers measures a CPU-bound :pub walker (fib(21)) served
// by one `jac start` process with GOMAXPROCS=1 and by one with GOMAXPROCS=2
// (8 connections, same run). cores-ratio is the figure (≥ 1.7 on two
// free cores, 2 the physical limit): requests' Jac code runs on every core
// through the program's isolates.
func BenchmarkParallelWalkers(b *testing.B) {
	one, _ := benchServe(b, fibApp, "GOMAXPROCS=1")
	two, _ := benchServe(b, fibApp, "GOMAXPROCS=2")
	const n = 600
	load(b, 8, 16, post(one.url+"/walker/fibw", "{}", ""))
	load(b, 8, 16, post(two.url+"/walker/fibw", "{}", ""))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		oneRPS := load(b, 8, n, post(one.url+"/walker/fibw", "{}", ""))
		twoRPS := load(b, 8, n, post(two.url+"/walker/fibw", "{}", ""))
		b.ReportMetric(oneRPS, "gomaxprocs1-req/s")
		b.ReportMetric(twoRPS, "gomaxprocs2-req/s")
		b.ReportMetric(twoRPS/oneRPS, "cores-ratio")
	}
}
