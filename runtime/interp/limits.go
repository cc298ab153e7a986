package interp

import (
	"context"
	"errors"
	"io"
	"math"
	"math/big"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// This file bounds what Jac code can take from the process that runs it: Go
// stack (nesting of values), memory (allocation sizes and heap growth), time
// (deadline and cancellation of the thread's context) and the size of int↔str
// conversions. A Go stack overflow and a failed huge allocation are fatal
// errors that no recover catches, so every check runs before the recursion
// step or the allocation it guards.

// ---- nesting ----

// EnterNested counts one level of Go recursion over a nested value (repr, ==,
// hash, copy, JSON, persistence) against the recursion limit that Jac calls
// count against, as CPython's Py_EnterRecursiveCall does: a deep or cyclic
// value raises RecursionError long before Go's stack runs out. what completes
// the message (" while getting the repr of an object").
func (th *Thread) EnterNested(what string) {
	if th == nil {
		return
	}
	th.Poll() // a value whose parts are shared exponentially takes long to walk
	th.depth++
	if th.depth > th.maxDepth {
		th.depth--
		th.Raise(RecursionErrorClass, "maximum recursion depth exceeded%s", what)
	}
}

// LeaveNested undoes EnterNested. An exception raised in between skips it;
// whoever catches the exception (try, Protect) restores the depth.
func (th *Thread) LeaveNested() {
	if th != nil {
		th.depth--
	}
}

// ---- memory ----

// memoryBudget is the most bytes one request's single allocation may take, and
// how far the heap may grow past its level at the watcher's start (see
// heapCeiling). SetMemoryBudget changes it.
var memoryBudget atomic.Int64

func init() { memoryBudget.Store(DefaultMemoryBudget()) }

// DefaultMemoryBudget is half of the process's soft memory limit (GOMEMLIMIT,
// which deployments set from the container's limit), or 1 GiB when none is set.
func DefaultMemoryBudget() int64 {
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		return l / 2
	}
	return 1 << 30
}

// SetMemoryBudget sets the per-request memory budget in bytes; n <= 0 restores
// the default.
func SetMemoryBudget(n int64) {
	if n <= 0 {
		n = DefaultMemoryBudget()
	}
	memoryBudget.Store(n)
}

// MemoryBudget is the per-request memory budget in bytes.
func MemoryBudget() int64 { return memoryBudget.Load() }

// Reserve raises MemoryError, before anything is allocated, unless count items
// of size bytes each fit in the memory budget and under the heap ceiling.
func (th *Thread) Reserve(count, size int64) {
	budget := memoryBudget.Load()
	if count < 0 || size > 0 && count > budget/size {
		th.Raise(MemoryErrorClass, "")
	}
	if n := count * size; n >= 1<<20 && heapInUse()+uint64(n) > heapCeiling() {
		runtime.GC() // what is over may be garbage
		if heapInUse()+uint64(n) > heapCeiling() {
			th.Raise(MemoryErrorClass, "")
		}
	}
}

// heapCeiling is the heap size past which running Jac code is stopped with
// MemoryError: 90 % of GOMEMLIMIT when one is set, else twice the budget.
func heapCeiling() uint64 {
	if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
		return uint64(l) / 10 * 9
	}
	return 2 * uint64(memoryBudget.Load())
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
var heapSampleMu sync.Mutex

// heapInUse is the bytes held by heap objects, live or not yet swept.
func heapInUse() uint64 {
	heapSampleMu.Lock()
	defer heapSampleMu.Unlock()
	metrics.Read(heapSample)
	if heapSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return heapSample[0].Value.Uint64()
}

// heapPressure is set while the heap is over its ceiling: every thread's next
// Poll raises MemoryError. One request runs at a time under the program lock,
// so the one that grows the heap (a comprehension over range(10**9)) is the one
// stopped.
var heapPressure atomic.Bool

// heapWatchInterval is how often the watcher samples the heap.
const heapWatchInterval = 10 * time.Millisecond

var startHeapWatch sync.Once

// watchHeap samples the heap for the life of the process. When it is over the
// ceiling it collects garbage first, so that only live data trips it (and so
// that the garbage of a stopped request does not keep tripping it).
func watchHeap() {
	for range time.Tick(heapWatchInterval) {
		over := heapInUse() > heapCeiling()
		if over {
			runtime.GC()
			over = heapInUse() > heapCeiling()
		}
		heapPressure.Store(over)
	}
}

// valueSize is the bytes a Value takes in a slice.
const valueSize = 16

// repeatCount is the count of seq * n: OverflowError past the index range, as
// CPython's "cannot fit 'int' into an index-sized integer".
func (th *Thread) repeatCount(n Value) (int64, bool) {
	if _, ok := n.(*BigInt); ok {
		th.Raise(OverflowErrorClass, "cannot fit 'int' into an index-sized integer")
	}
	return asInt64(n)
}

// reserveRepeat checks a repetition of n copies of length items of size
// bytes. tooLong, when set, is CPython's OverflowError past the index range
// (str and bytes); lists and tuples raise MemoryError there.
func (th *Thread) reserveRepeat(length int, n int64, size int64, tooLong string) {
	if length == 0 || n <= 0 {
		return
	}
	if tooLong != "" && n > math.MaxInt64/int64(length) {
		th.Raise(OverflowErrorClass, "%s", tooLong)
	}
	if n > math.MaxInt64/int64(length) {
		th.Raise(MemoryErrorClass, "")
	}
	th.Reserve(int64(length)*n, size)
}

var bigOne = big.NewInt(1)

// shiftCount is the count of x << y or x >> y, checked: ValueError when
// negative, MemoryError when the left shift's result would not fit the budget.
// A right shift past every bit is capped (the result is 0 or -1).
func (th *Thread) shiftCount(x, y *big.Int, left bool) uint {
	if y.Sign() < 0 {
		th.ValueError("negative shift count")
	}
	if !left {
		if !y.IsInt64() || y.Int64() > int64(x.BitLen()) {
			return uint(x.BitLen()) + 1
		}
		return uint(y.Int64())
	}
	if x.Sign() == 0 {
		return 0
	}
	if !y.IsInt64() {
		th.Raise(OverflowErrorClass, "too many digits in integer")
	}
	th.Reserve((int64(x.BitLen())+y.Int64())/8+1, 1)
	return uint(y.Int64())
}

// reservePow checks that x ** y (y >= 0) fits the memory budget before the
// exponentiation runs.
func (th *Thread) reservePow(x, y *big.Int) {
	if x.CmpAbs(bigOne) <= 0 || y.Sign() == 0 {
		return
	}
	if !y.IsInt64() {
		th.Raise(MemoryErrorClass, "")
	}
	bits := new(big.Int).Mul(big.NewInt(int64(x.BitLen())), y)
	if !bits.IsInt64() {
		th.Raise(MemoryErrorClass, "")
	}
	th.Reserve(bits.Int64()/8+1, 1)
}

// specNumber is a width or precision of a format spec, checked against the
// budget (it is the size of the padded result).
func specNumber(th *Thread, digits string) int {
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		th.ValueError("Too many decimal digits in format string")
	}
	th.Reserve(n, 1)
	return int(n)
}

// overHeapCeiling confirms the watcher's verdict for the thread that saw it:
// the heap is still over its ceiling once garbage is collected (the watcher
// may have measured the garbage of a request stopped a moment ago). Either
// way the flag is cleared: the watcher sets it again if live data stays over.
func (th *Thread) overHeapCeiling() bool {
	heapPressure.Store(false)
	runtime.GC()
	return heapInUse() > heapCeiling()
}

// ---- time ----

// threadLimits is a thread's interruption state.
type threadLimits struct {
	stop    *atomic.Bool // set once the thread's context is done
	first   atomic.Bool  // stop's storage for the first context
	unwatch func() bool  // stops watching the context

	// maxStrDigits is sys.set_int_max_str_digits of this thread, when digitsSet.
	maxStrDigits int64
	digitsSet    bool
}

// watchContext arranges for the thread to stop at its next Poll once ctx is
// done: a deadline passed, or the client went away.
func (th *Thread) watchContext(ctx context.Context, stop *atomic.Bool) {
	startHeapWatch.Do(func() { go watchHeap() })
	th.limits.stop = stop
	if ctx.Done() != nil {
		th.limits.unwatch = context.AfterFunc(ctx, func() { stop.Store(true) })
	}
}

// NewUnwatchedThread is NewThread for an embedder that watches ctx itself
// and calls Interrupt once ctx ends: the thread does not (a context.AfterFunc
// per thread costs allocations, and a goroutine when ctx is cancelled).
func NewUnwatchedThread(ctx context.Context, prog *Program, out io.Writer) *Thread {
	th := NewThread(context.Background(), prog, out)
	th.Ctx = ctx
	return th
}

// Interrupt stops the thread at its next Poll, as the end of its context
// would: TimeoutError when its context's Err is context.DeadlineExceeded,
// else CancelledError. Call it after ctx has ended, from any goroutine.
func (th *Thread) Interrupt() { th.limits.stop.Store(true) }

// StopWatching ends the watch of the thread's context: call it when the
// thread's run is over and before its context is cancelled, else the
// cancellation starts a goroutine to set a flag nobody reads any more
// (context.AfterFunc). SetContext watches a new context again.
func (th *Thread) StopWatching() {
	if th.limits.unwatch != nil {
		th.limits.unwatch()
		th.limits.unwatch = nil
	}
}

// SetContext makes ctx the thread's context from now on, for a thread that
// runs again after its first context ended (a reported generator streamed
// step by step, each step under a deadline of its own).
func (th *Thread) SetContext(ctx context.Context) {
	th.StopWatching()
	th.Ctx = ctx
	th.watchContext(ctx, new(atomic.Bool)) // a fresh flag: the old context's late callback sets only its own
}

// Poll raises the pending interruption, if any. It costs two atomic loads, so
// loop back-edges, calls and long builtins call it freely.
func (th *Thread) Poll() {
	if th.limits.stop.Load() || heapPressure.Load() {
		th.interrupted()
	}
}

// interrupted raises what stopped the thread: MemoryError when the heap is over
// its ceiling, TimeoutError past the context's deadline, CancelledError when
// the context was cancelled (the client went away).
func (th *Thread) interrupted() {
	if heapPressure.Load() && th.overHeapCeiling() {
		th.Raise(MemoryErrorClass, "")
	}
	if !th.limits.stop.Load() {
		return
	}
	if errors.Is(th.Ctx.Err(), context.DeadlineExceeded) {
		th.Raise(TimeoutErrorClass, "the request exceeded its time limit")
	}
	th.Raise(CancelledErrorClass, "the request was cancelled")
}

// CancelledErrorClass is asyncio.CancelledError, raised in a thread whose
// context was cancelled. It derives from BaseException, so `except Exception`
// does not swallow it.
var CancelledErrorClass = NewExceptionClass("CancelledError", "asyncio", BaseExceptionClass)

// Sleep waits for d or until the thread's context is done, then polls.
func (th *Thread) Sleep(d time.Duration) {
	if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-th.Ctx.Done():
			t.Stop()
		}
	}
	th.Poll()
}

// ---- tracebacks ----

// maxTracebackChain is how many chained exceptions (raise ... from e, or an
// exception raised while handling another) a traceback shows; a longer chain
// (a loop that re-raises 100,000 times) prints its newest ones.
const maxTracebackChain = 100

// tracebackChain is o and the exceptions it was raised from or while
// handling, newest first, at most maxTracebackChain of them, stopping at a
// cycle; omitted counts the older ones left out.
func tracebackChain(o *Instance) (chain []*Instance, omitted int) {
	seen := map[*Instance]bool{}
	for e := o; e != nil && !seen[e]; e = chainedFrom(e) {
		if len(chain) == maxTracebackChain {
			omitted++
			if omitted > 1_000_000 { // counting is bounded too
				break
			}
			seen[e] = true
			continue
		}
		seen[e] = true
		chain = append(chain, e)
	}
	return chain, omitted
}

// chainedFrom is the exception e was raised from (__cause__) or while handling
// (__context__, unless suppressed).
func chainedFrom(e *Instance) *Instance {
	d := e.excData()
	rare := d.readRare()
	if rare.cause != nil {
		return rare.cause
	}
	if d.context != nil && !rare.suppressContext {
		return d.context
	}
	return nil
}

// ---- int ↔ str ----

// DefaultIntMaxStrDigits is CPython's limit on the decimal digits of an
// int↔str conversion (sys.set_int_max_str_digits); 0 means no limit.
const DefaultIntMaxStrDigits = 4300

// IntMaxStrDigits is sys.get_int_max_str_digits(). CPython's setting is per
// interpreter; here it is per thread (one request), so that no request lifts
// the limit for the others.
func (th *Thread) IntMaxStrDigits() int64 {
	if th != nil && th.limits.digitsSet {
		return th.limits.maxStrDigits
	}
	return DefaultIntMaxStrDigits
}

// SetIntMaxStrDigits is sys.set_int_max_str_digits(n).
func (th *Thread) SetIntMaxStrDigits(n int64) {
	if n != 0 && n < 640 {
		th.ValueError("maxdigits must be 0 or larger than 640")
	}
	th.limits.maxStrDigits, th.limits.digitsSet = n, true
}

const intToStrLimitMsg = "Exceeds the limit (%d digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"

// checkIntToStr raises ValueError when a decimal int of about bits binary
// digits is over the limit, before the (quadratic) conversion runs.
func (th *Thread) checkIntToStr(bits int) {
	limit := th.IntMaxStrDigits()
	// bits·log10(2) underestimates the digits by less than one
	if limit > 0 && float64(bits-1)*math.Log10(2) >= float64(limit) {
		th.ValueError(intToStrLimitMsg, limit)
	}
}

// checkStrToInt raises ValueError when a decimal literal of digits digits is
// over the limit.
func (th *Thread) checkStrToInt(digits int) {
	if limit := th.IntMaxStrDigits(); limit > 0 && int64(digits) > limit {
		th.ValueError("Exceeds the limit (%d digits) for integer string conversion: value has %d digits; use sys.set_int_max_str_digits() to increase the limit", limit, digits)
	}
}

// BigIntString is str(v) of a big int under the digit limit.
func BigIntString(th *Thread, v *BigInt) string {
	th.checkIntToStr(v.v.BitLen())
	s := v.v.String()
	digits := len(s)
	if v.v.Sign() < 0 {
		digits--
	}
	if limit := th.IntMaxStrDigits(); limit > 0 && int64(digits) > limit {
		th.ValueError(intToStrLimitMsg, limit)
	}
	return s
}
