package interp_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
	_ "github.com/jacscale/jac/runtime/stdlib"
)

// TestScripts runs every testdata/*.jac program; each checks itself with assert
// and must finish without an uncaught exception. A program whose name starts with
// "fail_" must instead raise, and its first line "# want: Type: message" names the
// exception the traceback must end with.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jac")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata programs: %v", err)
	}
	for _, f := range files {
		f := f
		if strings.Count(filepath.Base(f), ".") > 1 {
			continue // annex files
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".jac"), func(t *testing.T) {
			dir := t.TempDir()
			copyCase(t, f, dir)
			var out bytes.Buffer
			th := interp.NewRunThread(context.Background(), &out)
			_, err := interp.Load(th, filepath.Join(dir, filepath.Base(f)))
			th.Out.Flush()
			src, _ := os.ReadFile(f)
			first, _, _ := strings.Cut(string(src), "\n")
			if strings.HasPrefix(filepath.Base(f), "fail_") {
				want := strings.TrimSpace(strings.TrimPrefix(first, "# want:"))
				if err == nil {
					t.Fatalf("no error; want %q", want)
				}
				if !strings.Contains(err.Error(), want) {
					t.Fatalf("error %q; want %q", err.Error(), want)
				}
				return
			}
			if err != nil {
				if e, ok := err.(*interp.Exception); ok {
					t.Fatalf("%s\noutput:\n%s", e.Traceback(), out.String())
				}
				t.Fatalf("%v\noutput:\n%s", err, out.String())
			}
		})
	}
}

func copyCase(t *testing.T, f, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(strings.TrimSuffix(f, ".jac") + ".*")
	matches = append(matches, f)
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConformance runs the shared conformance corpus with its own checker
// against a fresh build of the jac binary.
func TestConformance(t *testing.T) {
	dir, err := filepath.Abs("../../../shared/conformance")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "check.sh")); err != nil {
		t.Skip("shared/conformance is not beside the repository")
	}
	bin := filepath.Join(t.TempDir(), "jac")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/jac")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command("bash", filepath.Join(dir, "check.sh"), bin, filepath.Join(dir, "run")).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("conformance: %s", lines[len(lines)-1])
	if err != nil {
		t.Fatalf("conformance failures:\n%s", out)
	}
}

// TestImplFolder: impl blocks in an X.impl/ folder beside X.jac are part of X.
func TestImplFolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "app.impl"), 0o755)
	os.WriteFile(filepath.Join(dir, "app.jac"), []byte("obj A { def hi -> str; }\nwith entry { print(A().hi()); }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "app.impl", "a.impl.jac"), []byte("impl A.hi -> str { return \"from folder\"; }\n"), 0o644)
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	if _, err := interp.Load(th, filepath.Join(dir, "app.jac")); err != nil {
		t.Fatal(err)
	}
	th.Out.Flush()
	if out.String() != "from folder\n" {
		t.Fatalf("output %q", out.String())
	}
}
