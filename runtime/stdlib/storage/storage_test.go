package storage_test

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
		"link/secret.txt", "file-link", "link/../secret.txt", "./../secret.txt", "a/b/../../../secret.txt", "..\\\\secret.txt", strings.Repeat("deep/", 1000) + "x"}
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
	if _, err := os.Stat(filepath.Join(dir, "base", "deep")); err == nil {
		t.Error("a path too long to create left directories behind")
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

// TestStorageLocalPathsConfined: upload(source=path) and download(path,
// local_path) reach the local filesystem only inside the base, the temp
// directory or [storage] local_paths, never the data directory, with every
// symlink (dangling ones too) resolved first.
func TestStorageLocalPathsConfined(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, ".jac", "data")
	os.MkdirAll(data, 0o700)
	secret := filepath.Join(data, "jwt.secret")
	os.WriteFile(secret, []byte("the-secret"), 0o600)
	os.MkdirAll(filepath.Join(dir, "base"), 0o755)
	os.WriteFile(filepath.Join(dir, "base", "in.txt"), []byte("stored"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "secret-link"))
	os.Symlink(filepath.Join(data, "planted"), filepath.Join(dir, "dangling-link"))
	os.Symlink(data, filepath.Join(dir, "data-dir-link"))
	os.Symlink("/etc", filepath.Join(dir, "etc-link"))
	sources := []string{".jac/data/jwt.secret", secret, "./.jac/data/../data/jwt.secret", "secret-link",
		"data-dir-link/jwt.secret", "/etc/hostname", "etc-link/hostname", "/proc/self/environ", "base/../.jac/data/jwt.secret"}
	targets := []string{".jac/data/planted", "dangling-link", "data-dir-link/planted", "/etc/jac-planted",
		"etc-link/jac-planted", filepath.Join(data, "graph.db")}
	var b strings.Builder
	b.WriteString("glob s = store(base_path=\"./base\");\nwith entry {\n")
	for _, p := range sources {
		b.WriteString("    try { s.upload(" + interp.QuoteStr(p) + ", \"got.txt\"); print(\"READ " + p + "\"); } except PermissionError as e { print(\"refused\"); }\n")
	}
	for _, p := range targets {
		b.WriteString("    try { s.download(\"in.txt\", " + interp.QuoteStr(p) + "); print(\"WROTE " + p + "\"); } except PermissionError as e { print(\"refused\"); }\n")
	}
	b.WriteString("    s.upload(\"base/in.txt\", \"copy.txt\");\n    s.download(\"in.txt\", " + interp.QuoteStr(filepath.Join(dir, "out.txt")) + ");\n    print(s.download(\"copy.txt\"));\n}\n")
	out, err := runJac(t, dir, b.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "READ") || strings.Contains(out, "WROTE") {
		t.Fatalf("a local path got through:\n%s", out)
	}
	if n := strings.Count(out, "refused"); n != len(sources)+len(targets) {
		t.Errorf("refused %d of %d:\n%s", n, len(sources)+len(targets), out)
	}
	if _, err := os.Stat(filepath.Join(data, "planted")); err == nil {
		t.Error("a file was planted in the data directory")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "base", "got.txt")); len(got) > 0 {
		t.Errorf("the secret was copied into the store: %q", got)
	}
	if !strings.Contains(out, "b'stored'") {
		t.Errorf("paths inside the base and the temp directory must work:\n%s", out)
	}
}

// TestStorageLocalPathsListed: a directory listed in [storage] local_paths
// may be read and written through local paths; its neighbours may not.
func TestStorageLocalPathsListed(t *testing.T) {
	dir, err := os.MkdirTemp("/var/tmp", "storage-listed") // outside the OS temp directory
	if err != nil {
		t.Skip(err)
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "jac.toml"), []byte("[storage]\nbase_path = \"./base\"\nlocal_paths = [\"import\"]\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "import"), 0o755)
	os.WriteFile(filepath.Join(dir, "import", "a.txt"), []byte("listed"), 0o644)
	os.WriteFile(filepath.Join(dir, "other.txt"), []byte("not listed"), 0o644)
	out, err := runJac(t, dir, `
glob s = store();
with entry {
    s.upload("import/a.txt", "a.txt");
    s.download("a.txt", "import/b.txt");
    print(s.download("a.txt"));
    try { s.upload("other.txt", "o.txt"); print("READ other"); } except PermissionError as e { print("refused"); }
    try { s.download("a.txt", "out.txt"); print("WROTE out"); } except PermissionError as e { print("refused"); }
}
`)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "b'listed'") || strings.Count(out, "refused") != 2 {
		t.Errorf("listed directory usable, others refused:\n%s", out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "import", "b.txt")); string(got) != "listed" {
		t.Errorf("download into the listed directory: %q", got)
	}
}
