package interp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
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

// BenchmarkProgram runs the program named by $JAC_BENCH_PROGRAM in-process (skipped
// when it is unset): profile a program of your own the way Suite profiles the suite.
func BenchmarkProgram(b *testing.B) {
	path := os.Getenv("JAC_BENCH_PROGRAM")
	if path == "" {
		b.Skip("JAC_BENCH_PROGRAM is not set")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Chdir(b.TempDir())
	for i := 0; i < b.N; i++ {
		runFile(b, abs)
	}
}

// BenchmarkSuite runs each testdata/bench program in-process, one sub-benchmark per
// program: the loop to profile (-cpuprofile) without process start-up.
func BenchmarkSuite(b *testing.B) { benchInProcess(b, "testdata/bench") }

// BenchmarkExtraInProcess is BenchmarkSuite over testdata/bench-extra (named so
// that -bench Suite does not select it).
func BenchmarkExtraInProcess(b *testing.B) { benchInProcess(b, "testdata/bench-extra") }

// benchInProcess runs each dir/*.jac in-process, one sub-benchmark per program.
func benchInProcess(b *testing.B, dir string) {
	programs, _ := filepath.Glob(filepath.Join(dir, "*.jac"))
	for _, path := range programs {
		abs, _ := filepath.Abs(path)
		b.Run(strings.TrimSuffix(filepath.Base(path), ".jac"), func(b *testing.B) {
			b.Chdir(b.TempDir())
			for i := 0; i < b.N; i++ {
				runFile(b, abs)
			}
		})
	}
}

// processCost is what one finished process used, from its rusage.
type processCost struct {
	cpu    time.Duration // user + sys
	maxRSS int64         // peak resident set, KB
	stdout []byte
}

// runMeasured runs a command in dir to completion and returns its CPU time, peak RSS
// and stdout.
//
// The peak RSS is read through GNU time when it is installed. A child that this
// process starts directly reports at least this process's own peak: os/exec's
// child shares our address space until it execs, and Linux keeps the old address
// space's high-water mark in the new program's maxrss (a program started by a
// 100 MB Go process reports >= 100 MB). The benchmark process peaks at ~17 MB, so
// every small program, CPython's print(1) (13 MB) included, read ~17 MB. GNU time
// is small and forks the program itself, so its %M is the program's own peak.
func runMeasured(dir, name string, args ...string) (processCost, error) {
	peakFile := filepath.Join(dir, ".peak-rss")
	if _, err := os.Stat(gnuTime); err == nil {
		args = append([]string{"-f", "%M", "-o", peakFile, name}, args...)
		name = gnuTime
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return processCost{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errOut.Bytes())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()) // the program's and time's (~0.3 ms)
	maxRSS := ru.Maxrss
	if name == gnuTime {
		peak, err := os.ReadFile(peakFile)
		if err != nil {
			return processCost{}, fmt.Errorf("%s: peak RSS: %v", gnuTime, err)
		}
		if maxRSS, err = strconv.ParseInt(strings.TrimSpace(string(peak)), 10, 64); err != nil {
			return processCost{}, fmt.Errorf("%s: peak RSS %q: %v", gnuTime, peak, err)
		}
		os.Remove(peakFile)
	}
	return processCost{cpu: cpu, maxRSS: maxRSS, stdout: out.Bytes()}, nil
}

// gnuTime is where runMeasured looks for GNU time.
const gnuTime = "/usr/bin/time"

// realPython returns the CPython binary itself. The first python3 on PATH may be a
// shim (pyenv's is a bash script costing ~0.5 s per start), so ask the interpreter.
func realPython() (string, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", err
	}
	out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// buildJac builds the jac command (the slim runtime build: the same interpreter as
// every other build, without the deploy SDKs) into dir.
func buildJac(b *testing.B, dir string) string {
	bin := filepath.Join(dir, "jac")
	cmd := exec.Command("go", "build", "-tags", "slim", "-o", bin, "../../cmd/jac")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// suiteRow is one program's best CPU time and largest peak RSS for both sides.
type suiteRow struct {
	name          string
	jacCPU, pyCPU time.Duration
	jacRSS, pyRSS int64 // KB
	speedup, rssX float64
}

// benchRuns is how many times each process runs (best CPU time counts); JAC_BENCH_RUNS overrides.
func benchRuns() int {
	if n, err := strconv.Atoi(os.Getenv("JAC_BENCH_RUNS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// measurePair runs jac and CPython on one program, alternating, and keeps each side's
// best CPU time and largest peak RSS.
func measurePair(b *testing.B, jacBin, py, jacFile, pyFile string) suiteRow {
	row := suiteRow{name: strings.TrimSuffix(filepath.Base(jacFile), ".jac")}
	row.jacCPU, row.pyCPU = time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for i := 0; i < benchRuns(); i++ {
		// A fresh directory per run: `jac run` keeps its graph under ./.jac.
		j, err := runMeasured(b.TempDir(), jacBin, "run", jacFile)
		if err != nil {
			b.Fatal(err)
		}
		p, err := runMeasured(b.TempDir(), py, pyFile)
		if err != nil {
			b.Fatal(err)
		}
		if !bytes.Equal(j.stdout, p.stdout) {
			b.Errorf("%s: output differs\njac:\n%s\ncpython:\n%s", row.name, j.stdout, p.stdout)
		}
		row.jacCPU, row.pyCPU = min(row.jacCPU, j.cpu), min(row.pyCPU, p.cpu)
		row.jacRSS, row.pyRSS = max(row.jacRSS, j.maxRSS), max(row.pyRSS, p.maxRSS)
	}
	row.speedup = float64(row.pyCPU) / float64(row.jacCPU)
	row.rssX = float64(row.jacRSS) / float64(row.pyRSS)
	return row
}

// BenchmarkCPUvsCPython runs every testdata/bench/NAME.jac as a whole `jac run`
// process against NAME.py under the real CPython binary, checks that both print the
// same, and reports per program the speed-up (CPython CPU time / jac CPU time, user
// + sys of the child) and the peak-RSS ratio (jac / CPython), then the geometric
// mean of the speed-ups, the slowest program's speed-up and the largest RSS ratio.
func BenchmarkCPUvsCPython(b *testing.B) { benchVsCPython(b, "testdata/bench") }

// BenchmarkExtraVsCPython is BenchmarkCPUvsCPython over testdata/bench-extra:
// programs of other shapes (n-body, Dijkstra, a parser, a class hierarchy with
// dunders, generator pipelines, ...) written to check the engine on code the main
// suite was not tuned on. Its name does not contain "CPUvsCPython", so `make
// bench-cpu` (-bench CPUvsCPython) still runs the main suite alone.
func BenchmarkExtraVsCPython(b *testing.B) { benchVsCPython(b, "testdata/bench-extra") }

// benchVsCPython measures every dir/NAME.jac against dir/NAME.py.
func benchVsCPython(b *testing.B, dir string) {
	py, err := realPython()
	if err != nil {
		b.Skip("python3 not installed")
	}
	jacBin := buildJac(b, b.TempDir())
	programs, _ := filepath.Glob(filepath.Join(dir, "*.jac"))
	sort.Strings(programs)
	b.ResetTimer()
	var rows []suiteRow
	for i := 0; i < b.N; i++ {
		rows = rows[:0]
		for _, jacFile := range programs {
			jacFile, _ = filepath.Abs(jacFile)
			pyFile := strings.TrimSuffix(jacFile, ".jac") + ".py"
			rows = append(rows, measurePair(b, jacBin, py, jacFile, pyFile))
		}
	}
	b.StopTimer()
	reportSuite(b, py, rows)
}

// reportSuite prints the table and reports the metrics of one suite run.
func reportSuite(b *testing.B, py string, rows []suiteRow) {
	fmt.Printf("\njac run vs %s: CPU time (user+sys, best of %d) and peak RSS\n", py, benchRuns())
	fmt.Printf("%-12s %9s %9s %8s %8s %8s %7s\n", "program", "jac ms", "py ms", "speedup", "jac MB", "py MB", "rss x")
	logSum, worst, worstRSS := 0.0, math.Inf(1), 0.0
	for _, r := range rows {
		fmt.Printf("%-12s %9.0f %9.0f %7.2fx %8.1f %8.1f %6.2fx\n", r.name,
			float64(r.jacCPU.Microseconds())/1000, float64(r.pyCPU.Microseconds())/1000, r.speedup,
			float64(r.jacRSS)/1024, float64(r.pyRSS)/1024, r.rssX)
		b.ReportMetric(r.speedup, r.name+"-speedup")
		logSum += math.Log(r.speedup)
		worst = min(worst, r.speedup)
		worstRSS = max(worstRSS, r.rssX)
	}
	geo := math.Exp(logSum / float64(len(rows)))
	fmt.Printf("geometric mean speedup %.2fx, slowest %.2fx, largest RSS ratio %.2fx\n", geo, worst, worstRSS)
	b.ReportMetric(geo, "geomean-speedup")
	b.ReportMetric(worst, "min-speedup")
	b.ReportMetric(worstRSS, "max-rss-ratio")
}

// BenchmarkStartup measures load-to-first-statement of a 500-line program.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		sb.WriteString(fmt.Sprintf("obj O%03d", i) + " {\n    has a: int = 0, b: str = \"x\";\n    def m(x: int) -> int { return self.a + x; }\n}\n")
	}
	sb.WriteString("with entry { print(1); }\n")
	path := filepath.Join(dir, "big.jac")
	os.WriteFile(path, []byte(sb.String()), 0o644)
	before := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runFile(b, path)
	}
	b.StopTimer()
	// CPU time per load as well: on a shared machine wall time includes waiting.
	b.ReportMetric(float64((processCPU()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// processCPU is the CPU time (user + sys) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
