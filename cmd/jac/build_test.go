//go:build !slim

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeELF passes jac build's ELF check for arch without being runnable.
func fakeELF(t *testing.T, dir, arch string) string {
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	m := map[string]uint16{"amd64": 62, "arm64": 183}[arch]
	b[18], b[19] = byte(m), byte(m>>8)
	p := filepath.Join(dir, "jac-"+arch)
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBuildCommand(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.jac")
	os.WriteFile(app, []byte("with entry { print(1); }\n"), 0o644)
	rt := []string{"--runtime", "linux/amd64=" + fakeELF(t, dir, "amd64"), "--runtime", "linux/arm64=" + fakeELF(t, dir, "arm64")}
	tarball := filepath.Join(t.TempDir(), "img.tar")
	if code := execute(append([]string{"build", app, "--tarball", tarball, "--json"}, rt...)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if st, err := os.Stat(tarball); err != nil || st.Size() == 0 {
		t.Fatalf("tarball: %v", err)
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"build", filepath.Join(dir, "missing.jac")}, 2},
		{[]string{"build", app, "--platform", "linux/s390x", "--runtime", "linux/s390x=/nonexistent"}, 2},
		{[]string{"build", app, "--registry", "nope", "--push", "--image", "x"}, 2},
	} {
		if code := execute(append(c.args, "--json")); code != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, code, c.code)
		}
	}
}
