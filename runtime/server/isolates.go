package server

import (
	"bufio"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jacscale/jac/runtime/interp"
)

// Isolates: requests' Jac code runs on every core.
//
// A program's Jac code runs one thread at a time (its module globals, classes
// and in-process graph tier are not safe for concurrent use), so the server
// loads the program several times: each instance is an isolate, with its own
// module globals, its own graph tier and its own interpreter lock, exactly as
// each of the reference's `--workers N` processes has its own globals. A request
// takes an idle isolate, runs on it, and gives it back; all isolates share the
// store, the port and the users. Isolates are created when every existing one
// is busy, up to the pool's size (default GOMAXPROCS), so an idle server holds
// one.
//
// Isolates sharing the embedded store each keep a graph tier, so a commit is
// also a message to the others: once it has landed, the records and edge lists
// it changed are dropped from every other isolate's tier before that isolate's
// next request (Graph.Forget), so a client that saw the 2xx reads the write
// wherever its next request runs. A request that raced with another isolate's
// commit fails its version check and runs again (see Server.execute), on a
// fresh tier.

// isolate is one instance of the program.
type isolate struct {
	prog  *interp.Program
	local map[string]*endpoint // this instance's endpoints by "METHOD path"

	// out buffers what the isolate's Jac code prints. It is written under
	// the program lock only and flushed before the lock is released, so the
	// requests (and streamed generator steps) taking turns on it share it.
	out *bufio.Writer

	watch *runWatch // interrupts the running request (execution_limits.go)

	// stale asks the next request to start a new graph tier: a commit failed
	// after its writes were applied to the current one.
	stale atomic.Bool

	mu    sync.Mutex
	inbox []*interp.Tx // transactions other isolates committed since our last request
}

// maxInbox bounds the transactions kept for an isolate that serves no
// request; past it the isolate starts its next request on a new tier.
const maxInbox = 4096

// endpoint returns this isolate's instance of ep (ep was discovered in the
// first isolate; its walker, function and parameter types belong to that one).
func (iso *isolate) endpoint(ep *endpoint) *endpoint {
	if ep == nil {
		return nil
	}
	if e, ok := iso.local[ep.method+" "+ep.path]; ok {
		return e
	}
	return ep
}

// post hands the isolate a transaction another isolate committed.
func (iso *isolate) post(tx *interp.Tx) {
	iso.mu.Lock()
	defer iso.mu.Unlock()
	if len(iso.inbox) >= maxInbox {
		iso.inbox = nil
		iso.stale.Store(true)
		return
	}
	iso.inbox = append(iso.inbox, tx)
}

// catchUp drops from the isolate's graph tier what other isolates committed
// since its last request; the isolate's program lock is held.
func (iso *isolate) catchUp() {
	iso.mu.Lock()
	txs := iso.inbox
	iso.inbox = nil
	iso.mu.Unlock()
	if g := iso.prog.Shared; g != nil {
		for _, tx := range txs {
			g.Forget(tx)
		}
	}
}

// isolatePool hands out isolates of one program version (a reload makes a new
// pool).
type isolatePool struct {
	load func() (*isolate, error) // loads another instance
	size int
	idle chan *isolate

	mu      sync.Mutex
	all     []*isolate
	loading int // instances being loaded
}

func newIsolatePool(first *isolate, size int, load func() (*isolate, error)) *isolatePool {
	p := &isolatePool{load: load, size: max(size, 1), idle: make(chan *isolate, max(size, 1)), all: []*isolate{first}}
	p.idle <- first
	return p
}

// acquire returns an idle isolate, loads a new one when all are busy and the
// pool is not full, or waits for one until ctx ends or the deadline (if not
// zero) passes; the error is then the cause.
func (p *isolatePool) acquire(ctx context.Context, deadline time.Time) (*isolate, error) {
	select {
	case iso := <-p.idle:
		return iso, nil
	default:
	}
	p.mu.Lock()
	grow := len(p.all)+p.loading < p.size
	if grow {
		p.loading++
	}
	p.mu.Unlock()
	if grow {
		iso, err := p.load()
		p.mu.Lock()
		p.loading--
		if err == nil {
			p.all = append(p.all, iso)
		}
		p.mu.Unlock()
		if err == nil {
			return iso, nil
		}
		// a program that loaded once and not now (a file changed under a
		// running server): serve with the isolates there are
	}
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadlineCause(ctx, deadline, errExecutionTimeout)
		defer cancel()
	}
	select {
	case iso := <-p.idle:
		return iso, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

func (p *isolatePool) release(iso *isolate) { p.idle <- iso }

// committed tells every other isolate about a transaction iso committed.
func (p *isolatePool) committed(from *isolate, tx *interp.Tx) {
	p.mu.Lock()
	others := make([]*isolate, 0, len(p.all))
	for _, iso := range p.all {
		if iso != from {
			others = append(others, iso)
		}
	}
	p.mu.Unlock()
	for _, iso := range others {
		iso.post(tx)
	}
}
