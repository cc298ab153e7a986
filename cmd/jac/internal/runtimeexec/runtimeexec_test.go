package runtimeexec

import (
	"bytes"
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWanted(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"start", "app.jac"}, true},
		{[]string{"start", "app.jac", "--port", "9000", "--reload"}, true},
		{[]string{"start", "app.jac", "--scale"}, false},
		{[]string{"start", "app.jac", "--scale=true"}, false},
		{[]string{"start", "--help"}, false},
		{[]string{"start"}, false},
		{[]string{"run", "prog.jac"}, true},
		{[]string{"run", "prog.jac", "--scale"}, true}, // a program's own argument
		{[]string{"run", "--help"}, false},
		{[]string{"run"}, false},
		{[]string{"build", "app.jac"}, false},
		{[]string{"destroy", "app.jac"}, false},
	} {
		if got := Wanted(c.args); got != c.want {
			t.Errorf("Wanted(%q) = %v", c.args, got)
		}
	}
	t.Setenv("JAC_NO_RUNTIME_EXEC", "1")
	if Wanted([]string{"start", "app.jac"}) || Wanted([]string{"run", "prog.jac"}) {
		t.Error("JAC_NO_RUNTIME_EXEC=1 is not honoured")
	}
}

// TestRuntimeexecImportsLittle: the package's init execs the runtime before the
// full binary's heavy packages are initialised only while it imports nothing that
// the Go linker initialises late (the package doc has the figures).
func TestRuntimeexecImportsLittle(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"io", "os", "runtime", "strconv", "syscall"} // os imports io itself
	for _, imp := range pkg.Imports {
		if !slices.Contains(allowed, imp) {
			t.Errorf("runtimeexec imports %s; only %v keep its init ahead of the SDKs'", imp, allowed)
		}
	}
}

// TestUnpack: the runtime lands whole and executable under a path that follows
// the executable it belongs to, and replaces the runtimes of other executables.
func TestUnpack(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	exe := filepath.Join(t.TempDir(), "jac")
	os.WriteFile(exe, []byte("one"), 0o755)
	first, err := PathFor(exe)
	if err != nil {
		t.Fatal(err)
	}
	bin := bytes.Repeat([]byte("runtime"), 50000)
	if err := Unpack(first, bytes.NewReader(bin)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(first); !bytes.Equal(got, bin) {
		t.Fatal("unpacked runtime differs")
	}
	if st, _ := os.Stat(first); st.Mode().Perm()&0o100 == 0 {
		t.Fatalf("mode %v", st.Mode())
	}
	os.WriteFile(exe, []byte("a new build"), 0o755)
	second, _ := PathFor(exe)
	if second == first {
		t.Fatal("a rebuilt jac maps to the old runtime")
	}
	if err := Unpack(second, bytes.NewReader(bin)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Fatalf("the old runtime is still there (%v)", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(filepath.Dir(second)))
	if len(entries) != 1 {
		t.Fatalf("%d entries in the runtime cache", len(entries))
	}
}
