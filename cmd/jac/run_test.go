package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRunExitCodes: `jac run` exits as CPython would.
func TestRunExitCodes(t *testing.T) {
	for _, c := range []struct {
		src  string
		code int
	}{
		{"with entry { print(1); }", 0},
		{"import sys;\nwith entry { sys.exit(3); }", 3},
		{"import sys;\nwith entry { sys.exit(\"bye\"); }", 1},
		{"import sys;\nwith entry { sys.exit(); }", 0},
		{"with entry { exit(4); }", 4},
		{"with entry { x = [1][3]; }", 1},
		{"with entry { raise KeyboardInterrupt(); }", 130},
		{"with entry { pass; }", 1},
		{"obj A { def f(self) -> int { return 1; } }\nwith entry { print(A().f()); }", 1},
	} {
		dir := t.TempDir()
		app := filepath.Join(dir, "app.jac")
		if err := os.WriteFile(app, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		if got := execute([]string{"run", app}); got != c.code {
			t.Errorf("%q: exit %d, want %d", c.src, got, c.code)
		}
	}
}
