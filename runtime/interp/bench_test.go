package interp_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

func runFile(b *testing.B, path string) {
	th := interp.NewRunThread(context.Background(), io.Discard)
	if _, err := interp.Load(th, path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCPU runs testdata/bench/cpu.jac in-process (no process start-up).
func BenchmarkCPU(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runFile(b, "testdata/bench/cpu.jac")
	}
}

// BenchmarkCPUvsCPython times whole processes: `jac run cpu.jac` against
// `python3 cpu.py` (the same program), and reports the speed-up.
func BenchmarkCPUvsCPython(b *testing.B) {
	py, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("python3 not installed")
	}
	bin := filepath.Join(b.TempDir(), "jac")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/jac").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	timeIt := func(name string, args ...string) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 5; i++ {
			start := time.Now()
			cmd := exec.Command(name, args...)
			cmd.Dir = b.TempDir()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", name, err, out)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	jacFile, _ := filepath.Abs("testdata/bench/cpu.jac")
	pyFile, _ := filepath.Abs("testdata/bench/cpu.py")
	b.ResetTimer()
	var jt, pt time.Duration
	for i := 0; i < b.N; i++ {
		jt = timeIt(bin, "run", jacFile)
		pt = timeIt(py, pyFile)
	}
	b.ReportMetric(float64(jt.Microseconds())/1000, "jac-ms")
	b.ReportMetric(float64(pt.Microseconds())/1000, "cpython-ms")
	b.ReportMetric(float64(pt)/float64(jt), "speedup")
}

// BenchmarkStartup measures load-to-first-statement of a 500-line program.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		sb.WriteString("obj O" + itoa(i) + " {\n    has a: int = 0, b: str = \"x\";\n    def m(x: int) -> int { return self.a + x; }\n}\n")
	}
	sb.WriteString("with entry { print(1); }\n")
	path := filepath.Join(dir, "big.jac")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	for i := 0; i < b.N; i++ {
		runFile(b, path)
	}
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/100)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)))
}
