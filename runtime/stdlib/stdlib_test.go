package stdlib_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
	_ "github.com/jacscale/jac/runtime/stdlib"
)

// TestPrograms runs every testdata/NAME.jac and compares its output with
// testdata/NAME.expected (produced by CPython running the equivalent program).
func TestPrograms(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jac")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata programs: %v", err)
	}
	for _, f := range files {
		f := f
		name := strings.TrimSuffix(filepath.Base(f), ".jac")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".jac") + ".expected")
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(f)
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
		})
	}
}
