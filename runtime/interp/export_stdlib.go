package interp

import "math/big"

// Small exported helpers used by runtime/stdlib.

// NewExceptionClass creates a built-in exception class deriving from base.
func NewExceptionClass(name, module string, base *Class) *Class {
	c := NewBuiltinClass(name, base)
	c.Module = module
	c.isExc = true
	return c
}

// NewException builds an exception instance of cls whose args are (msg,).
func NewException(th *Thread, cls *Class, msg string) *Instance { return th.newExc(cls, msg) }

// SetExtraAttr sets an instance attribute outside the declared fields.
func (o *Instance) SetExtraAttr(name string, v Value) { o.setExtra(name, v) }

// DictClassOf returns the class a dict was created with (nil for a plain dict).
func DictClassOf(d *Dict) *Class { return d.cls }

// BigIntValue returns the big.Int inside a BigInt.
func (b *BigInt) Value() *big.Int { return b.v }

// CallLen is len(v).
func CallLen(th *Thread, v Value) int { return Len(th, v) }

// CompareOp evaluates an ordering comparison given as "<", "<=", ">" or ">=".
func CompareOp(th *Thread, a, b Value, op string) bool {
	k := map[string]cmpKind{"<": opLT, "<=": opLE, ">": opGT, ">=": opGE}[op]
	return Compare(th, a, b, k)
}

// SetConstructor makes calling class c construct values with fn (for library
// types implemented in Go, so that isinstance and type() see a real class).
func SetConstructor(c *Class, fn func(th *Thread, cls *Class, args []Value, kw []KV) Value) {
	c.newFn = fn
}

// LookupBuiltin returns the built-in named name (nil when there is none).
func LookupBuiltin(name string) Value { return builtins[name] }

// HandledException is the exception the innermost running `except` block
// handles (sys.exc_info), nil outside any.
func (th *Thread) HandledException() *Instance {
	if n := len(th.handled); n > 0 {
		return th.handled[n-1]
	}
	return nil
}

// ExceptionLine is the last line of the exception's traceback: "Name: message",
// or the bare class name when str() of the exception is empty.
func (o *Instance) ExceptionLine(th *Thread) string { return o.exceptionLine(th) }

// IsException reports whether v is an exception instance.
func IsException(v Value) bool {
	o, ok := v.(*Instance)
	return ok && o.cls.isExc
}
