package interp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

// Thread is one flow of Jac execution: a `jac run`, or one HTTP request. It is not
// safe for concurrent use; the Program lock serializes threads that share a program.
type Thread struct {
	Ctx      context.Context
	Prog     *Program
	Out      *bufio.Writer // print() and report output
	frame    *Frame
	depth    int
	maxDepth int         // the depth at which a call raises RecursionError (recursion.go)
	handled  []*Instance // exceptions being handled (for bare raise and __context__)
	pending  *Instance   // the exception a statement returned ctrlRaise for (raise.go)

	// Object-spatial state.
	Root         *Instance    // the current user's root node
	walkers      []*walkState // running spawns, innermost last
	walkStack    []Value      // the emptied location stack of the last finished walk, for the next
	walkQueue    []Value      // the emptied queue of the last finished walk, for the next
	refBufs      [][]Value    // emptied result buffers of edge references, for reuse (edgeref.go)
	reports      *List        // reports of the outermost spawn
	PrintReports bool         // `jac run` prints each report
	Graph        *Graph       // the graph of this run / request

	framePool  []*Frame // finished frames of plain calls, reused: [:freeFrames] are free
	freeFrames int
	concatBuf  []byte    // the buffer of the last long str concatenation (concatStr)
	strCur     strCursor // the last long str indexed (strindex.go)
	argStack   []Value   // arguments lent to core methods (callBorrowing)

	loop *eventLoop // asyncio's loop, once one runs
	task *Task      // the asyncio task running now

	// Warnings lists permission denials (returned in data.warnings by the server).
	Warnings []string

	// Visits counts the locations walkers arrived at (the server's traces
	// report it per walker run).
	Visits int

	// Locals is free storage for embedders (the server keeps request data here).
	Locals map[string]any

	limits threadLimits // interruption by the context (limits.go)
}

// NewThread creates a thread writing to out.
func NewThread(ctx context.Context, prog *Program, out io.Writer) *Thread {
	if ctx == nil {
		ctx = context.Background()
	}
	bw, ok := out.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriter(out)
	}
	th := &Thread{Ctx: ctx, Prog: prog, Out: bw, maxDepth: DefaultRecursionLimit}
	if prog != nil {
		th.maxDepth = prog.effectiveDepth()
	}
	th.watchContext(ctx, &th.limits.first)
	return th
}

// Frame is the activation of a function, ability or module body.
type Frame struct {
	th     *Thread
	fn     *Function
	code   *Code
	parent *Frame
	locals []Value
	cells  []*Cell // closure cells of the running function
	pos    syntax.Pos
	ret    Value
	gen    *generator // non-nil while running a generator body
	small  [6]Value
}

// The frame pool is written to sparingly: while the GC marks, every pointer
// store into a heap object costs a write barrier, and a call used to make about
// fifteen of them just to take, set up and give back its frame. A pooled frame
// keeps its function, code and cells (set again only when the next call is of
// another function: a recursion or a loop calling one function writes none),
// and the pool keeps its slots when frames are taken (framePool[:freeFrames]
// are the free ones), so giving a frame back to the slot it came from writes
// nothing.

func (th *Thread) newFrame(fn *Function, code *Code) *Frame {
	if n, nl := th.freeFrames, code.NLocals; n > 0 && nl <= len(Frame{}.small) && fn != nil {
		fr := th.framePool[n-1] // the common case, small enough to inline
		th.freeFrames = n - 1
		if fr.fn != fn || fr.th != th { // a generator's frame may come from another thread
			fr.setFunc(th, fn, code)
		}
		if len(fr.locals) != nl {
			fr.locals = fr.small[:nl:nl]
		}
		return fr
	}
	return th.newFrameSlow(fn, code)
}

// setFunc makes a pooled frame one of fn (code is fn's code, or the module's
// when fn is nil).
func (fr *Frame) setFunc(th *Thread, fn *Function, code *Code) {
	if fr.th != th {
		fr.th = th
	}
	fr.fn, fr.code = fn, code
	if fn != nil {
		fr.cells = fn.closure
	} else if fr.cells != nil {
		fr.cells = nil
	}
}

func (th *Thread) newFrameSlow(fn *Function, code *Code) *Frame {
	var fr *Frame
	if n := th.freeFrames; n > 0 && code.NLocals <= len(th.framePool[n-1].small) {
		fr = th.framePool[n-1]
		th.freeFrames = n - 1
		fr.setFunc(th, fn, code)
	} else {
		fr = &Frame{th: th, fn: fn, code: code}
		if fn != nil {
			fr.cells = fn.closure
		}
	}
	if n := code.NLocals; n <= len(fr.small) {
		fr.locals = fr.small[:n:n]
	} else {
		fr.locals = make([]Value, n)
	}
	return fr
}

// push makes fr the current frame.
func (th *Thread) push(fr *Frame) {
	th.Poll()
	th.depth++
	if th.depth > th.maxDepth {
		th.recursionLimit()
	}
	fr.parent = th.frame
	th.frame = fr
}

func (th *Thread) recursionLimit() {
	th.depth--
	panic(th.newExc(RecursionErrorClass, "maximum recursion depth exceeded"))
}

func (th *Thread) pop(fr *Frame) {
	th.depth--
	th.frame = fr.parent
}

// maxPooledFrames bounds a thread's frame pool: as deep as the recursion limit, so
// that deep recursion (a walk down a list, mutual recursion) reuses its frames too
// (at most ~200 KB per thread).
const maxPooledFrames = DefaultRecursionLimit

// recycle returns a finished frame of a plain (non-generator) call to the pool.
func (th *Thread) recycle(fr *Frame) {
	n := th.freeFrames
	if len(fr.locals) > len(fr.small) || n >= maxPooledFrames {
		return
	}
	// Only what the next call reads before setting it: the locals it used (so
	// the pool keeps no value alive), the result and the generator. One store
	// per slot, not a range loop: the compiler turns that into
	// memclrHasPointers, whose bulk write barrier looks up the frame's heap
	// bitmap on every call while the GC marks.
	locals := fr.locals
	for i := 0; i < len(locals); i++ {
		locals[i] = nil
	}
	if fr.ret != nil {
		fr.ret = nil
	}
	if fr.gen != nil {
		fr.gen = nil
	}
	fr.pos = syntax.Pos{}
	if n < len(th.framePool) {
		if th.framePool[n] != fr {
			th.framePool[n] = fr
		}
	} else {
		th.framePool = append(th.framePool, fr)
	}
	th.freeFrames = n + 1
}

// TraceEntry is one line of a Jac traceback: a frame's code (nil for module
// code) and the position it had reached. It points at the compiled Code rather
// than copying its names, so a traceback costs 16 bytes a frame.
type TraceEntry struct {
	code *Code
	Pos  syntax.Pos
}

// File is the file of the entry's code.
func (t TraceEntry) File() string {
	if t.code == nil {
		return ""
	}
	return t.code.File
}

// Func is the name of the entry's function, "<module>" for module code.
func (t TraceEntry) Func() string {
	if t.code == nil {
		return "<module>"
	}
	return t.code.Name
}

func (t TraceEntry) String() string {
	return fmt.Sprintf("  File \"%s\", line %d, col %d, in %s", t.File(), t.Pos.Line, t.Pos.Col, t.Func())
}

// stack captures the current Jac call stack, outermost first.
func (th *Thread) stack() []TraceEntry {
	n := 0
	for fr := th.frame; fr != nil; fr = fr.parent {
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]TraceEntry, n)
	for fr := th.frame; fr != nil; fr = fr.parent {
		n--
		out[n] = TraceEntry{code: fr.code, Pos: fr.pos}
	}
	return out
}

// excInfo holds what an exception carries beyond its fields.
type excInfo struct {
	args    Tuple
	context *Instance
	trace   []TraceEntry
	rare    *excRare // nil for most exceptions
	inline  [1]Value // the args of a one-argument exception (setArgs)
}

// excRare holds what few exceptions carry, apart so that an exception raised and
// caught in a loop is a smaller object.
type excRare struct {
	filename        Value     // OSError.filename
	cause           *Instance // raise ... from
	suppressContext bool
	notes           []string // add_note
}

// noRare is the excRare of an exception without one; never written.
var noRare excRare

// readRare returns d's rare fields for reading.
func (d *excInfo) readRare() *excRare {
	if d.rare == nil {
		return &noRare
	}
	return d.rare
}

// writeRare returns d's rare fields for writing, allocating them.
func (d *excInfo) writeRare() *excRare {
	if d.rare == nil {
		d.rare = &excRare{}
	}
	return d.rare
}

// Exception is the Go error form of a Jac exception that escaped to Go code.
type Exception struct {
	Value *Instance
}

func (e *Exception) Error() string { return e.Value.exceptionLine(nil) }

// Traceback renders the Python-style traceback of the exception.
func (e *Exception) Traceback() string { return e.Value.Traceback(nil) }

// Type is the exception's class name.
func (e *Exception) Type() string { return e.Value.cls.Name }

// Message is str() of the exception.
func (e *Exception) Message() string { return exceptionStr(nil, e.Value) }

// ExcValue returns the exception instance.
func (e *Exception) ExcValue() *Instance { return e.Value }

func (o *Instance) excData() *excInfo {
	if o.more == nil {
		x := new(struct { // an exception's more and details in one block
			m instMore
			e excInfo
		})
		x.e.args = EmptyTuple
		x.m.exc = &x.e
		o.more = &x.m
	} else if o.more.exc == nil {
		o.more.exc = &excInfo{args: EmptyTuple}
	}
	return o.more.exc
}

// newExc creates an exception instance with one message argument.
func (th *Thread) newExc(cls *Class, msg string) *Instance {
	o := NewInstance(cls)
	o.excData().setArgs1(Str(msg))
	if th != nil {
		o.more.exc.trace = th.stack()
	}
	return o
}

// Raise panics with a new exception of cls.
func (th *Thread) Raise(cls *Class, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	panic(th.newExc(cls, msg))
}

// RaiseValue raises an exception instance (or class), recording the traceback and context.
func (th *Thread) RaiseValue(exc *Instance) {
	th.prepareRaise(exc)
	panic(exc)
}

// Errors frequently raised by the runtime.
func (th *Thread) TypeError(format string, args ...any)  { th.Raise(TypeErrorClass, format, args...) }
func (th *Thread) ValueError(format string, args ...any) { th.Raise(ValueErrorClass, format, args...) }

// Traceback renders "Traceback (most recent call last): ..." followed by the
// exception line, with its causes first as Python prints them. A chain of more
// than maxTracebackChain exceptions (or a cycle of them) is cut (limits.go).
func (o *Instance) Traceback(th *Thread) string {
	var b strings.Builder
	chain, omitted := tracebackChain(o)
	if omitted > 0 {
		fmt.Fprintf(&b, "[%d earlier chained exceptions omitted]\n\n", omitted)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		e := chain[i]
		d := e.excData()
		b.WriteString("Traceback (most recent call last):\n")
		for _, t := range d.trace {
			b.WriteString(t.String())
			b.WriteByte('\n')
		}
		b.WriteString(e.exceptionLine(th))
		b.WriteByte('\n')
		if i > 0 {
			if d := chain[i-1].excData(); d.readRare().cause == e {
				b.WriteString("\nThe above exception was the direct cause of the following exception:\n\n")
			} else {
				b.WriteString("\nDuring handling of the above exception, another exception occurred:\n\n")
			}
		}
	}
	return b.String()
}

func (o *Instance) exceptionLine(th *Thread) string {
	msg := exceptionStr(th, o)
	if msg == "" {
		return o.cls.Name
	}
	return o.cls.Name + ": " + msg
}

// TracebackEntries returns the frames recorded when the exception was raised.
func (o *Instance) TracebackEntries() []TraceEntry { return o.excData().trace }

// catch converts a recovered panic value to a Jac exception. Go runtime errors (an
// interpreter bug) become SystemError so that no Go panic ever reaches the user.
func (th *Thread) catch(r any) *Instance {
	switch e := r.(type) {
	case *Instance:
		return e
	case *Exception:
		return e.Value
	case genExit, consumerPanic:
		panic(r)
	case error:
		traceInternal(r)
		return th.newExc(SystemErrorClass, "internal error: "+e.Error())
	default:
		traceInternal(r)
		return th.newExc(SystemErrorClass, fmt.Sprintf("internal error: %v", r))
	}
}

// traceInternal prints the Go stack of an interpreter bug to stderr when
// JAC_INTERNAL_TRACE is set (for whoever is fixing it).
func traceInternal(r any) {
	if os.Getenv("JAC_INTERNAL_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "jac internal error: %v\n%s", r, debug.Stack())
	}
}

// Protect runs fn, converting a Jac exception (or an internal panic) into an *Exception.
func (th *Thread) Protect(fn func()) (err error) {
	saved, depth := th.frame, th.depth
	defer func() {
		if r := recover(); r != nil {
			exc := th.catch(r)
			th.frame, th.depth = saved, depth
			err = &Exception{Value: exc}
		}
	}()
	fn()
	return nil
}

// Print writes s to the thread's output.
func (th *Thread) Print(s string) {
	th.Out.WriteString(s)
}
