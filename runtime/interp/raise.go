package interp

import (
	"slices"

	"github.com/jacscale/jac/runtime/syntax"
)

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
// together with its instMore and excInfo: one allocation instead of three (four
// with a one-element args tuple, which setArgs keeps in excInfo.inline).
func newExcInstance(cls *Class) *Instance {
	x := new(struct {
		o Instance
		m instMore
		d excInfo
	})
	x.o.cls = cls
	x.d.args = EmptyTuple
	x.m.exc = &x.d
	x.o.more = &x.m
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

// Statement values that raise without a panic.
//
// A statement's value (stmtValue) may be raisedValue instead of a panic when it
// is a call or a dict subscript, and the same holds inside it for the parts
// whose value the statement's value is made of: the positional arguments and
// the receiver of such a call (`x = f(g(y))`, `n += len(parse(s))`,
// `v = load(k).strip()`), the operands of arithmetic (`t += f(a) + g(b)`), the
// items of a tuple or list (`return (k, int(v))`) and the branches of a
// conditional expression (`x = f(a) if c else 0`). Each of these evaluates its
// parts in order and, when one is raisedValue, stops there and hands it on, as
// Python stops evaluating at the exception. Only trees that contain a call are
// compiled this way: arithmetic without one keeps its unboxed paths
// (numeric.go). Everything else raises as any expression does, by a panic.

// stmtValue compiles the value of a statement; the statement must check for
// raisedValue at once.
func (c *compiler) stmtValue(e syntax.Expr) exprFn {
	switch x := e.(type) {
	case *syntax.Call:
		return c.compileCall(x, callMode{mayRaise: true})
	case *syntax.Index:
		if !x.NullSafe {
			return c.stmtIndex(x)
		}
	case *syntax.Binary:
		if rawArithOp(x.Op) && hasCall(x) {
			if fn := c.strChain(x); fn != nil {
				return fn
			}
			return c.raisingBinary(x)
		}
	case *syntax.TupleExpr:
		if hasCall(x) {
			return c.raisingSeq(x.Elts, func(v []Value) Value { return Tuple(v) })
		}
	case *syntax.ListExpr:
		if hasCall(x) {
			return c.raisingSeq(x.Elts, func(v []Value) Value { return newListOf(v) })
		}
	case *syntax.IfExpr:
		if hasCall(x) {
			return ifValue(c.cond(x.Cond), c.stmtValue(x.Then), c.stmtValue(x.Else))
		}
	}
	return c.expr(e)
}

// hasCall reports whether e is a call, or holds one where stmtValue takes
// raisedValue from it.
func hasCall(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Call:
		return true
	case *syntax.Binary:
		return rawArithOp(x.Op) && (hasCall(x.X) || hasCall(x.Y))
	case *syntax.TupleExpr:
		return plainItems(x.Elts) && slices.ContainsFunc(x.Elts, hasCall)
	case *syntax.ListExpr:
		return plainItems(x.Elts) && slices.ContainsFunc(x.Elts, hasCall)
	case *syntax.IfExpr:
		return hasCall(x.Then) || hasCall(x.Else)
	}
	return false
}

// plainItems reports whether no item of a tuple or list display is starred.
func plainItems(elts []syntax.Expr) bool {
	for _, e := range elts {
		if _, ok := e.(*syntax.Starred); ok {
			return false
		}
	}
	return true
}

// raisingArgs compiles the arguments of a statement's call with stmtValue when
// they are plain positional ones and one of them holds a call; ok is false
// otherwise (the call compiles its arguments as usual).
func (c *compiler) raisingArgs(args []syntax.Arg) (fns []exprFn, ok bool) {
	if len(args) > maxStackArgs {
		return nil, false
	}
	for _, a := range args {
		if a.Star != 0 || a.Name != "" {
			return nil, false
		}
		ok = ok || hasCall(a.Value)
	}
	if !ok {
		return nil, false
	}
	fns = make([]exprFn, len(args))
	for i, a := range args {
		fns[i] = c.stmtValue(a.Value)
	}
	return fns, true
}

// abandonCall gives back the frame of a call that will not run because one of
// its arguments, v, is raisedValue, and returns v.
func (th *Thread) abandonCall(callee *Frame, v Value) Value {
	if !callee.code.NoRecycle {
		th.recycle(callee)
	}
	return v
}

// raisingBinary is x.X op x.Y for an arithmetic op whose operands may be
// raisedValue: the right operand is not evaluated when the left one raised.
func (c *compiler) raisingBinary(x *syntax.Binary) exprFn {
	a, b := c.stmtValue(x.X), c.stmtValue(x.Y)
	op, pos := x.Op, x.P
	return func(fr *Frame) Value {
		l := a(fr)
		if isRaised(l) {
			return l
		}
		r := b(fr)
		if isRaised(r) {
			return r
		}
		fr.pos = pos
		return binaryValues(fr.th, op, l, r)
	}
}

// raisingSeq builds a tuple or list display whose items may be raisedValue.
func (c *compiler) raisingSeq(elts []syntax.Expr, mk func([]Value) Value) exprFn {
	fns := make([]exprFn, len(elts))
	for i, e := range elts {
		fns[i] = c.stmtValue(e)
	}
	return func(fr *Frame) Value {
		vals := make([]Value, len(fns))
		for i, f := range fns {
			if vals[i] = f(fr); isRaised(vals[i]) {
				return vals[i]
			}
		}
		return mk(vals)
	}
}
