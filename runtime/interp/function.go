package interp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

// Code is a compiled function body with its parameter layout.
type Code struct {
	Name          string
	QualName      string
	File          string
	Pos           syntax.Pos
	Params        []string // positional-or-keyword params (incl. positional-only), then keyword-only
	NPos          int      // number of positional params
	PosOnly       int      // leading positional-only params
	NKwOnly       int
	VarArgs       int // slot of *args or -1
	KwArgs        int // slot of **kwargs or -1
	NLocals       int
	LocalNames    []string // slot → name of the function's own locals (locals(), eval)
	CellSlots     []int    // locals that live in cells (made at entry; params are wrapped)
	ParamTypes    []syntax.Expr
	ParamDefaults []syntax.Expr
	Body          stmtFn
	IsGen         bool
	Resume        *resumable // the generator body as a resumable statement, or nil (resume.go)
	IsAsync       bool
	NoRecycle     bool // keep the frame after the call (something refers to it)
	// fastCall: a call binds exactly NPos positional arguments by storing them
	// in the first slots of a pooled frame (no *args, **kwargs, keyword-only
	// parameters, generator or coroutine; the locals fit Frame.small). Call
	// sites then evaluate their arguments straight into the callee's frame.
	fastCall bool
	// retExpr, when set, is the whole body: `return retExpr` (a lambda, or a
	// def whose body is one return statement), evaluated at retPos.
	retExpr exprFn
	retPos  syntax.Pos
	Doc     string
	Access  string
	Decl    *syntax.FuncDef
}

// Function is a Jac function or method (or lambda).
type Function struct {
	code        *Code
	defaults    []Value // for the last len(defaults) positional params
	kwDefaults  map[string]Value
	closure     []*Cell
	module      *Module
	attrs       []attrKV
	Owner       *Class  // the archetype that declared it (methods, abilities)
	annotations []Value // evaluated parameter annotations of module-level functions
	Decorators  []Value
	RestSpec    Value
}

func (*Function) Class() *Class { return FunctionClass }

// Name is the function's name.
func (f *Function) Name() string { return f.code.Name }

// Code returns the compiled code.
func (f *Function) Code() *Code { return f.code }

// Module returns the module the function was defined in.
func (f *Function) Module() *Module { return f.module }

// Defaults returns the default values of the trailing positional parameters.
func (f *Function) Defaults() []Value { return f.defaults }

// KwDefaults returns the defaults of keyword-only parameters.
func (f *Function) KwDefaults() map[string]Value { return f.kwDefaults }

// Builtin is a function implemented in Go. With Method set it is a method whose
// receiver is Self (bound) or the first argument (unbound).
type Builtin struct {
	Name   string
	Fn     func(th *Thread, args []Value, kw []KV) Value
	Method func(th *Thread, self Value, args []Value, kw []KV) Value
	Self   Value
	// borrowsArgs: the method only reads its argument slice during the call, so a
	// caller may pass a slice it reuses (the core types' methods, see method).
	borrowsArgs bool
	// fast1, fast2: optional fixed-arity entries of a built-in method for one or
	// two positional arguments (methods_zfast.go), called by a method call site
	// without an argument slice. They return nil when they do not handle the
	// receiver or arguments, and the site then calls Method as before.
	fast1 func(th *Thread, self, a Value) Value
	fast2 func(th *Thread, self, a, b Value) Value
}

func (*Builtin) Class() *Class { return BuiltinFunctionClass }

// NewBuiltin wraps a Go function.
func NewBuiltin(name string, fn func(th *Thread, args []Value, kw []KV) Value) *Builtin {
	return &Builtin{Name: name, Fn: fn}
}

// BoundMethod is a function bound to a receiver.
type BoundMethod struct {
	Self Value
	Fn   Value
}

func (*BoundMethod) Class() *Class { return MethodClass }

// StaticMethod wraps a function so that attribute access does not bind it.
type StaticMethod struct{ Fn Value }

func (*StaticMethod) Class() *Class { return StaticMethodClass }

// ClassMethod binds to the class instead of the instance.
type ClassMethod struct{ Fn Value }

func (*ClassMethod) Class() *Class { return ClassMethodClass }

// Property is a computed attribute.
type Property struct{ Get, Set Value }

func (*Property) Class() *Class { return PropertyClass }

// AttrJac gives a property's accessors (fget, fset) and its setter/getter
// decorators, each returning a new property: `@balance.setter`.
func (p *Property) AttrJac(th *Thread, name string) (Value, bool) {
	orNone := func(v Value) Value {
		if v == nil {
			return None
		}
		return v
	}
	with := func(get, set Value) Value {
		return &Builtin{Name: name, Fn: func(th *Thread, args []Value, kw []KV) Value {
			checkArgs(th, name, args, 1, 1)
			np := &Property{Get: get, Set: set}
			if name == "setter" {
				np.Set = args[0]
			} else {
				np.Get = args[0]
			}
			return np
		}}
	}
	switch name {
	case "fget":
		return orNone(p.Get), true
	case "fset":
		return orNone(p.Set), true
	case "setter", "getter":
		return with(p.Get, p.Set), true
	}
	return nil, false
}

// Call calls any callable value.
func (th *Thread) Call(fn Value, args []Value, kw []KV) Value {
	switch f := fn.(type) {
	case *Function:
		return f.call(th, nil, args, kw)
	case *Builtin:
		if f.Method != nil {
			if f.Self != nil {
				return f.Method(th, f.Self, args, kw)
			}
			if len(args) == 0 {
				th.TypeError("unbound method %s() needs an argument", f.Name)
			}
			return f.Method(th, args[0], args[1:], kw)
		}
		return f.Fn(th, args, kw)
	case *BoundMethod:
		if uf, ok := f.Fn.(*Function); ok {
			return uf.call(th, f.Self, args, kw)
		}
		all := make([]Value, 0, len(args)+1)
		all = append(all, f.Self)
		all = append(all, args...)
		return th.Call(f.Fn, all, kw)
	case *Class:
		return th.construct(f, args, kw)
	case *GenericAlias:
		return th.Call(f.Origin, args, kw) // list[int](...), Result[int, E](...)
	case *StaticMethod:
		return th.Call(f.Fn, args, kw)
	case *Instance:
		if m, _ := f.cls.Lookup("__call__"); m != nil {
			return th.callMethod(f, m, args, kw)
		}
	case Caller:
		return f.CallJac(th, args, kw)
	}
	th.TypeError("'%s' object is not callable", TypeName(fn))
	return nil
}

// Caller is implemented by library values that can be called.
type Caller interface {
	CallJac(th *Thread, args []Value, kw []KV) Value
}

// callMethod calls a class attribute m as a method of self.
func (th *Thread) callMethod(self Value, m Value, args []Value, kw []KV) Value {
	switch f := m.(type) {
	case *Function:
		return f.call(th, self, args, kw)
	case *Builtin:
		if f.Method != nil {
			return f.Method(th, self, args, kw)
		}
		return f.Fn(th, args, kw)
	case *StaticMethod:
		return th.Call(f.Fn, args, kw)
	case *ClassMethod:
		return th.Call(&BoundMethod{Self: self.Class(), Fn: f.Fn}, args, kw)
	}
	return th.Call(bindAttr(self, m), args, kw)
}

// CallMethod looks up name on v's class and calls it (ok false when missing).
func (th *Thread) CallMethod(v Value, name string, args ...Value) (Value, bool) {
	m, _ := v.Class().Lookup(name)
	if m == nil {
		return nil, false
	}
	return th.callMethod(v, m, args, nil), true
}

// call runs a Jac function. self, when non-nil, is bound to the first parameter.
func (f *Function) call(th *Thread, self Value, args []Value, kw []KV) Value {
	c := f.code
	fr := th.newFrame(f, c)
	f.bind(th, fr, self, args, kw)
	if c.IsGen {
		return newGenerator(th, fr)
	}
	if c.IsAsync {
		return &Coroutine{th: th, fr: fr}
	}
	r := th.runFrame(fr)
	if !c.NoRecycle {
		th.recycle(fr)
	}
	return r
}

// callPositional runs f with positional arguments only (self first when bound).
// args is only read, never kept, so callers may pass a buffer on their own stack:
// the common call `f(a, b)` then allocates neither an argument slice nor (with the
// frame pool) a frame.
func (f *Function) callPositional(th *Thread, self Value, args []Value) Value {
	return th.valueOrThrow(f.invokePositional(th, self, args))
}

// invokePositional is callPositional for a caller that is a statement: when the
// body ends with an exception pending, it returns raisedValue (raise.go).
func (f *Function) invokePositional(th *Thread, self Value, args []Value) Value {
	c := f.code
	i := 0
	if self != nil {
		i = 1
	}
	if c.IsGen && c.VarArgs < 0 && c.KwArgs < 0 && c.NKwOnly == 0 && len(args)+i == c.NPos {
		return f.startGenerator(th, self, args)
	}
	if !c.fastCall || len(args)+i != c.NPos {
		return f.call(th, self, slices.Clone(args), nil)
	}
	fr := th.newFrame(f, c)
	locals := fr.locals[:len(args)+i]
	if self != nil {
		locals[0] = self
	}
	for j, a := range args { // a few words: cheaper than typedslicecopy's call
		locals[i+j] = a
	}
	return th.invokeFast(fr)
}

// fastCallOf returns f as a Jac function whose calls with n positional
// arguments (self included) take the fast path: the caller takes the frame
// (Thread.newFrame), stores the arguments in its first n slots and runs it
// with invokeFast.
func fastCallOf(f Value, n int) (*Function, bool) {
	uf, ok := f.(*Function)
	return uf, ok && uf.code.fastCall && uf.code.NPos == n
}

// invokeFast runs the frame of a fastCall code whose arguments are in place.
// Like invokePositional, it returns raisedValue when the body ends with an
// exception pending.
func (th *Thread) invokeFast(fr *Frame) Value {
	c := fr.code
	if len(c.CellSlots) > 0 {
		fr.fn.makeCells(fr)
	}
	// push and pop, written out: this is the path of nearly every Jac call.
	th.Poll()
	th.depth++
	if th.depth > th.maxDepth {
		th.recursionLimit()
	}
	if fr.parent != th.frame { // a pooled frame often had this parent last time
		fr.parent = th.frame
	}
	th.frame = fr
	var r Value
	if c.retExpr != nil {
		fr.pos = c.retPos
		r = c.retExpr(fr)
	} else if c.Body(fr) == ctrlRaise {
		r = raisedValue
	} else if r = fr.ret; r == nil {
		r = None
	}
	th.depth--
	th.frame = fr.parent
	if !c.NoRecycle {
		th.recycle(fr)
	}
	return r
}

// runFrame executes a prepared frame and returns its result.
func (th *Thread) runFrame(fr *Frame) Value {
	return th.valueOrThrow(th.invokeFrame(fr))
}

// invokeFrame is runFrame that returns raisedValue when the body ends with an
// exception pending.
func (th *Thread) invokeFrame(fr *Frame) Value {
	th.push(fr)
	r := fr.code.Body(fr)
	th.pop(fr)
	if r == ctrlRaise {
		return raisedValue
	}
	if fr.ret == nil {
		return None
	}
	return fr.ret
}

func (f *Function) bind(th *Thread, fr *Frame, self Value, args []Value, kw []KV) {
	c := f.code
	locals := fr.locals
	np := c.NPos
	i := 0
	if self != nil {
		if np == 0 && c.VarArgs < 0 {
			th.TypeError("%s() takes 0 positional arguments but %d were given", c.Name, len(args)+1)
		}
		if np > 0 {
			locals[0] = self
			i = 1
		} else {
			args = append([]Value{self}, args...)
		}
	}
	// Fast path: exactly the positional parameters.
	if len(kw) == 0 && c.VarArgs < 0 && c.KwArgs < 0 && c.NKwOnly == 0 && len(args)+i == np {
		copy(locals[i:], args)
		f.makeCells(fr)
		return
	}
	n := len(args)
	if n > np-i {
		n = np - i
	}
	copy(locals[i:], args[:n])
	if extra := args[n:]; len(extra) > 0 {
		if c.VarArgs < 0 {
			th.TypeError("%s() takes %d positional argument%s but %d were given", c.Name, np, plural(np), len(args)+i)
		}
		locals[c.VarArgs] = append(Tuple(nil), extra...)
	} else if c.VarArgs >= 0 {
		locals[c.VarArgs] = EmptyTuple
	}
	var kwDict *Dict
	if c.KwArgs >= 0 {
		kwDict = NewDict()
		locals[c.KwArgs] = kwDict
	}
	for _, a := range kw {
		slot := -1
		for j := c.PosOnly; j < len(c.Params); j++ {
			if c.Params[j] == a.Name {
				slot = j
				break
			}
		}
		if slot < 0 {
			if kwDict == nil {
				th.TypeError("%s() got an unexpected keyword argument '%s'", c.Name, a.Name)
			}
			kwDict.SetStr(a.Name, a.Value)
			continue
		}
		if locals[slot] != nil {
			th.TypeError("%s() got multiple values for argument '%s'", c.Name, a.Name)
		}
		locals[slot] = a.Value
	}
	// Defaults and missing arguments.
	firstDefault := np - len(f.defaults)
	var missing []string
	for j := 0; j < np; j++ {
		if locals[j] != nil {
			continue
		}
		if j >= firstDefault {
			locals[j] = f.defaults[j-firstDefault]
		} else {
			missing = append(missing, c.Params[j])
		}
	}
	if len(missing) > 0 {
		th.TypeError("%s() missing %d required positional argument%s: %s", c.Name, len(missing), plural(len(missing)), quoteList(missing))
	}
	for j := np; j < np+c.NKwOnly; j++ {
		if locals[j] != nil {
			continue
		}
		if d, ok := f.kwDefaults[c.Params[j]]; ok {
			locals[j] = d
		} else {
			missing = append(missing, c.Params[j])
		}
	}
	if len(missing) > 0 {
		th.TypeError("%s() missing %d required keyword-only argument%s: %s", c.Name, len(missing), plural(len(missing)), quoteList(missing))
	}
	f.makeCells(fr)
}

func (f *Function) makeCells(fr *Frame) {
	for _, s := range f.code.CellSlots {
		fr.locals[s] = &Cell{V: fr.locals[s]}
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	switch len(q) {
	case 1:
		return q[0]
	case 2:
		return q[0] + " and " + q[1]
	}
	return strings.Join(q[:len(q)-1], ", ") + ", and " + q[len(q)-1]
}

// Coroutine is the value of calling an async function; awaiting it runs the body.
type Coroutine struct {
	th   *Thread
	fr   *Frame
	run  func(th *Thread) Value // instead of fr: the work of an async spawn
	done bool
	res  Value
}

func (*Coroutine) Class() *Class { return CoroutineClass }

// Await runs the coroutine to completion.
func (co *Coroutine) Await(th *Thread) Value {
	if !co.done {
		co.done = true
		if co.run != nil {
			co.res = co.run(th)
		} else {
			co.fr.th = th
			co.res = th.runFrame(co.fr)
		}
	}
	return co.res
}

// Await resolves v: a coroutine runs, anything else is returned as is.
func (th *Thread) Await(v Value) Value {
	if co, ok := v.(*Coroutine); ok {
		return co.Await(th)
	}
	if r, ok := th.awaitAsync(v); ok {
		return r
	}
	if g, ok := v.(*generator); ok {
		var last Value = None
		for {
			x, ok := g.next(th)
			if !ok {
				return last
			}
			last = x
		}
	}
	return v
}

// argError helpers for builtins.
func checkArgs(th *Thread, name string, args []Value, min, max int) {
	if len(args) < min || max >= 0 && len(args) > max {
		switch {
		case min == max:
			th.TypeError("%s() takes exactly %d argument%s (%d given)", name, min, plural(min), len(args))
		case len(args) < min:
			th.TypeError("%s() takes at least %d argument%s (%d given)", name, min, plural(min), len(args))
		default:
			th.TypeError("%s() takes at most %d argument%s (%d given)", name, max, plural(max), len(args))
		}
	}
}

// kwArg finds a keyword argument.
func kwArg(kw []KV, name string) (Value, bool) {
	for _, a := range kw {
		if a.Name == name {
			return a.Value, true
		}
	}
	return nil, false
}

// ArgParser binds builtin arguments by position and name.
func ParseArgs(th *Thread, fname string, args []Value, kw []KV, names ...string) []Value {
	out := make([]Value, len(names))
	nreq := len(names)
	for i, n := range names {
		if strings.HasSuffix(n, "?") {
			names[i] = n[:len(n)-1]
			if nreq == len(names) {
				nreq = i
			}
		}
	}
	if len(args) > len(names) {
		th.TypeError("%s() takes at most %d arguments (%d given)", fname, len(names), len(args))
	}
	copy(out, args)
	for _, a := range kw {
		found := false
		for i, n := range names {
			if n == a.Name {
				if out[i] != nil {
					th.TypeError("%s() got multiple values for argument '%s'", fname, n)
				}
				out[i] = a.Value
				found = true
			}
		}
		if !found {
			th.TypeError("%s() got an unexpected keyword argument '%s'", fname, a.Name)
		}
	}
	for i := 0; i < nreq; i++ {
		if out[i] == nil {
			th.TypeError("%s() missing required argument '%s' (pos %d)", fname, names[i], i+1)
		}
	}
	return out
}

func (f *Function) String() string { return fmt.Sprintf("<function %s>", f.code.QualName) }

// ParamAnnotations returns the evaluated annotations of the declared (non-implicit)
// parameters, in order (nil where none was written).
func (f *Function) ParamAnnotations() []Value { return f.annotations }
