package objstore_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/jacscale/jac/runtime/interp"
	_ "github.com/jacscale/jac/runtime/objstore/gcsstore"
	_ "github.com/jacscale/jac/runtime/objstore/s3store"
	_ "github.com/jacscale/jac/runtime/stdlib"
)

// TestMain doubles as the fake object servers: the test binary re-runs itself
// with JAC_TEST_FAKE_STORE=s3|gcs, so the servers' memory is not this
// process's (the 100 MB upload measures the client side alone).
func TestMain(m *testing.M) {
	if kind := os.Getenv("JAC_TEST_FAKE_STORE"); kind != "" {
		serveFake(kind)
		return
	}
	os.Exit(m.Run())
}

const bucket = "jac"

func serveFake(kind string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var h http.Handler
	switch kind {
	case "s3":
		backend := s3mem.New()
		backend.CreateBucket(bucket)
		h = gofakes3.New(backend).Server()
	case "gcs":
		addr := ln.Addr().String()
		srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{NoListener: true, Scheme: "http",
			ExternalURL: "http://" + addr, PublicHost: addr, Writer: io.Discard})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		srv.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: bucket})
		h = srv.HTTPHandler()
	}
	fmt.Println(ln.Addr())
	http.Serve(ln, h)
}

// startFake runs the fake server of kind in a child process; it returns its address.
func startFake(t *testing.T, kind string) string {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "JAC_TEST_FAKE_STORE="+kind)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("fake %s server: %v", kind, err)
	}
	return strings.TrimSpace(addr)
}

// backendEnv configures store() for one backend (a fresh prefix per test).
func backendEnv(t *testing.T, kind string) {
	t.Setenv("JAC_STORAGE_TYPE", kind)
	if kind == "local" {
		return
	}
	addr := startFake(t, kind)
	t.Setenv("JAC_STORAGE_BUCKET", bucket)
	t.Setenv("JAC_STORAGE_PREFIX", "app-"+strings.ReplaceAll(t.Name(), "/", "-"))
	switch kind {
	case "s3":
		t.Setenv("JAC_STORAGE_ENDPOINT", "http://"+addr)
		t.Setenv("JAC_STORAGE_REGION", "us-east-1")
		t.Setenv("AWS_ACCESS_KEY_ID", "test")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	case "gcs":
		t.Setenv("JAC_STORAGE_ENDPOINT", "http://"+addr+"/storage/v1/")
	}
}

// runJac runs src in dir and returns what it printed.
func runJac(t *testing.T, dir, src string) string {
	t.Helper()
	path := filepath.Join(dir, "prog.jac")
	os.WriteFile(path, []byte(src), 0o644)
	var out bytes.Buffer
	th := interp.NewRunThread(context.Background(), &out)
	t.Chdir(dir)
	_, err := interp.Load(th, path)
	th.Out.Flush()
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return out.String()
}

// storageScript calls every method of the storage table, the error cases
// included, and prints what a caller can see (not base_path or times).
const storageScript = `
glob s = store(base_path="files");
def show_meta(m: dict) { print(sorted(m.keys()), m["name"], m["path"], m["is_dir"], m["is_file"]); }
with entry {
    print(s.upload(b"hello", "a/one.txt"), s.upload(b"world!", "/a/b/two.txt"));
    print(s.upload(b"x", "c\\three.txt"), s.upload(b"top", "top.txt"));
    print(s.download("a/one.txt"), s.download("/a/b/two.txt"));
    print(s.exists("a/one.txt"), s.exists("a"), s.exists("a/b"), s.exists("nope"), s.exists(""), s.exists("a/on"));
    m = s.get_metadata("a/one.txt");
    show_meta(m);
    print(m["size"], len(m["modified"]) > 0);
    show_meta(s.get_metadata("a/b"));
    print(s.list_files());
    print(s.list_files("a"), s.list_files("a", False), s.list_files("a/one.txt"), s.list_files("a/on"));
    print(s.list_files("nope"), s.list_files("", False), s.list_files(recursive=False));
    print(s.copy("a/one.txt", "d/copy.txt"), s.download("d/copy.txt"));
    print(s.move("d/copy.txt", "d/moved.txt"), s.exists("d/copy.txt"), s.download("d/moved.txt"));
    print(s.move("a/b", "e"), s.list_files());
    s.download("top.txt", "out.bin");
    with open("out.bin", "rb") as f { print(f.read()); }
    try { s.download("nope.txt"); } except Exception as e { print(type(e).__name__, e); }
    try { s.download("a"); } except Exception as e { print(type(e).__name__, e); }
    try { s.get_metadata("nope"); } except Exception as e { print(type(e).__name__, e); }
    try { s.copy("nope", "x"); } except Exception as e { print(type(e).__name__, e); }
    try { s.move("nope", "x"); } except Exception as e { print(type(e).__name__, e); }
    try { s.upload(b"x", "a"); } except Exception as e { print(type(e).__name__, e); }
    for p in ["../x", "a/../../x", "..", "x/../../..", "..\\x", "a\x00b"] {
        try { s.download(p); print("READ", p); } except ValueError as e { print("refused"); }
        try { s.upload(b"x", p); print("WROTE", p); } except ValueError as e { print("refused"); }
        try { s.list_files(p); print("LISTED", p); } except ValueError as e { print("refused"); }
    }
    try { s.delete(""); } except ValueError as e { print(type(e).__name__, e); }
    try { s.delete("/"); } except ValueError as e { print(type(e).__name__, e); }
    print(s.delete("a/one.txt"), s.delete("nope"), s.delete("e"), s.list_files());
    # (not compared: a folder emptied by delete stays on the local disk but
    # not in a bucket, where a folder is the prefix of the keys under it)
    print(s.exists("e"));
}
`

// TestStorageBackends: the storage interface behaves identically on local, S3
// (gofakes3, driven by aws-sdk-go-v2) and GCS (fake-gcs-server, driven by
// cloud.google.com/go/storage).
func TestStorageBackends(t *testing.T) {
	outputs := map[string]string{}
	for _, kind := range []string{"local", "s3", "gcs"} {
		t.Run(kind, func(t *testing.T) {
			backendEnv(t, kind)
			outputs[kind] = runJac(t, t.TempDir(), storageScript)
		})
	}
	local := outputs["local"]
	if strings.Contains(local, "READ") || strings.Contains(local, "WROTE") || strings.Contains(local, "LISTED") {
		t.Fatalf("local let a hostile path through:\n%s", local)
	}
	for _, kind := range []string{"s3", "gcs"} {
		if got := outputs[kind]; got != local {
			t.Errorf("%s differs from local:\n--- local\n%s--- %s\n%s", kind, local, kind, got)
		}
	}
	t.Logf("every backend printed:\n%s", local)
}

// TestStorageLargeUploadBoundedMemory: a 100 MB file uploads to and
// downloads from each backend (local, S3, GCS) from a path and from an open
// file object, while this process's heap stays far below the file's size.
// The figures are the peak of the live heap above its level at the start
// (sampled every 5 ms) and the bytes allocated in all (TotalAlloc) during the
// upload from a path and the download to a path, which cannot miss a buffer
// of the whole file, however short-lived.
func TestStorageLargeUploadBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB through loopback")
	}
	const size = 100 << 20
	for _, kind := range []string{"local", "s3", "gcs"} {
		t.Run(kind, func(t *testing.T) {
			backendEnv(t, kind)
			dir := t.TempDir()
			src := filepath.Join(dir, "big.bin")
			want := writeRandomFile(t, src, size)
			runJac(t, dir, `glob s = store(); with entry { s.exists("warm"); }`) // the client's setup is not the upload's
			peak, allocated := watchHeap(t)
			out := runJac(t, dir, `
glob s = store();
with entry {
    s.upload("big.bin", "big/file.bin");
    print(s.get_metadata("big/file.bin")["size"]);
    s.download("big/file.bin", "back.bin");
}
`)
			heap, total := peak(), allocated()
			if strings.TrimSpace(out) != fmt.Sprint(size) {
				t.Fatalf("stored size: %s", out)
			}
			if got := sha256File(t, filepath.Join(dir, "back.bin")); got != want {
				t.Fatal("the downloaded file differs from the uploaded one")
			}
			t.Logf("%s, from a path: peak heap %.1f MB, %.1f MB allocated in all, for a %d MB upload and download",
				kind, float64(heap)/(1<<20), float64(total)/(1<<20), size>>20)
			if heap > 32<<20 || total > 48<<20 {
				t.Errorf("peak heap %.1f MB, %.1f MB allocated: the upload or download is buffered whole",
					float64(heap)/(1<<20), float64(total)/(1<<20))
			}

			// a file object's read(n) makes a new bytes value per chunk: with
			// the default GOGC the heap may hold as much garbage as live data
			// (the uploaders' part buffers) before a collection; at 10 % the
			// sampled heap is what the upload holds
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			peak, _ = watchHeap(t)
			out = runJac(t, dir, `
glob s = store();
with entry {
    with open("big.bin", "rb") as f { s.upload(f, "big/from-file.bin"); }
    print(s.get_metadata("big/from-file.bin")["size"]);
}
`)
			heap = peak()
			if strings.TrimSpace(out) != fmt.Sprint(size) {
				t.Fatalf("stored size from a file object: %s", out)
			}
			t.Logf("%s, from a file object (read(n) in 1 MB chunks): peak heap %.1f MB", kind, float64(heap)/(1<<20))
			// S3's uploader alone holds up to three 8 MB parts
			if heap > 48<<20 {
				t.Errorf("peak heap %.1f MB uploading from a file object: buffered whole", float64(heap)/(1<<20))
			}
		})
	}
}

func writeRandomFile(t *testing.T, path string, size int64) [32]byte {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = byte(i * 7)
	}
	for n := int64(0); n < size; n += int64(len(block)) {
		block[0], block[1] = byte(n>>20), byte(n>>28) // no two blocks alike
		f.Write(block)
		h.Write(block)
	}
	return [32]byte(h.Sum(nil))
}

func sha256File(t *testing.T, path string) [32]byte {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return [32]byte(h.Sum(nil))
}

// watchHeap samples the live heap until the first returned function is
// called, which returns the peak above the heap at the start; the second
// returns the bytes allocated since the start.
func watchHeap(t *testing.T) (peakAbove func() uint64, allocated func() uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, totalBase := ms.HeapInuse, ms.TotalAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > base && ms.HeapInuse-base > peak.Load() {
					peak.Store(ms.HeapInuse - base)
				}
			}
		}
	}()
	peakAbove = func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
	allocated = func() uint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.TotalAlloc - totalBase
	}
	return peakAbove, allocated
}
