package server_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const blobApp = `
node Blob { has k: int; has data: str; }
walker :pub add_blob { has k: int; has data: str; can go with Root entry { here ++> Blob(k=self.k, data=self.data); report self.k; } }
walker :pub blobs { can go with Root entry { report [b.k for b in [-->](?:Blob)]; } }
`

// mountTmpfs mounts a tmpfs of size bytes on a new directory (root only).
func mountTmpfs(t *testing.T, size string) string {
	dir := filepath.Join(t.TempDir(), "disk")
	os.MkdirAll(dir, 0o755)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("a small disk needs a tmpfs mount (root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fill writes a file until the disk is full.
func fill(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			return
		}
	}
}

// TestDiskFullRecovery: with the data directory on a full disk, commits fail
// with 503 and /healthz/ready says not-ready; once space is back, writes
// resume by themselves and the server is ready again. Every acknowledged
// write is there (also after a restart), and no refused one is.
func TestDiskFullRecovery(t *testing.T) {
	disk := mountTmpfs(t, "4m")
	s := startApp(t, blobApp, "JAC_DATA_DIR="+disk)
	data := strings.Repeat("d", 20<<10)
	acked, refused := map[int]bool{}, map[int]bool{}
	write := func(k int) int {
		r := s.do("POST", "/walker/add_blob", "", map[string]any{"k": k, "data": data})
		switch r.status {
		case 200:
			acked[k] = true
		case 503:
			refused[k] = true
		default:
			t.Fatalf("write %d: %d %s", k, r.status, r.raw)
		}
		return r.status
	}
	ready := func() int { return s.do("GET", "/healthz/ready", "", nil).status }
	k := 0
	for ; k < 5; k++ {
		write(k)
	}
	filler := filepath.Join(disk, "filler")
	fill(t, filler)
	deadline := time.Now().Add(2 * time.Minute)
	for write(k) != 503 || ready() != 503 {
		if k++; time.Now().After(deadline) {
			t.Fatalf("no commit failed on a full disk after %d writes (ready %d)", k, ready())
		}
	}
	t.Logf("full disk: write %d refused after %d acknowledged; ready %d", k, len(acked), ready())
	for i := 0; i < 5; i++ { // refused while the disk stays full
		k++
		if code := write(k); code != 503 {
			t.Logf("write %d on the full disk: %d", k, code)
		}
	}
	os.Remove(filler)
	deadline = time.Now().Add(time.Minute)
	for {
		k++
		if write(k) == 200 && ready() == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes did not resume after space came back (ready %d)\n%s", ready(), s.log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i := 0; i < 5; i++ {
		k++
		if code := write(k); code != 200 {
			t.Fatalf("write %d after recovery: %d", k, code)
		}
	}
	check := func(when string) {
		r := s.do("POST", "/walker/blobs", "", map[string]any{})
		have := map[int]bool{}
		for _, v := range r.body["data"].(map[string]any)["reports"].([]any)[0].([]any) {
			have[int(v.(float64))] = true
		}
		for k := range acked {
			if !have[k] {
				t.Errorf("%s: acknowledged write %d lost", when, k)
			}
		}
		for k := range refused {
			if have[k] {
				t.Errorf("%s: refused write %d is there", when, k)
			}
		}
	}
	check("after recovery")
	s.stop()
	s.start()
	check("after a restart")
	t.Logf("%d acknowledged, %d refused on the full disk; all acknowledged present, no refused one", len(acked), len(refused))
}
