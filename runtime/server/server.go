package server

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/memory"
	_ "github.com/jacscale/jac/runtime/stdlib" // every standard-library module
	"github.com/jacscale/jac/runtime/stdlib/storage"
)

// Server serves one Jac program.
type Server struct {
	cfg     Config
	backend memory.Backend
	auth    *auth
	metrics *metrics
	limits  *rateLimiter // nil when rate limiting is off
	tracing *tracer      // nil when tracing is off
	handler http.Handler
	out     *lockedWriter

	mu        sync.RWMutex    // guards prog, pool and the endpoint tables (swapped on reload)
	prog      *interp.Program // the first isolate's (endpoints, OpenAPI)
	pool      *isolatePool
	endpoints []*endpoint
	byRoute   map[string]*endpoint // "METHOD path"
	walkers   map[string]*endpoint
	functions map[string]*endpoint

	openErr  error
	ws       wsHub
	sso      ssoRegistry
	ready    atomic.Bool
	draining atomic.Bool
	commits  sync.WaitGroup // commits started outside the program lock

	// serial is held shared by every attempt and exclusively by a request
	// that has lost twice, which then runs alone (see execute).
	serial sync.RWMutex
}

// Option configures a Server.
type Option func(*Server)

// WithBackend uses the given store instead of the embedded one.
func WithBackend(b memory.Backend) Option { return func(s *Server) { s.backend = b } }

// WithBackendError makes New fail with err (the configured store could not open).
func WithBackendError(err error) Option { return func(s *Server) { s.openErr = err } }

// guestRoot is the root shared by callers without a token.
var guestRoot = func() interp.ID {
	sum := sha256.Sum256([]byte("__guest__"))
	var id interp.ID
	copy(id[:], sum[:16])
	return id
}()

// New loads the program and prepares the handler.
func New(ctx context.Context, cfg Config, opts ...Option) (*Server, error) {
	s := &Server{cfg: cfg, out: &lockedWriter{w: bufio.NewWriter(os.Stdout)}}
	cfg.applyMemoryBudget()
	for _, o := range opts {
		o(s)
	}
	if s.openErr != nil {
		return nil, s.openErr
	}
	var err error
	storage.ProtectDir(cfg.DataDir) // store() never reads or writes the JWT secret or the graph
	if s.backend == nil {
		b, err := memory.OpenBolt(filepath.Join(cfg.DataDir, "graph.db"))
		if err != nil {
			return nil, err
		}
		s.backend = b
	}
	if s.tracing, err = newTracer(cfg.Tracing, cfg.AppFile, s.backend); err != nil {
		return nil, err
	}
	var a *auth
	a, err = newAuth(ctx, cfg, s.backend)
	if err != nil {
		return nil, err
	}
	s.auth = a
	if err := migrateKeyIndex(ctx, s.backend); err != nil {
		return nil, fmt.Errorf("migrating the API key index: %w", err)
	}
	s.metrics = newMetrics(cfg.Monitoring)
	if s.limits, err = newRateLimiter(cfg.RateLimit, cfg.RedisURL, s.metrics.reg, cfg.Monitoring.NamePrefix); err != nil {
		return nil, err
	}
	if err := s.load(ctx); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	s.ready.Store(true)
	return s, nil
}

// load compiles and initializes the program (its first isolate) and its
// endpoint tables.
func (s *Server) load(ctx context.Context) error {
	first, eps, err := s.loadIsolate(ctx)
	if err != nil {
		return err
	}
	byRoute := map[string]*endpoint{}
	walkers := map[string]*endpoint{}
	functions := map[string]*endpoint{}
	for _, e := range eps {
		if e.walker != nil {
			walkers[e.name] = e
		} else {
			functions[e.name] = e
		}
		byRoute[e.method+" "+e.path] = e
	}
	pool := newIsolatePool(first, s.cfg.isolates(), func() (*isolate, error) {
		iso, _, err := s.loadIsolate(context.Background())
		return iso, err
	})
	s.mu.Lock()
	s.prog, s.pool, s.endpoints, s.byRoute, s.walkers, s.functions = first.prog, pool, eps, byRoute, walkers, functions
	s.mu.Unlock()
	return nil
}

// loadIsolate loads one instance of the program and discovers its endpoints.
func (s *Server) loadIsolate(ctx context.Context) (*isolate, []*endpoint, error) {
	th := interp.NewThread(ctx, nil, s.out)
	th.Graph = interp.NewGraph()
	prog, err := interp.Load(th, s.cfg.AppFile)
	th.Out.Flush()
	if err != nil {
		return nil, nil, err
	}
	prog.Policy = policy{}
	prog.AllRoots = s.allRoots
	eps := discover(prog)
	// a small print buffer: most requests print nothing
	iso := &isolate{prog: prog, local: make(map[string]*endpoint, len(eps)),
		out: bufio.NewWriterSize(s.out, 512), watch: newRunWatch()}
	for _, e := range eps {
		iso.local[e.method+" "+e.path] = e
	}
	return iso, eps, nil
}

// Reload recompiles the program; on a compile error the old one keeps serving.
func (s *Server) Reload(ctx context.Context) error {
	if err := interp.Compile(s.cfg.AppFile); err != nil {
		return err
	}
	return s.load(ctx)
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Files lists the program's source files (for --reload).
func (s *Server) Files() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.prog.Files
}

// Close releases the store.
func (s *Server) Close() error {
	s.limits.close()
	return s.backend.Close()
}

// Serve listens on ln until ctx is done, then drains in-flight requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	base, stopRequests := context.WithCancelCause(context.Background())
	defer stopRequests(nil)
	srv := s.httpServer()
	srv.BaseContext = func(net.Listener) context.Context { return base } // shutdown interrupts requests (execution_limits.go)
	ln = newLimitListener(ln, s.cfg.HTTP.MaxConns, s.cfg.HTTP.MaxConnsPerClient)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	bound := s.cfg.shutdownBound()
	sctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	// requests still running near the bound are interrupted (execution_limits.go)
	interrupt := time.AfterFunc(interruptAfter(bound), func() { stopRequests(errShuttingDown) })
	defer interrupt.Stop()
	s.ws.closeAll()
	err := srv.Shutdown(sctx)
	s.tracing.shutdown(sctx)
	s.out.Flush()
	return err
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, err := l.w.Write(p)
	l.w.Flush()
	return n, err
}

func (l *lockedWriter) Flush() { l.mu.Lock(); l.w.Flush(); l.mu.Unlock() }

// ---- running Jac code for a request ----

// call is one request's unit of Jac work.
type call struct {
	root    interp.ID
	user    *User
	target  string // node id for walker spawns ("" = root)
	run     func(th *interp.Thread, target interp.Value) (result interp.Value, reports *interp.List)
	collect bool // reported generators are collected into lists (WebSocket replies)
	ep      *endpoint
	iso     *isolate // the isolate running it (set by attempt)
	bindErr error    // the request's fields did not bind (set by run; the answer)
}

// endpoint is the running isolate's instance of c's endpoint.
func (c *call) endpoint() *endpoint { return c.iso.endpoint(c.ep) }

// callResult is what execute returns for the response.
type callResult struct {
	warnings []string
	head     bytes.Buffer // the response envelope up to the reports (encodeResponse)
	values   *interp.List
	th       *interp.Thread
	call     *call // what ran (a streamed generator's steps name it)
}

// maxAttempts bounds the re-runs of a conflicting request before 409.
const maxAttempts = 40

// errRetry asks execute to run the request again (a conflict in the locked path).
var errRetry = errors.New("retry")

var errTargetNotFound = envelopeErr(http.StatusNotFound, "NOT_FOUND", "Invalid target node")

// execute runs c on an isolate of the program (see isolates.go), commits its
// writes, and re-runs it from the start when the commit conflicts.
//
// Commits are waited for after the isolate's lock is released, so that
// concurrent requests' commits share one fsync (the embedded store groups
// them). With the embedded store the commit is queued under the lock, in the
// order the isolate ran its requests, and the request's writes are already in
// the isolate's graph tier for its next request (see interp.NewSharedGraph).
// A request that has already lost twice runs alone: it holds serial
// exclusively, so no request of any isolate runs meanwhile, and it starts
// once every earlier commit has landed, so it cannot lose again to requests
// of this process: every request finishes.
func (s *Server) execute(ctx context.Context, c *call) (*callResult, error) {
	for attempt := 0; ; attempt++ {
		res, wait, err := s.attempt(ctx, c, attempt >= 2)
		if err == nil && wait != nil {
			start := time.Now()
			err = wait()
			s.metrics.storeOp("commit", time.Since(start))
			s.tracing.storeSpan(ctx, "commit", start, err)
			if err != nil {
				if !errors.Is(err, interp.ErrConflict) {
					return nil, storeErr(err)
				}
				err = errRetry
			}
		}
		if err != errRetry {
			return res, err
		}
		if attempt+1 >= maxAttempts {
			return nil, envelopeErr(http.StatusConflict, "CONFLICT", "the request conflicted with concurrent writes; retry")
		}
		// jittered backoff: requests racing from several processes spread out
		time.Sleep(time.Duration(1+mrand.IntN(2+4*attempt)) * time.Millisecond)
	}
}

// graphFor opens the request's graph session: on the isolate's graph tier
// when the store belongs to this process alone, else on a graph of its own.
// The isolate's program lock is held.
func (s *Server) graphFor(ctx context.Context, th *interp.Thread, iso *isolate, root interp.ID) (*interp.Session, error) {
	prog := iso.prog
	if _, ok := s.backend.(memory.Sequenced); !ok {
		th.Graph = interp.NewGraph()
		return interp.NewSession(ctx, s.backend, prog, th.Graph, root)
	}
	if prog.Shared == nil || iso.stale.Swap(false) {
		prog.Shared = interp.NewSharedGraph()
	}
	iso.catchUp()
	th.Graph = prog.Shared
	sess, err := interp.ResumeSession(ctx, s.backend, prog, th.Graph, root)
	if err != nil {
		prog.Shared = nil
	}
	return sess, err
}

// acquire takes an isolate and its program lock, and serial: shared, or
// exclusively for a request that must run alone (then after every commit
// started before it has landed). release gives them back. Waiting for an
// isolate ends with the request or at the deadline; the error is the cause.
func (s *Server) acquire(ctx context.Context, deadline time.Time, alone bool) (*isolatePool, *isolate, error) {
	s.mu.RLock()
	pool := s.pool
	s.mu.RUnlock()
	iso, err := pool.acquire(ctx, deadline)
	if err != nil {
		return nil, nil, err
	}
	iso.prog.Lock()
	if !alone {
		s.serial.RLock()
		return pool, iso, nil
	}
	s.serial.Lock()
	s.commits.Wait() // let every commit that started before us land first
	if seq, ok := s.backend.(memory.Sequenced); ok {
		seq.Enqueue(ctx, &interp.Tx{})() // commits are applied in order: this one lands after them
		iso.stale.Store(true)            // and read them from the store, not from a tier
	}
	return pool, iso, nil
}

// release ends what acquire(alone) began. What the request's Jac code
// printed is written out first: the isolate's print buffer is its next
// request's.
func (s *Server) release(pool *isolatePool, iso *isolate, alone bool) {
	iso.out.Flush()
	if alone {
		s.serial.Unlock()
	} else {
		s.serial.RUnlock()
	}
	iso.prog.Unlock()
	pool.release(iso)
}

// attempt runs c once on an isolate. It returns the response and, when the
// request wrote something, a function that waits for its commit.
func (s *Server) attempt(ctx context.Context, c *call, commitLocked bool) (*callResult, func() error, error) {
	deadline := s.runDeadline()
	pool, iso, err := s.acquire(ctx, deadline, commitLocked)
	if err != nil {
		return nil, nil, s.interrupted(err, c) // the client left (or time ran out) while it queued
	}
	defer s.release(pool, iso, commitLocked)
	prog := iso.prog
	c.iso = iso
	run := newRunContext(ctx, deadline)
	th := interp.NewUnwatchedThread(run, prog, iso.out)
	iso.watch.watch(run, th)
	defer iso.watch.release()
	sess, err := s.graphFor(ctx, th, iso, c.root)
	if err != nil {
		return nil, nil, storeErr(err)
	}
	settled := false
	defer func() {
		if !settled && th.Graph == prog.Shared && !sess.Discard() {
			prog.Shared = nil // the request changed the graph tier and failed
		}
	}()
	th.Root = th.Graph.Root()
	var result interp.Value
	var reports *interp.List
	var target interp.Value = th.Root
	if c.target != "" && c.target != "root" {
		id, ok := interp.ParseID(c.target)
		if !ok {
			return nil, nil, errTargetNotFound
		}
		var node *interp.Instance
		if err := th.Protect(func() { node = th.Graph.Lookup(th, id) }); err != nil || node == nil || !canRead(th, node) {
			return nil, nil, errTargetNotFound
		}
		target = node
	}
	jerr := th.Protect(func() { result, reports = c.run(th, target) })
	th.Out.Flush()
	if jerr != nil || run.Err() != nil {
		return nil, nil, s.runErr(run, c, jerr)
	}
	res := &callResult{th: th, values: reports, call: c}
	defer func() { res.warnings = th.Warnings }()
	if c.collect && reports != nil {
		if err := th.Protect(func() {
			for i, v := range reports.Elems() {
				if v.Class() == interp.GeneratorClass {
					reports.Elems()[i] = interp.NewList(interp.ToSlice(th, v))
				}
			}
		}); err != nil {
			return nil, nil, s.runErr(run, c, err)
		}
	}
	if err := th.Protect(func() { encodeResponse(th, &res.head, result, reports) }); err != nil {
		return nil, nil, s.runErr(run, c, err)
	}
	tx, err := sess.Changes(th)
	if ie := s.interruption(run, c); ie != nil {
		return nil, nil, ie
	}
	if err != nil {
		return nil, nil, envelopeErr(http.StatusInternalServerError, "EXECUTION_ERROR", err.Error())
	}
	if s.cfg.StrictPermissions && len(th.Warnings) > 0 {
		e := envelopeErr(http.StatusForbidden, "FORBIDDEN", th.Warnings[0])
		e.details = th.Warnings
		return nil, nil, e
	}
	writes := len(tx.Puts) > 0 || len(tx.Deletes) > 0
	if th.Graph == prog.Shared {
		var wait func() error
		if writes {
			wait = s.sequencedCommit(ctx, pool, iso, tx)
			sess.Committed(tx)
		}
		sess.Settle()
		settled = true
		if len(th.Warnings) > 0 || prog.Shared.Overfull() {
			// a refused write stays in memory only: start afresh
			prog.Shared = nil
		}
		return res, wait, nil
	}
	switch {
	case !writes:
		return res, nil, nil
	case commitLocked:
		if err := sess.Store.Commit(ctx, tx); err != nil {
			if errors.Is(err, interp.ErrConflict) {
				return nil, nil, errRetry // another process won; run again
			}
			return nil, nil, storeErr(err)
		}
		return res, nil, nil
	}
	s.commits.Add(1) // under the isolate's lock; Done after the commit
	return res, func() error {
		defer s.commits.Done()
		return sess.Store.Commit(ctx, tx)
	}, nil
}

// sequencedCommit queues tx on the embedded store now (the isolate's lock is
// held) and returns a function that waits for it: once it has landed the
// other isolates are told to drop what it changed; if it failed, this
// isolate's graph tier, which holds its writes, is dropped.
func (s *Server) sequencedCommit(ctx context.Context, pool *isolatePool, iso *isolate, tx *interp.Tx) func() error {
	wait := s.backend.(memory.Sequenced).Enqueue(ctx, tx)
	return func() error {
		err := wait()
		if err != nil {
			iso.stale.Store(true)
			return err
		}
		pool.committed(iso, tx)
		return nil
	}
}

func execErr(err error) error {
	var exc *interp.Exception
	if errors.As(err, &exc) {
		return &apiError{status: http.StatusInternalServerError, code: "EXECUTION_ERROR",
			message: exc.Error(), details: exc.Traceback()}
	}
	return envelopeErr(http.StatusInternalServerError, "EXECUTION_ERROR", err.Error())
}

func storeErr(err error) error {
	if errors.Is(err, memory.ErrUnavailable) {
		return envelopeErr(http.StatusServiceUnavailable, "STORE_UNAVAILABLE", "the database is unavailable; nothing was written")
	}
	return envelopeErr(http.StatusServiceUnavailable, "STORE_UNAVAILABLE", fmt.Sprintf("the data store is unavailable: %v", err))
}

// policy applies graph permissions: NO_ACCESS -1, READ 0, CONNECT 1, WRITE 2.
type policy struct{}

func (policy) CanRead(th *interp.Thread, n *interp.Instance) bool { return canRead(th, n) }

func (policy) CanConnect(th *interp.Thread, n *interp.Instance) bool {
	return n.Anchor() == nil || levelOf(th, n.Anchor()) >= 1
}

func (policy) CanWrite(th *interp.Thread, a *interp.Anchor) bool { return levelOf(th, a) >= 2 }

// readableOutEdges calls f for each edge leaving n whose target the
// request's user may read; with a filter, at least those it admits.
func readableOutEdges(th *interp.Thread, n *interp.Instance, filter *interp.EdgeFilter, f func(e, dst *interp.Instance)) {
	for _, e := range n.Anchor().OutEdgesNamed(th, filter) {
		ea := e.Anchor()
		if ea.Source(th) != n {
			continue
		}
		if dst := ea.Target(th); dst != nil && canRead(th, dst) {
			f(e, dst)
		}
	}
}

// canRead reports whether the request's user may read node n.
func canRead(th *interp.Thread, n *interp.Instance) bool {
	a := n.Anchor()
	return a == nil || levelOf(th, a) >= 0
}

// levelOf is the caller's access level on an anchor: the owner root always has
// WRITE; otherwise start at NO_ACCESS, raise to the node's public level, then to
// the owner root's public level; a per-root grant on the owner root, then one on
// the node, replaces the level.
func levelOf(th *interp.Thread, a *interp.Anchor) int {
	if th.Root == nil {
		return 2
	}
	root := th.Root.Anchor().ID
	if a.Owner == root || a.ID == root || a.Owner == (interp.ID{}) {
		return 2
	}
	level := -1
	if a.Access != nil {
		level = max(level, a.Access.Public)
	}
	var ownerAccess *interp.Access
	if o := th.Graph.Lookup(th, a.Owner); o != nil && o.Anchor() != nil {
		ownerAccess = o.Anchor().Access
	}
	if ownerAccess != nil {
		level = max(level, ownerAccess.Public)
		if l, ok := ownerAccess.Roots[root]; ok {
			level = l
		}
	}
	if a.Access != nil {
		if l, ok := a.Access.Roots[root]; ok {
			level = l
		}
	}
	return level
}

// allRoots implements allroots(): the caller's root first, then every other
// user root (registered users, "root:<id>" keys) the caller may read.
func (s *Server) allRoots(th *interp.Thread) interp.Value {
	roots := []interp.Value{th.Root}
	keys, err := s.auth.kv.KVKeys(th.Ctx, "root:")
	if err != nil {
		th.Raise(interp.ConnectionErrorClass, "allroots: %v", err)
	}
	for _, k := range keys {
		id, ok := interp.ParseID(strings.TrimPrefix(k, "root:"))
		if !ok || id == th.Root.Anchor().ID {
			continue
		}
		n := th.Graph.Lookup(th, id)
		if n != nil && canRead(th, n) {
			roots = append(roots, n)
		}
	}
	return interp.NewList(roots)
}

// caller resolves the request's user and root; protected endpoints need a token.
func (s *Server) caller(r *http.Request, public bool) (*User, interp.ID, error) {
	info, err := s.auth.userFromRequest(r)
	if err != nil {
		if public {
			return nil, guestRoot, nil
		}
		return nil, interp.ID{}, errUnauthorized("")
	}
	if info == nil {
		if public {
			return nil, guestRoot, nil
		}
		return nil, interp.ID{}, errUnauthorized("")
	}
	return info.user, info.user.Root(), nil
}

// requestLabel names the route for metrics: the matched pattern, or one label
// shared by every request no route matched (CORS preflights to any path), so
// the series stay as few as the routes.
func requestLabel(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}
