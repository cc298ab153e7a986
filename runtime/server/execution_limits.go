package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jacscale/jac/runtime/interp"
)

// Limits on one request's Jac code (docs/security.md, "Limits on Jac code"):
// an execution deadline, a memory budget, and cancellation when the client
// goes away or the server shuts down. The interpreter polls its context (see
// interp/limits.go); this file chooses the contexts and turns an interrupted
// run into a response.

// defaultExecutionTimeout bounds one request's Jac run unless configured.
const defaultExecutionTimeout = 60 * time.Second

// statusClientClosedRequest is the status logged and counted for a request
// whose client left before it ran (nginx's 499; nobody reads the response).
const statusClientClosedRequest = 499

var (
	errExecutionTimeout = errors.New("execution time limit exceeded")
	errShuttingDown     = errors.New("the server is shutting down")
)

// executionLimitsTOML is [plugins.scale.server]'s part for these limits.
type executionLimitsTOML struct {
	Timeout  *float64 `toml:"execution_timeout"`   // seconds; 0 = none
	MemoryMB *int64   `toml:"execution_memory_mb"` // 0 = derived from GOMEMLIMIT
	Shutdown *float64 `toml:"shutdown_timeout"`    // seconds
}

func (c *Config) applyLimitsTOML(t executionLimitsTOML) {
	if t.Timeout != nil && *t.Timeout >= 0 {
		c.ExecutionTimeout = time.Duration(*t.Timeout * float64(time.Second))
	}
	if t.MemoryMB != nil && *t.MemoryMB >= 0 {
		c.ExecutionMemory = *t.MemoryMB << 20
	}
	if t.Shutdown != nil && *t.Shutdown > 0 {
		c.ShutdownTimeout = time.Duration(*t.Shutdown * float64(time.Second))
	}
}

func (c *Config) applyLimitsEnv() {
	if f, err := strconv.ParseFloat(os.Getenv("JAC_EXECUTION_TIMEOUT"), 64); err == nil && f >= 0 {
		c.ExecutionTimeout = time.Duration(f * float64(time.Second))
	}
	if n, err := strconv.ParseInt(os.Getenv("JAC_EXECUTION_MEMORY_MB"), 10, 64); err == nil && n >= 0 {
		c.ExecutionMemory = n << 20
	}
	if f, err := strconv.ParseFloat(os.Getenv("JAC_SHUTDOWN_TIMEOUT"), 64); err == nil && f > 0 {
		c.ShutdownTimeout = time.Duration(f * float64(time.Second))
	}
}

// executionContext is the context one step of a streamed generator runs
// under: ctx with the execution deadline. (A request's run is watched by its
// isolate's runWatch instead.)
func (s *Server) executionContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.cfg.ExecutionTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, s.cfg.ExecutionTimeout, errExecutionTimeout)
}

// runDeadline is the execution deadline of a run starting now (zero: none).
func (s *Server) runDeadline() time.Time {
	if s.cfg.ExecutionTimeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(s.cfg.ExecutionTimeout)
}

// interruption is the response to a run whose context ended (nil while it
// has not): 504 naming the endpoint past the deadline, 503 when the server is
// shutting down, 499 when the client left. The run's writes are not committed.
func (s *Server) interruption(ctx context.Context, c *call) error {
	if ctx.Err() == nil {
		return nil
	}
	return s.interrupted(context.Cause(ctx), c)
}

// interrupted is the response to a run stopped for cause (see interruption).
func (s *Server) interrupted(cause error, c *call) error {
	name := "(internal)"
	if c.ep != nil {
		name = c.ep.name
	}
	switch {
	case errors.Is(cause, errExecutionTimeout):
		s.metrics.interrupted(name, "timeout")
		return envelopeErr(http.StatusGatewayTimeout, "TIMEOUT", fmt.Sprintf(
			"%s %q exceeded the execution time limit of %s; its writes were rolled back", c.kind(), name, s.cfg.ExecutionTimeout))
	case errors.Is(cause, errShuttingDown):
		s.metrics.interrupted(name, "shutdown")
		return envelopeErr(http.StatusServiceUnavailable, "SHUTTING_DOWN", fmt.Sprintf(
			"%s %q was stopped: the server is shutting down; its writes were rolled back", c.kind(), name))
	}
	s.metrics.interrupted(name, "cancelled")
	return envelopeErr(statusClientClosedRequest, "CLIENT_CLOSED_REQUEST", "the client closed the request; its writes were rolled back")
}

// runErr is the response to a run that failed with err: its interruption if
// its context ended, else the Jac exception (500).
func (s *Server) runErr(run context.Context, c *call, err error) error {
	if ie := s.interruption(run, c); ie != nil {
		return ie
	}
	return execErr(err)
}

// kind names what c runs, for messages.
func (c *call) kind() string {
	if c.ep != nil {
		return c.ep.kind()
	}
	return "request"
}

// newInterruptsCounter counts runs stopped by their context, by endpoint and
// reason (timeout, cancelled, shutdown).
func newInterruptsCounter(ns string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "interrupted_requests_total",
		Help: "Runs of Jac code stopped by the execution deadline, a client that left, or shutdown."},
		[]string{"walker", "reason"})
}

func (m *metrics) interrupted(name, reason string) {
	m.interrupts.WithLabelValues(name, reason).Inc()
}

// defaultShutdownTimeout bounds a graceful shutdown (SIGTERM): in-flight
// requests get 5/6 of it (at least 1 s less than it) to finish, then their Jac
// code is interrupted (503
// SHUTTING_DOWN, writes rolled back) and the server exits 0 within the bound.
const defaultShutdownTimeout = 30 * time.Second

// shutdownBound is the configured shutdown bound, or the default.
func (c *Config) shutdownBound() time.Duration {
	if c.ShutdownTimeout <= 0 {
		return defaultShutdownTimeout
	}
	return c.ShutdownTimeout
}

// interruptAfter is when, in a shutdown bounded by d, running requests are
// interrupted: at 5/6 of d, but at least a second before its end (at most half
// of d), because the interrupted requests still answer and http.Server.Shutdown
// notices idle connections only on a poll that backs off to 500 ms.
func interruptAfter(d time.Duration) time.Duration {
	margin := min(max(d/6, time.Second), d/2)
	return d - margin
}

// applyMemoryBudget sets the interpreter's per-request memory budget.
func (c *Config) applyMemoryBudget() {
	interp.SetMemoryBudget(c.ExecutionMemory)
}

// watchEvery bounds how late a running request notices that its client left
// (or that the server shuts down).
const watchEvery = 20 * time.Millisecond

// runWatch interrupts the running request of one isolate when its execution
// deadline passes or its HTTP request ends (the client left, the server shuts
// down). There is one per isolate, reused by each of its requests in turn:
// arming it costs a timer reset and a cancelable context without a parent,
// where a context.WithTimeout under the request's context and a
// context.AfterFunc per request cost a new timer, a goroutine at cancel and a
// dozen allocations (most of them the parents' child maps).
type runWatch struct {
	timer *time.Timer // fires check while a run is watched

	mu  sync.Mutex
	run *runContext // nil between runs
	th  *interp.Thread
}

func newRunWatch() *runWatch {
	w := &runWatch{}
	w.timer = time.AfterFunc(time.Hour, w.check)
	w.timer.Stop()
	return w
}

// runContext is the context of one request's run of Jac code: the values of
// the request's context (its trace span), the execution deadline, and done
// when its runWatch ends it.
type runContext struct {
	context.Context // the run's own cancelation: Done, and the cause of its end
	cancel          context.CancelCauseFunc
	req             context.Context // the HTTP request's context
	deadline        time.Time       // zero: none
}

// Deadline is the execution deadline; store clients bound their calls by it.
func (c *runContext) Deadline() (time.Time, bool) {
	if c.deadline.IsZero() {
		return c.req.Deadline()
	}
	return c.deadline, true
}

// Err is context.DeadlineExceeded past the execution deadline, as a
// context.WithDeadline's would be.
func (c *runContext) Err() error {
	err := c.Context.Err()
	if err != nil && context.Cause(c.Context) == errExecutionTimeout {
		return context.DeadlineExceeded
	}
	return err
}

// Value answers for the run's own cancelation first (contexts derived from a
// run register with it), then with the request's values.
func (c *runContext) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.req.Value(key)
}

// newRunContext is the context of a run for req with the given deadline.
func newRunContext(req context.Context, deadline time.Time) *runContext {
	own, cancel := context.WithCancelCause(context.Background())
	return &runContext{Context: own, cancel: cancel, req: req, deadline: deadline}
}

// watch interrupts th, running on rc, once rc's request ends or its deadline
// passes, until release.
func (w *runWatch) watch(rc *runContext, th *interp.Thread) {
	w.mu.Lock()
	w.run, w.th = rc, th
	w.mu.Unlock()
	w.check()
}

// check ends the watched run if its time is up, else looks again later.
func (w *runWatch) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	rc := w.run
	if rc == nil {
		return
	}
	cause := context.Cause(rc.req) // nil while the request goes on
	next := watchEvery
	if cause == nil && !rc.deadline.IsZero() {
		if left := time.Until(rc.deadline); left <= 0 {
			cause = errExecutionTimeout
		} else {
			next = min(next, left)
		}
	}
	if cause == nil {
		w.timer.Reset(next)
		return
	}
	rc.cancel(cause) // before Interrupt: the thread reads the cause once it stops
	w.th.Interrupt()
}

// release stops watching and ends the run's context (what was derived from
// it, a store call still in flight, ends with it).
func (w *runWatch) release() {
	w.timer.Stop()
	w.mu.Lock()
	rc := w.run
	w.run, w.th = nil, nil
	w.mu.Unlock()
	if rc != nil {
		rc.cancel(context.Canceled)
	}
}
