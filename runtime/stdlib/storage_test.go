package stdlib_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/runtime/interp"
)

func runJac(t *testing.T, dir, src string) (string, error) {
	t.Helper()
	path := filepath.Join(dir, "prog.jac")
	os.WriteFile(path, []byte(src), 0o644)
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)
	_, err := interp.Load(th, path)
	th.Out.Flush()
	return out.String(), err
}

// TestStoragePathsConfined: hostile paths are refused with ValueError and nothing
// outside the base directory is read or written.
func TestStoragePathsConfined(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "secret.txt")
	os.WriteFile(outside, []byte("top secret"), 0o600)
	os.MkdirAll(filepath.Join(dir, "base"), 0o755)
	os.Symlink(dir, filepath.Join(dir, "base", "link"))
	os.Symlink(outside, filepath.Join(dir, "base", "file-link"))
	hostile := []string{"../secret.txt", "../../etc/passwd", "a/../../secret.txt", "..", "x/../../..",
		"link/secret.txt", "file-link", "link/../secret.txt", "./../secret.txt", "a/b/../../../secret.txt", "..\\\\secret.txt"}
	var b strings.Builder
	b.WriteString("glob s = store(base_path=\"./base\");\nwith entry {\n")
	for _, p := range hostile {
		b.WriteString("    try { s.download(\"" + p + "\"); print(\"READ " + p + "\"); } except ValueError as e { print(\"refused\"); }\n")
		b.WriteString("    try { s.upload(b\"x\", \"" + p + "\"); print(\"WROTE " + p + "\"); } except ValueError as e { print(\"refused\"); }\n")
	}
	b.WriteString("    s.upload(b\"ok\", \"/abs/inside.txt\");\n    print(s.list_files());\n}\n")
	out, err := runJac(t, dir, b.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "READ") || strings.Contains(out, "WROTE") {
		t.Fatalf("a hostile path got through:\n%s", out)
	}
	if data, _ := os.ReadFile(outside); string(data) != "top secret" {
		t.Fatal("the file outside the base was modified")
	}
	if !strings.Contains(out, "abs/inside.txt") {
		t.Errorf("an absolute path must stay inside the base:\n%s", out)
	}
	if n := strings.Count(out, "refused"); n != 2*len(hostile) {
		t.Errorf("refused %d of %d", n, 2*len(hostile))
	}
}

// TestStorageRoundTrip: upload, download, metadata, list, copy, move, delete.
func TestStorageRoundTrip(t *testing.T) {
	dir := t.TempDir()
	out, err := runJac(t, dir, `
glob s = store(base_path="./files");
with entry {
    s.upload(b"hello", "a/one.txt");
    assert s.download("a/one.txt") == b"hello";
    m = s.get_metadata("a/one.txt");
    assert m["size"] == 5 and m["name"] == "one.txt" and not m["is_dir"];
    s.copy("a/one.txt", "b/two.txt");
    s.move("b/two.txt", "b/three.txt");
    assert s.list_files() == ["a/one.txt", "b/three.txt"];
    assert s.delete("a/one.txt") and not s.exists("a/one.txt");
    print("ok");
}
`)
	if err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("%v\n%s", err, out)
	}
}
