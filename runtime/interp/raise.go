package interp

// Raising without a Go panic.
//
// A Go panic costs an unwind of every Go frame between the panic and the recover,
// and a closure compiler has many frames per Jac statement. So an exception raised
// by a statement travels as a control value instead: the statement sets it pending
// on the thread and returns ctrlRaise, which blocks and loops pass up like a
// return, until a try statement in the same function takes it or the function
// body ends. A call made directly by a statement (`f(x)`, `y = f(x)`,
// `n += f(x)`, `return f(x)`) hands the callee's pending exception on to the
// caller's statement the same way, so a raise in a callee caught by its caller's
// try never panics; so does a statement's dict subscript (`v = d[k]`) for a
// missing key. Everywhere else (a raise from inside an expression, a builtin,
// a callee whose value feeds a larger expression) the exception becomes a panic,
// recovered by the nearest try (protect).

// raiseMarker is the type of raisedValue.
type raiseMarker struct{}

func (*raiseMarker) Class() *Class { return ObjectClass }

// raisedValue is what an invoke* call returns when the callee's body ended with an
// exception pending on the thread. It never escapes the statement that made the
// call: the statement checks for it at once (isRaised) and returns ctrlRaise.
var raisedValue Value = &raiseMarker{}

// isRaised reports whether v is raisedValue.
func isRaised(v Value) bool {
	_, ok := v.(*raiseMarker)
	return ok
}

// setPending makes exc the thread's pending exception and returns ctrlRaise.
func (th *Thread) setPending(exc *Instance) ctrl {
	th.pending = exc
	return ctrlRaise
}

// takePending removes and returns the pending exception.
func (th *Thread) takePending() *Instance {
	exc := th.pending
	th.pending = nil
	return exc
}

// throwPending turns the pending exception into a panic, for a caller that cannot
// return a control value (an expression).
func (th *Thread) throwPending() {
	panic(th.takePending())
}

// valueOrThrow returns v, first panicking with the pending exception when v is
// raisedValue.
func (th *Thread) valueOrThrow(v Value) Value {
	if isRaised(v) {
		th.throwPending()
	}
	return v
}

// prepareRaise records where exc is raised (its traceback) unless it already
// has one, and the exception being handled as its context.
func (th *Thread) prepareRaise(exc *Instance) {
	d := exc.excData()
	if d.trace == nil {
		d.trace = th.stack()
	}
	if n := len(th.handled); n > 0 && d.context == nil && th.handled[n-1] != exc {
		d.context = th.handled[n-1]
	}
}

// newExcInstance makes an instance of an exception class without fields
// together with its excInfo: one allocation instead of two (three with a
// one-element args tuple, which setArgs keeps in excInfo.inline).
func newExcInstance(cls *Class) *Instance {
	x := new(struct {
		o Instance
		d excInfo
	})
	x.o.cls = cls
	x.d.args = EmptyTuple
	x.o.exc = &x.d
	return &x.o
}

// setArgs sets the exception's args to a copy of args: a single argument is
// kept in place.
func (d *excInfo) setArgs(args []Value) {
	switch len(args) {
	case 0:
		d.args = EmptyTuple
	case 1:
		d.setArgs1(args[0])
	default:
		d.args = append(Tuple(nil), args...)
	}
}

// setArgs1 sets the exception's args to (v,).
func (d *excInfo) setArgs1(v Value) {
	d.inline[0] = v
	d.args = d.inline[:1:1]
}
