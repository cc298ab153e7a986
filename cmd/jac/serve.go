package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/jacscale/jac/cmd/jac/internal/initpages"
	"github.com/jacscale/jac/runtime/server"
)

// runServer is `jac start APP.jac`.
func runServer(cmd *cobra.Command, app string, o startOptions) error {
	setupLogging()
	startPprof()
	cfg, err := server.LoadConfig(app)
	if err != nil {
		return err
	}
	cfg.Host, cfg.Port = o.host, o.port
	if o.dev {
		cfg.Dev = true
		o.reload = true
		switch {
		case o.apiPort != 0:
			cfg.Port = o.apiPort
		case !o.noClient:
			cfg.Port = o.port + 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	shared := cfg.MongoURI != ""
	if o.workers > 1 && !shared {
		// The embedded store allows one process per data directory: workers
		// are isolates of the program in this process (runtime/server/isolates.go).
		cfg.Isolates = o.workers
		slog.Info("embedded store: --workers sets the isolates of one process", "workers", o.workers)
	}
	if o.workers > 1 && shared && os.Getenv("JAC_WORKER_CHILD") == "" {
		return runWorkers(ctx, o.workers)
	}

	start := time.Now()
	srv, err := server.New(ctx, cfg, serverOptions(ctx, cfg)...)
	if err != nil {
		return loadFailure(err)
	}
	defer srv.Close()
	ln, err := listen(ctx, net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)), shared)
	if err != nil {
		return err
	}
	url := "http://" + displayHost(cfg.Host) + ":" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	fmt.Fprintf(os.Stderr, "jac: serving %s on %s (docs: %s/docs) in %s\n", filepath.Base(app), url, url, time.Since(start).Round(time.Millisecond))
	if o.reload {
		go watch(ctx, srv)
	}
	// Loading the app and setting up the server ran once: their pages of the
	// binary leave the resident set (the idle server: 16.4 -> 10.8 MB), and the
	// first requests fault back in what serving needs.
	initpages.Trim()
	if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("server stopped")
	return nil
}

// serverOptions picks the store; the tiered store is wired in by store.go.
var serverOptions = func(ctx context.Context, cfg server.Config) []server.Option { return nil }

func displayHost(h string) string {
	if h == "0.0.0.0" || h == "" || h == "::" {
		return "localhost"
	}
	return h
}

func setupLogging() {
	var h slog.Handler
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		h = slog.NewTextHandler(os.Stderr, nil)
	} else {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	slog.SetDefault(slog.New(h))
}

func loadFailure(err error) error {
	fmt.Fprintf(os.Stderr, "jac: cannot start: %v\n", err)
	return exitWith(1, errors.New(""))
}

// listen opens the port, with SO_REUSEPORT when several processes share it.
func listen(ctx context.Context, addr string, reusePort bool) (net.Listener, error) {
	lc := net.ListenConfig{}
	if reusePort {
		lc.Control = func(network, address string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1) })
			if err != nil {
				return err
			}
			return serr
		}
	}
	return lc.Listen(ctx, "tcp", addr)
}

// runWorkers starts n copies of this command sharing the port (SO_REUSEPORT),
// all on the shared store, and stops them together.
func runWorkers(ctx context.Context, n int) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var procs []*exec.Cmd
	for i := 0; i < n; i++ {
		c := exec.Command(exe, os.Args[1:]...)
		c.Stdout, c.Stderr = os.Stdout, os.Stderr
		c.Env = append(os.Environ(), "JAC_WORKER_CHILD="+strconv.Itoa(i))
		if err := c.Start(); err != nil {
			return err
		}
		procs = append(procs, c)
		wg.Add(1)
		go func() { defer wg.Done(); c.Wait() }()
	}
	<-ctx.Done()
	for _, p := range procs {
		p.Process.Signal(syscall.SIGTERM)
	}
	wg.Wait()
	return nil
}

// watch reloads the program when one of its .jac files changes. A file that does
// not compile is reported and the running program keeps serving.
func watch(ctx context.Context, srv *server.Server) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		slog.Error("reload disabled", "err", err)
		return
	}
	defer w.Close()
	dirs := map[string]bool{}
	for _, f := range srv.Files() {
		dirs[filepath.Dir(f)] = true
	}
	for d := range dirs {
		w.Add(d)
	}
	var timer *time.Timer
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-w.Events:
			if filepath.Ext(ev.Name) != ".jac" {
				continue
			}
			if timer != nil {
				timer.Stop()
			}
			timer = time.AfterFunc(150*time.Millisecond, func() {
				if err := srv.Reload(ctx); err != nil {
					slog.Error("reload failed; still serving the previous program", "err", err.Error())
					return
				}
				slog.Info("reloaded", "file", ev.Name)
			})
		case err := <-w.Errors:
			slog.Warn("watch error", "err", err)
		}
	}
}
