package testutil

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Unpack writes img's flattened filesystem into dir (regular files, directories and
// symlinks with their modes; owners too when running as root).
func Unpack(img v1.Image, dir string) error {
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	root := os.Geteuid() == 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean("/" + h.Name)
		p := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			f.Close()
			if err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(h.Linkname, p); err != nil {
				return err
			}
			continue
		default:
			continue
		}
		if root {
			if err := os.Lchown(p, h.Uid, h.Gid); err != nil {
				return err
			}
		}
		if err := os.Chmod(p, os.FileMode(h.Mode).Perm()|modeBits(h.Mode)); err != nil {
			return err
		}
	}
}

func modeBits(m int64) os.FileMode {
	var out os.FileMode
	if m&0o1000 != 0 {
		out |= os.ModeSticky
	}
	return out
}

// Command returns a command that runs args (an image's entrypoint) inside rootfs
// as the image runs it: chrooted into rootfs as the config's user when the test
// runs as root, else by path with absolute arguments rewritten into rootfs.
func Command(t testing.TB, rootfs string, cfg v1.Config, args ...string) *exec.Cmd {
	t.Helper()
	env := append([]string(nil), cfg.Env...)
	if os.Geteuid() == 0 {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = env
		cmd.Dir = cfg.WorkingDir
		if cmd.Dir == "" {
			cmd.Dir = "/"
		}
		attr := &syscall.SysProcAttr{Chroot: rootfs}
		if u, g, ok := strings.Cut(cfg.User, ":"); ok {
			uid, err1 := strconv.Atoi(u)
			gid, err2 := strconv.Atoi(g)
			if err1 == nil && err2 == nil {
				attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
			}
		}
		cmd.SysProcAttr = attr
		// exec.Command resolved args[0] on the host; inside the chroot it is a path.
		cmd.Path = args[0]
		return cmd
	}
	var rewritten []string
	for _, a := range args {
		if strings.HasPrefix(a, "/") {
			if _, err := os.Lstat(filepath.Join(rootfs, a)); err == nil {
				a = filepath.Join(rootfs, a)
			}
		}
		rewritten = append(rewritten, a)
	}
	cmd := exec.Command(rewritten[0], rewritten[1:]...)
	cmd.Env = env
	cmd.Dir = filepath.Join(rootfs, cfg.WorkingDir)
	return cmd
}

// ServeResult is what WaitHealthy saw.
type ServeResult struct {
	Status int
	Body   string
	Exited bool   // the process exited before answering
	Output string // its stdout and stderr
}

// WaitHealthy starts cmd and polls http://127.0.0.1:port/healthz until a 200, the
// process exits, or timeout. The process is killed before returning.
func WaitHealthy(cmd *exec.Cmd, port int, timeout time.Duration) (ServeResult, error) {
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return ServeResult{}, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	url := fmt.Sprintf("http://127.0.0.1:%d/healthz", port)
	for {
		select {
		case <-exited:
			return ServeResult{Exited: true, Output: out.String()}, nil
		case <-ctx.Done():
			return ServeResult{Output: out.String()}, fmt.Errorf("no 200 from %s within %v", url, timeout)
		case <-time.After(100 * time.Millisecond):
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return ServeResult{Status: 200, Body: string(b), Output: out.String()}, nil
		}
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
