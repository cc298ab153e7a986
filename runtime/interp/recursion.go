package interp

import "sync/atomic"

// DefaultRecursionLimit is the recursion limit of a new program, Python's default.
const DefaultRecursionLimit = 1000

// MaxRecursionLimit caps the limit sys.setrecursionlimit can make effective. Each
// level of Jac calls holds Go stack (about 2 KB for a one-line recursive function:
// 100,000 levels reached 214 MB of RSS), and a Go stack overflow is a fatal error
// that nothing recovers, so the effective limit stays far below Go's 1 GB maximum
// stack: a deeper recursion raises RecursionError as CPython's does at its limit.
const MaxRecursionLimit = 50000

// recursionLimit is a program's limit as sys.setrecursionlimit set it (0: the
// default). It is read by each new thread; the thread that sets it applies it at once.
type recursionLimit struct{ requested atomic.Int64 }

// RecursionLimit is the limit sys.getrecursionlimit reports: the last one set.
func (p *Program) RecursionLimit() int64 {
	if p == nil {
		return DefaultRecursionLimit
	}
	if n := p.recursion.requested.Load(); n > 0 {
		return n
	}
	return DefaultRecursionLimit
}

// effectiveDepth is the depth at which a thread of p raises RecursionError.
func (p *Program) effectiveDepth() int {
	return int(min(p.RecursionLimit(), MaxRecursionLimit))
}

// SetRecursionLimit is sys.setrecursionlimit(n): it raises ValueError for n < 1
// and RecursionError when n is not above the current depth, as CPython does.
func (th *Thread) SetRecursionLimit(n int64) {
	if n < 1 {
		th.ValueError("recursion limit must be greater or equal than 1")
	}
	if n <= int64(th.depth) {
		th.Raise(RecursionErrorClass, "cannot set the recursion limit to %d at the recursion depth %d: the limit is too low", n, th.depth)
	}
	if th.Prog != nil {
		th.Prog.recursion.requested.Store(n)
	}
	th.maxDepth = int(min(n, MaxRecursionLimit))
}
