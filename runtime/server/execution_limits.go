package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
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

// executionContext is the context one run of Jac code (a request, or one step
// of a streamed generator) runs under: ctx with the execution deadline.
func (s *Server) executionContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.cfg.ExecutionTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, s.cfg.ExecutionTimeout, errExecutionTimeout)
}

// interruption is the response to a run whose context ended (nil while it
// has not): 504 naming the endpoint past the deadline, 503 when the server is
// shutting down, 499 when the client left. The run's writes are not committed.
func (s *Server) interruption(ctx context.Context, c *call) error {
	if ctx.Err() == nil {
		return nil
	}
	name := "(internal)"
	if c.ep != nil {
		name = c.ep.name
	}
	cause := context.Cause(ctx)
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
// requests get 5/6 of it to finish, then their Jac code is interrupted (503
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
// interrupted.
func interruptAfter(d time.Duration) time.Duration { return d * 5 / 6 }

// applyMemoryBudget sets the interpreter's per-request memory budget.
func (c *Config) applyMemoryBudget() {
	interp.SetMemoryBudget(c.ExecutionMemory)
}
