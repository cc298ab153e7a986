package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

func addCorpus(f *testing.F) {
	files, _ := filepath.Glob("../../../shared/conformance/*/*.jac")
	more, _ := filepath.Glob("../interp/testdata/*.jac")
	for _, p := range append(files, more...) {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue
		}
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	for _, s := range []string{"", "with entry { x = [a -->](?:T, b > 1); }", "f\"{x!r:>{w}}\"", "obj A { has x: int = 1; }",
		"walker W { can f with `root entry { visit :0: [-->] else { disengage; } } }", "#* unterminated", "'\\N{BULLET}'"} {
		f.Add(s)
	}
}

// FuzzScan checks the scanner never panics and reports errors with positions.
func FuzzScan(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, src string) {
		_, err := Scan("fuzz.jac", src)
		if e, ok := err.(*Error); err != nil && (!ok || !e.Pos.IsValid()) {
			t.Fatalf("error without a position: %v", err)
		}
	})
}

// FuzzParse checks the parser never panics on any input.
func FuzzParse(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, src string) {
		_, err := Parse("fuzz.jac", src)
		if e, ok := err.(*Error); err != nil && (!ok || !e.Pos.IsValid()) {
			t.Fatalf("error without a position: %v", err)
		}
	})
}
