// Package interp executes Jac programs: the value model (Python semantics), the
// compiler from syntax trees to Go closures with names resolved to slots, the
// object-spatial runtime (nodes, edges, walkers) and the built-in library core.
// It knows nothing of HTTP, Redis or MongoDB: graph persistence goes through the
// Store interface (store.go).
package interp

import (
	"math/big"
	"unsafe"
)

// Value is any Jac value. Every value knows its class.
type Value interface {
	Class() *Class
}

// NoneType is the type of None.
type NoneType struct{}

// None is the Jac None.
var None Value = NoneType{}

// Bool is True or False.
type Bool bool

const (
	True  = Bool(true)
	False = Bool(false)
)

// Int is an integer that fits in 64 bits; larger ones are *BigInt. Arithmetic keeps
// the invariant that a *BigInt never holds a value that fits in an Int.
type Int int64

// BigInt is an arbitrary-precision integer outside the int64 range.
type BigInt struct{ v *big.Int }

// Float is a Python float.
type Float float64

// Str is a Python str (stored as UTF-8).
type Str string

// Bytes is a Python bytes value.
type Bytes string

// Ellipsis is the `...` singleton.
type EllipsisType struct{}

var Ellipsis Value = EllipsisType{}

// NotImplementedType is returned by dunder methods that do not handle an operand.
type NotImplementedType struct{}

var NotImplemented Value = NotImplementedType{}

func (NoneType) Class() *Class           { return NoneClass }
func (Bool) Class() *Class               { return BoolClass }
func (Int) Class() *Class                { return IntClass }
func (*BigInt) Class() *Class            { return IntClass }
func (Float) Class() *Class              { return FloatClass }
func (Str) Class() *Class                { return StrClass }
func (Bytes) Class() *Class              { return BytesClass }
func (EllipsisType) Class() *Class       { return EllipsisClass }
func (NotImplementedType) Class() *Class { return NotImplementedClass }

// Small ints are boxed without allocating: the interface's data word points into
// a static table, as the Go runtime does for single-byte values.
const (
	smallIntMin = -1024
	smallIntMax = 1 << 17
)

var (
	smallIntVals [smallIntMax - smallIntMin]int64
	intTypeWord  unsafe.Pointer
)

type eface struct {
	typ, data unsafe.Pointer
}

func init() {
	for i := range smallIntVals {
		smallIntVals[i] = int64(i) + smallIntMin
	}
	var v Value = Int(1 << 40)
	intTypeWord = (*eface)(unsafe.Pointer(&v)).typ
}

// MakeInt boxes an int64.
func MakeInt(i int64) Value {
	if uint64(i-smallIntMin) < uint64(len(smallIntVals)) {
		var v Value
		e := (*eface)(unsafe.Pointer(&v))
		e.typ = intTypeWord
		e.data = unsafe.Pointer(&smallIntVals[i-smallIntMin])
		return v
	}
	return Int(i)
}

// MakeBigInt normalizes a big.Int: an Int when it fits.
func MakeBigInt(b *big.Int) Value {
	if b.IsInt64() {
		return MakeInt(b.Int64())
	}
	return &BigInt{v: b}
}

// MakeBool boxes a Go bool.
func MakeBool(b bool) Value {
	if b {
		return True
	}
	return False
}

// Tuple is an immutable sequence.
type Tuple []Value

func (Tuple) Class() *Class { return TupleClass }

// EmptyTuple is ().
var EmptyTuple = Tuple{}

// Range is range(start, stop, step).
type Range struct {
	start, stop, step int64
}

func (*Range) Class() *Class { return RangeClass }

func (r *Range) Len() int64 {
	if r.step > 0 && r.start < r.stop {
		return (r.stop - r.start + r.step - 1) / r.step
	}
	if r.step < 0 && r.start > r.stop {
		return (r.start - r.stop - r.step - 1) / (-r.step)
	}
	return 0
}

func (r *Range) At(i int64) int64 { return r.start + i*r.step }

// SliceObj is a slice(start, stop, step) object.
type SliceObj struct {
	Start, Stop, Step Value
}

func (*SliceObj) Class() *Class { return SliceClass }

// Cell holds a variable shared between a function and the closures inside it.
type Cell struct{ V Value }

func (*Cell) Class() *Class { return CellClass }

// KV is a keyword argument.
type KV struct {
	Name  string
	Value Value
}
