// Package programtest runs a module package's Jac test programs: every
// testdata/NAME.jac must print testdata/NAME.expected, which CPython printed
// for the equivalent Python program. The test that calls Run imports
// runtime/stdlib so that a program can use any module.
package programtest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

// Run runs every testdata/*.jac of the current directory as a subtest.
func Run(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jac")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata programs: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".jac")
		t.Run(name, func(t *testing.T) { runProgram(t, f) })
	}
}

// runProgram runs the program file in a temporary working directory and
// compares its output with the .expected file beside it.
func runProgram(t *testing.T, file string) {
	want, err := os.ReadFile(strings.TrimSuffix(file, ".jac") + ".expected")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	path := filepath.Join(dir, "prog.jac")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	_, err = interp.Load(th, path)
	th.Out.Flush()
	if err != nil {
		if e, ok := err.(*interp.Exception); ok {
			t.Fatalf("%s\noutput:\n%s", e.Traceback(), out.String())
		}
		t.Fatalf("%v\noutput:\n%s", err, out.String())
	}
	if got := out.String(); got != string(want) {
		t.Errorf("output mismatch\n--- got ---\n%s\n--- want ---\n%s", got, want)
	}
}
