package interp

// Arguments lent from the thread's argument stack.
//
// A call site evaluates positional arguments into a buffer on its Go stack. A Go
// callee reached through a function value would make that buffer escape to the
// heap, so the site copies the arguments onto th.argStack instead and lends the
// callee that window, popped (and cleared, for the GC) when the callee returns;
// after a panic, protect truncates the stack. Only a callee that reads its
// argument slice during the call and keeps nothing of it may borrow: the core
// types' methods (method), the builtins in borrowingBuiltins and the
// constructors of the scalar types (borrowingConstructor). A callee that keeps
// its arguments (a tuple of them, an iterator over them) gets a heap copy.

// lendArgs pushes args onto the argument stack and returns the window holding
// them (capped, so the callee cannot append into the stack) and the stack's
// previous height, for returnArgs.
func (th *Thread) lendArgs(args []Value) (lent []Value, base int) {
	base = len(th.argStack)
	//lint:ignore S1011 one store per argument is cheaper than append's bulk copy of 1-3
	for _, a := range args {
		th.argStack = append(th.argStack, a)
	}
	top := len(th.argStack)
	return th.argStack[base:top:top], base
}

// returnArgs pops the arguments lent at base.
func (th *Thread) returnArgs(base int) {
	for i := base; i < len(th.argStack); i++ {
		th.argStack[i] = nil
	}
	th.argStack = th.argStack[:base]
}

// callLending calls a borrowing built-in function with args, which may live on
// the caller's stack.
func (th *Thread) callLending(b *Builtin, args []Value) Value {
	lent, base := th.lendArgs(args)
	r := b.Fn(th, lent, nil)
	th.returnArgs(base)
	return r
}

// constructLending calls the constructor of a scalar type (str, int, float,
// bool) with args, which may live on the caller's stack.
func (th *Thread) constructLending(cls *Class, args []Value) Value {
	lent, base := th.lendArgs(args)
	r := cls.newFn(th, cls, lent, nil)
	th.returnArgs(base)
	return r
}

// borrowingConstructor reports whether cls is a scalar type whose constructor
// keeps nothing of its arguments (not a subclass: its __new__/__init__ may).
func borrowingConstructor(cls *Class) bool {
	return cls == StrClass || cls == IntClass || cls == FloatClass || cls == BoolClass
}

// borrowingBuiltins are the built-in functions that only read their arguments.
var borrowingBuiltins = []string{"len", "repr", "abs", "callable", "chr", "ord", "isinstance",
	"hash", "id", "round", "hex", "oct", "bin", "min", "max"}

// markBorrowingBuiltins marks borrowingBuiltins; builtins.go's init calls it once
// the builtins are defined.
func markBorrowingBuiltins() {
	for _, name := range borrowingBuiltins {
		builtins[name].(*Builtin).borrowsArgs = true
	}
}
