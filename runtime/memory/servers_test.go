package memory

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/jacscale/jac/internal/loopback"
)

// Real servers for the tier tests: redis-server and FerretDB (MongoDB wire
// protocol on SQLite), each on a free loopback port in a temp dir. make test
// installs them (hack/testenv.sh); a plain `go test` without them skips.

type proc struct {
	cmd  *exec.Cmd
	port int
	args []string
	bin  string
}

func (p *proc) start(t testing.TB) {
	p.cmd = exec.Command(p.bin, p.args...)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	loopback.WaitTCP(t, p.port)
}

func (p *proc) stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		p.cmd = nil
	}
}

func startRedis(t testing.TB) *proc {
	bin := os.Getenv("JAC_TEST_REDIS_SERVER")
	if bin == "" {
		bin, _ = exec.LookPath("redis-server")
	}
	if bin == "" {
		t.Skip("redis-server not installed (make test installs it)")
	}
	port := loopback.FreePort(t)
	p := &proc{bin: bin, port: port, args: []string{"--bind", "127.0.0.1", "--port", fmt.Sprint(port), "--save", "", "--appendonly", "no"}}
	p.start(t)
	t.Cleanup(p.stop)
	return p
}

func startFerret(t testing.TB) *proc {
	bin := os.Getenv("JAC_TEST_FERRETDB")
	if bin == "" {
		if home, err := os.UserHomeDir(); err == nil {
			if c := filepath.Join(home, ".cache/jac-testenv/ferretdb-v1.24.0/ferretdb"); fileExists(c) {
				bin = c
			}
		}
	}
	if bin == "" {
		t.Skip("FerretDB not built (make test builds it: hack/ferretdb.sh)")
	}
	dir := t.TempDir()
	port, dbg := loopback.FreePort(t), loopback.FreePort(t)
	p := &proc{bin: bin, port: port, args: []string{"--handler=sqlite", "--sqlite-url=file:" + dir + "/", "--state-dir=" + dir,
		fmt.Sprintf("--listen-addr=127.0.0.1:%d", port), "--telemetry=disable", fmt.Sprintf("--debug-addr=127.0.0.1:%d", dbg),
		"--log-level=error"}}
	p.start(t)
	t.Cleanup(p.stop)
	return p
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func mongoURI(p *proc) string { return fmt.Sprintf("mongodb://127.0.0.1:%d/", p.port) }
func redisURL(p *proc) string { return fmt.Sprintf("redis://127.0.0.1:%d/0", p.port) }
