package interp_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// The differential corpus: testdata/corpus/NAME.jac with the stdout
// (NAME.expected) and, when not 0, the exit status (NAME.code) that the reference
// runtime (jaclang 0.11.0 at 6b92fb71c9 on CPython 3.12) gave for it. The
// programs were written for this repository; only their outputs come from the
// reference. docs/language.md says how to record a new case.

// knownDifferences lists the corpus cases where we still differ from the
// reference, each with the reason. They are skipped (one of them stops the
// whole test binary); `go test -run DifferentialCorpus -corpus.known` runs
// them and reports the ones that now match, to be taken off the list.
var knownDifferences = map[string]string{
	// The reference rejects or breaks these; we keep Python's behaviour (docs/language.md).
	"enum_methods_match":        "0.11.0's grammar rejects a def inside an enum body (syntax error); we accept it as Python does",
	"err_msg_custom_exceptions": "in 0.11.0 `super` is already bound, so `super().__init__` raises \"'super' object is not callable\"; we accept super() as Python does",
	"expr_lambda_forms":         "0.11.0 does not make *a of an untyped lambda a varargs parameter (the call fails); we do what Python does",
}

var runKnown = flag.Bool("corpus.known", false, "also run the corpus cases listed in knownDifferences")

// corpusResult is one program's run: its stdout and its exit status as `jac
// run` would give it (1 when loading or running raised).
type corpusResult struct {
	out  string
	code int
	err  error
}

// runProgram runs file in-process, as `jac run` does, for at most limit.
func runProgram(t *testing.T, file string, limit time.Duration) corpusResult {
	t.Helper()
	done := make(chan corpusResult, 1)
	go func() {
		var out bytes.Buffer
		th := interp.NewRunThread(context.Background(), &out)
		_, err := interp.Load(th, file)
		th.Out.Flush()
		r := corpusResult{out: out.String(), err: err}
		if err != nil {
			r.code = 1
		}
		done <- r
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		t.Fatalf("%s: still running after %v", file, limit)
		return corpusResult{}
	}
}

// internalError reports whether err is the SystemError the interpreter turns
// its own bugs into (a Go panic caught at the top).
func internalError(r corpusResult) bool {
	var exc *interp.Exception
	if errors.As(r.err, &exc) && exc.Value.Class() == interp.SystemErrorClass {
		return true
	}
	return strings.Contains(r.out, "SystemError: internal error")
}

func TestDifferentialCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/corpus/*.jac")
	if err != nil || len(files) < 200 {
		t.Fatalf("the corpus has %d programs; want at least 200", len(files))
	}
	for name := range knownDifferences {
		if _, err := os.Stat(filepath.Join("testdata", "corpus", name+".jac")); err != nil {
			t.Errorf("knownDifferences names %q, which is not a corpus case", name)
		}
	}
	passed := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jac")
		t.Run(name, func(t *testing.T) {
			reason, known := knownDifferences[name]
			if known && !*runKnown {
				t.Skipf("known difference: %s", reason)
			}
			dir := t.TempDir()
			copyCase(t, f, dir)
			r := runProgram(t, filepath.Join(dir, name+".jac"), 20*time.Second)
			if internalError(r) {
				t.Fatalf("internal error reached the user: %v", r.err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".jac") + ".expected")
			if err != nil {
				t.Fatal(err)
			}
			wantCode := 0
			if c, err := os.ReadFile(strings.TrimSuffix(f, ".jac") + ".code"); err == nil {
				wantCode = atoi(strings.TrimSpace(string(c)))
			}
			same := r.out == string(want) && r.code == wantCode
			switch {
			case same && known:
				t.Logf("now matches the reference; remove it from knownDifferences (%s)", reason)
			case same:
				passed++
			case known:
				t.Skipf("known difference: %s", reason)
			default:
				t.Errorf("differs from the reference\n--- want (exit %d)\n%s--- got (exit %d, %v)\n%s", wantCode, want, r.code, r.err, r.out)
			}
		})
	}
	t.Logf("corpus: %d programs, %d match the reference, %d known differences", len(files), passed, len(knownDifferences))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestNoInternalErrorOnFuzzSeeds runs every seed input of the syntax fuzzers
// (FuzzScan, FuzzParse: the shared conformance programs, this package's test
// programs, their inline seeds and the saved fuzz inputs) and checks that none
// of them makes the interpreter report an internal error.
func TestNoInternalErrorOnFuzzSeeds(t *testing.T) {
	var seeds []string
	for _, pattern := range []string{"../../../shared/conformance/*/*.jac", "testdata/*.jac"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if src, err := os.ReadFile(f); err == nil {
				seeds = append(seeds, string(src))
			}
		}
	}
	seeds = append(seeds, "", "with entry { x = [a -->](?:T, b > 1); }", "f\"{x!r:>{w}}\"", "obj A { has x: int = 1; }",
		"walker W { can f with `root entry { visit :0: [-->] else { disengage; } } }", "#* unterminated", "'\\N{BULLET}'")
	saved, _ := filepath.Glob("../syntax/testdata/fuzz/*/*")
	for _, f := range saved {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := fuzzString(string(data)); ok {
			seeds = append(seeds, s)
		}
	}
	for i, src := range seeds {
		dir := t.TempDir()
		file := filepath.Join(dir, "seed.jac")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := runProgram(t, file, 20*time.Second); internalError(r) {
			t.Errorf("seed %d: internal error: %v\n%s", i, r.err, src)
		}
	}
	t.Logf("%d fuzz seeds run", len(seeds))
}

// fuzzString decodes a saved `go test fuzz v1` input holding one string.
func fuzzString(data string) (string, bool) {
	_, rest, ok := strings.Cut(data, "\n")
	rest = strings.TrimSpace(rest)
	if !ok || !strings.HasPrefix(rest, "string(") || !strings.HasSuffix(rest, ")") {
		return "", false
	}
	s, err := strconv.Unquote(rest[len("string(") : len(rest)-1])
	return s, err == nil
}
