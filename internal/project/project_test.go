package project

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindTOML(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	os.MkdirAll(deep, 0o755)
	if got := FindTOML(deep); got != "" && filepath.Dir(got) == root {
		t.Fatalf("found %q before one exists", got)
	}
	want := filepath.Join(root, "a", "jac.toml")
	os.WriteFile(want, []byte("[project]\n"), 0o644)
	if got := FindTOML(deep); got != want {
		t.Fatalf("FindTOML = %q, want %q", got, want)
	}
}
