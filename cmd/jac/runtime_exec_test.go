//go:build !slim

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jacscale/jac/cmd/jac/internal/runtimeexec"
	"github.com/jacscale/jac/internal/loopback"
)

// TestStartExecsRuntime: the full CLI hands `jac start` and `jac run` to the
// runtime binary unpacked for it, which serves the app and runs the program; with
// JAC_NO_RUNTIME_EXEC=1 it does both itself.
func TestStartExecsRuntime(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	bins := t.TempDir()
	full, slim := filepath.Join(bins, "jac"), filepath.Join(bins, "jac-slim")
	for _, b := range [][]string{{"-o", full}, {"-tags", "slim", "-o", slim}} {
		if out, err := exec.Command(gobin, append(append([]string{"build"}, b...), ".")...).CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	path, err := runtimeexec.PathFor(full)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(slim)
	if err := runtimeexec.Unpack(path, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "app.jac"), []byte("walker :pub hi { can go with Root entry { report 1; } }\n"), 0o644)
	// Where each command must end up: the unpacked runtime, or with
	// JAC_NO_RUNTIME_EXEC=1 the CLI itself.
	cases := []struct {
		env  string
		want string
	}{{"", path}, {"JAC_NO_RUNTIME_EXEC=1", full}}
	for _, c := range cases {
		port := loopback.FreePort(t)
		cmd := exec.Command(full, "start", "app.jac", "--host", "127.0.0.1", "--port", fmt.Sprint(port))
		cmd.Env = append(os.Environ(), "JWT_SECRET=t", c.env)
		exe, served := exeOnceReady(t, cmd, app, func() bool {
			r, err := http.Post(fmt.Sprintf("http://127.0.0.1:%d/walker/hi", port), "application/json", strings.NewReader("{}"))
			if err != nil {
				return false
			}
			r.Body.Close()
			return r.StatusCode == 200
		})
		if !served {
			t.Fatalf("%s: the app was not served", c.env)
		}
		if exe != c.want {
			t.Errorf("%s: served by %s, want %s", c.env, exe, c.want)
		}
	}
	os.WriteFile(filepath.Join(app, "prog.jac"), []byte("import time;\nwith entry { with open('ready', 'w') as f { f.write('ready'); } time.sleep(30); }\n"), 0o644)
	for _, c := range cases {
		cmd := exec.Command(full, "run", "prog.jac")
		cmd.Env = append(os.Environ(), c.env)
		ready := filepath.Join(app, "ready")
		os.Remove(ready)
		exe, ran := exeOnceReady(t, cmd, app, func() bool { _, err := os.Stat(ready); return err == nil })
		if !ran {
			t.Fatalf("%s: the program did not run", c.env)
		}
		if exe != c.want {
			t.Errorf("%s: run by %s, want %s", c.env, exe, c.want)
		}
	}
}

// exeOnceReady starts cmd in dir, waits until ready holds, and returns the
// executable the process runs then (after any exec) and whether it got ready;
// the process is killed.
func exeOnceReady(t *testing.T, cmd *exec.Cmd, dir string, ready func() bool) (exe string, ok bool) {
	t.Helper()
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ok = loopback.Poll(ready)
	exe, _ = os.Readlink(fmt.Sprintf("/proc/%d/exe", cmd.Process.Pid))
	cmd.Process.Kill()
	cmd.Wait()
	return exe, ok
}
