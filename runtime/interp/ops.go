package interp

import (
	"hash/maphash"
	"math"
	"math/big"
	"unsafe"
)

// TypeName is the Python type name of v.
func TypeName(v Value) string {
	if v == nil {
		return "NoneType"
	}
	return v.Class().Name
}

// Truth is Python's bool(v).
func Truth(th *Thread, v Value) bool {
	switch x := v.(type) {
	case Bool:
		return bool(x)
	case NoneType:
		return false
	case Int:
		return x != 0
	case Float:
		return x != 0
	case Str:
		return x != ""
	case *List:
		return x.Len() > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return x.live > 0
	case *Set:
		return x.used > 0
	case *BigInt:
		return true
	case Bytes:
		return x != ""
	case *Range:
		return x.Len() > 0
	case *Instance:
		if m, _ := x.cls.Lookup("__bool__"); m != nil {
			return Truth(th, th.callMethod(x, m, nil, nil))
		}
		if m, _ := x.cls.Lookup("__len__"); m != nil {
			return Truth(th, th.callMethod(x, m, nil, nil))
		}
		return true
	case Lener:
		return x.Len() > 0
	}
	return true
}

// Lener is implemented by library containers.
type Lener interface{ Len() int }

var hashSeed = maphash.MakeSeed()

// Hash is Python's hash(v) as used by dicts and sets.
func Hash(th *Thread, v Value) uint64 {
	switch x := v.(type) {
	case Str:
		if x == "" {
			return 0
		}
		return maphash.String(hashSeed, string(x)) // random per process, as in CPython
	case Int:
		return hashInt64(int64(x))
	case Bool:
		if x {
			return 1
		}
		return 0
	case Float:
		return hashFloat(float64(x))
	case NoneType:
		return 0x9e3779b97f4a7c15
	case Tuple:
		return hashTuple(th, x)
	case *BigInt:
		return hashBig(x.v)
	case Bytes:
		return maphash.String(hashSeed, "b"+string(x))
	case *List:
		th.TypeError("unhashable type: 'list'")
	case *Dict:
		th.TypeError("unhashable type: 'dict'")
	case *Set:
		if !x.Frozen {
			th.TypeError("unhashable type: 'set'")
		}
		var h uint64
		th.EnterNested(hashNesting)
		for _, e := range x.Elems() {
			h ^= Hash(th, e) * 0x9e3779b97f4a7c15
		}
		th.LeaveNested()
		return h
	case *Instance:
		if m, _ := x.cls.Lookup("__hash__"); m != nil {
			if m == None {
				th.TypeError("unhashable type: '%s'", x.cls.Name)
			}
			r := th.callMethod(x, m, nil, nil)
			switch r := r.(type) {
			case Int: // used as it is, as CPython's slot_tp_hash does: an object
				return fixHash(int64(r)) // hashing as hash(s) of its str s equals s
			case Bool, *BigInt:
				return Hash(th, r) // reduced as CPython reduces it
			}
			th.TypeError("__hash__ method should return an integer")
		}
		if x.cls.Kind == KindEnum && x.cls.enumBase != nil {
			if val, ok := x.getExtra("value"); ok {
				return Hash(th, val)
			}
		}
		return uint64(uintptr(unsafe.Pointer(x)))
	case Hasher:
		return x.HashJac(th)
	}
	return ptrHash(v)
}

// Python's numeric hash: n mod 2**61-1 (sign kept), so that equal ints, floats
// and bools hash alike and sets of numbers order as in CPython.
const (
	hashBits    = 61
	hashModulus = 1<<hashBits - 1
)

func fixHash(h int64) uint64 {
	if h == -1 {
		h = -2
	}
	return uint64(h)
}

func hashInt64(n int64) uint64 {
	if n > -hashModulus && n < hashModulus {
		return fixHash(n)
	}
	if n < 0 {
		if n == math.MinInt64 {
			return hashBig(big.NewInt(n))
		}
		return fixHash(-(-n % hashModulus))
	}
	return fixHash(n % hashModulus)
}

var bigModulus = big.NewInt(hashModulus)

func hashBig(v *big.Int) uint64 {
	if v.IsInt64() {
		return hashInt64(v.Int64())
	}
	r := new(big.Int).Rem(new(big.Int).Abs(v), bigModulus).Int64()
	if v.Sign() < 0 {
		r = -r
	}
	return fixHash(r)
}

// hashFloat is CPython's _Py_HashDouble.
func hashFloat(v float64) uint64 {
	switch {
	case math.IsInf(v, 1):
		return 314159
	case math.IsInf(v, -1):
		return fixHash(-314159)
	case math.IsNaN(v):
		return 0
	}
	m, e := math.Frexp(v)
	sign := int64(1)
	if m < 0 {
		sign, m = -1, -m
	}
	var x uint64
	for m != 0 {
		x = ((x << 28) & hashModulus) | x>>(hashBits-28)
		m *= 268435456.0 // 2**28
		e -= 28
		y := uint64(m)
		m -= float64(y)
		x += y
		if x >= hashModulus {
			x -= hashModulus
		}
	}
	if e >= 0 {
		e %= hashBits
	} else {
		e = hashBits - 1 - (-1-e)%hashBits
	}
	x = ((x << uint(e)) & hashModulus) | x>>(hashBits-uint(e))
	return fixHash(int64(x) * sign)
}

// hashNesting completes RecursionError's message for hash().
const hashNesting = " while calling a Python object"

// hashTuple is CPython's tuple hash (xxHash-based, 64-bit).
func hashTuple(th *Thread, t Tuple) uint64 {
	const (
		prime1 = 11400714785074694791
		prime2 = 14029467366897019727
		prime5 = 2870177450012600261
	)
	acc := uint64(prime5)
	th.EnterNested(hashNesting)
	for _, e := range t {
		acc += Hash(th, e) * prime2
		acc = acc<<31 | acc>>33
		acc *= prime1
	}
	th.LeaveNested()
	acc += uint64(len(t)) ^ (prime5 ^ 3527539)
	if acc == math.MaxUint64 {
		return 1546275796
	}
	return acc
}

// Hasher is implemented by library values usable as dict keys.
type Hasher interface {
	HashJac(th *Thread) uint64
}

// Equaler is implemented by library values with value equality.
type Equaler interface {
	EqualJac(th *Thread, other Value) (bool, bool)
}

func ptrHash(v Value) uint64 {
	type iface struct{ t, p unsafe.Pointer }
	return uint64(uintptr((*iface)(unsafe.Pointer(&v)).p))
}

// Identical is Python's `is`.
func Identical(a, b Value) bool {
	switch x := a.(type) {
	case *List, *Dict, *Set, *Instance, *Class, *Function, *Module:
		return a == b
	case Int:
		y, ok := b.(Int)
		return ok && x == y
	case Str:
		y, ok := b.(Str)
		return ok && x == y
	case Float:
		y, ok := b.(Float)
		return ok && x == y
	case Tuple:
		y, ok := b.(Tuple)
		return ok && len(x) == 0 && len(y) == 0 || ok && len(x) > 0 && len(x) == len(y) && &x[0] == &y[0]
	case *BigInt, Bytes:
		return false
	}
	return identicalOther(a, b)
}

// identicalOther is Identical for the remaining types, some of which Go cannot
// compare (the comparison panics): those are never identical. Apart so that
// Identical itself has no defer.
func identicalOther(a, b Value) bool {
	defer func() { recover() }()
	return a == b
}

// reflectedEqual is a number == b for a b that is not a built-in number: b's
// own __eq__ (a Jac class, an enum) or library equality (Fraction, Decimal).
func reflectedEqual(th *Thread, a, b Value) bool {
	switch y := b.(type) {
	case *Instance:
		return Equal(th, b, a)
	case Equaler:
		eq, ok := y.EqualJac(th, a)
		return ok && eq
	}
	return false
}

// Equal is Python's ==.
func Equal(th *Thread, a, b Value) bool {
	switch x := a.(type) {
	case Str:
		y, ok := b.(Str)
		if ok {
			return x == y
		}
		if yi, ok := b.(*Instance); ok && yi.cls.Kind == KindEnum {
			return Equal(th, b, a)
		}
		return false
	case Int:
		switch y := b.(type) {
		case Int:
			return x == y
		case Bool:
			return int64(x) == b2i(y)
		case Float:
			c, ok := cmpIntFloat(int64(x), float64(y))
			return ok && c == 0
		case *BigInt:
			return false
		}
		return reflectedEqual(th, a, b)
	case Bool:
		switch y := b.(type) {
		case Bool:
			return x == y
		case Int:
			return b2i(x) == int64(y)
		case Float:
			return float64(b2i(x)) == float64(y)
		}
		return reflectedEqual(th, a, b)
	case Float:
		switch y := b.(type) {
		case Float:
			return x == y
		case Int, Bool, *BigInt:
			return Equal(th, b, a)
		}
		return reflectedEqual(th, a, b)
	case *BigInt:
		switch y := b.(type) {
		case *BigInt:
			return x.v.Cmp(y.v) == 0
		case Float:
			c, ok := cmpBigIntFloat(x.v, float64(y))
			return ok && c == 0
		}
		return reflectedEqual(th, a, b)
	case NoneType:
		_, ok := b.(NoneType)
		return ok
	case Tuple:
		y, ok := b.(Tuple)
		return ok && equalSeq(th, x, y)
	case *List:
		y, ok := b.(*List)
		if !ok {
			return false
		}
		if eq, ok := equalTyped(x, y); ok {
			return eq
		}
		return x == y || equalSeq(th, x.items(), y.items())
	case *Dict:
		y, ok := b.(*Dict)
		return ok && equalDict(th, x, y)
	case *Set:
		y, ok := b.(*Set)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, e := range x.Elems() {
			if !y.Has(th, e) {
				return false
			}
		}
		return true
	case Bytes:
		y, ok := b.(Bytes)
		return ok && x == y
	case *Range:
		y, ok := b.(*Range)
		return ok && *x == *y
	case *Instance:
		if m, _ := x.cls.Lookup("__eq__"); m != nil {
			r := th.callMethod(x, m, []Value{b}, nil)
			if r != NotImplemented {
				return Truth(th, r)
			}
		}
		if x.cls.Kind == KindEnum && x.cls.enumBase != nil {
			if val, ok := x.getExtra("value"); ok && a != b {
				return Equal(th, val, b)
			}
		}
		if y, ok := b.(*Instance); ok && y != x {
			if m, _ := y.cls.Lookup("__eq__"); m != nil {
				r := th.callMethod(y, m, []Value{a}, nil)
				if r != NotImplemented {
					return Truth(th, r)
				}
			}
		}
		return a == b
	case Equaler:
		if eq, ok := x.EqualJac(th, b); ok {
			return eq
		}
		return a == b
	}
	if e, ok := b.(Equaler); ok {
		if eq, ok := e.EqualJac(th, a); ok {
			return eq
		}
	}
	return Identical(a, b)
}

// comparisonNesting completes RecursionError's message for ==, < and friends.
const comparisonNesting = " in comparison"

// equalSeq is == of two lists' or tuples' items, one nesting level deeper.
func equalSeq(th *Thread, x, y []Value) bool {
	if len(x) != len(y) {
		return false
	}
	th.EnterNested(comparisonNesting)
	eq := true
	for i := range x {
		if !Identical(x[i], y[i]) && !Equal(th, x[i], y[i]) {
			eq = false
			break
		}
	}
	th.LeaveNested()
	return eq
}

// equalDict is == of two dicts, one nesting level deeper.
func equalDict(th *Thread, x, y *Dict) bool {
	if x.live != y.live {
		return false
	}
	th.EnterNested(comparisonNesting)
	eq := true
	for _, e := range x.entries {
		if e.deleted() {
			continue
		}
		v, ok := y.Get(th, e.key)
		if !ok || !Identical(v, e.val) && !Equal(th, v, e.val) {
			eq = false
			break
		}
	}
	th.LeaveNested()
	return eq
}

func b2i(b Bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Less is Python's a < b (raising TypeError for unorderable types).
func Less(th *Thread, a, b Value) bool { return Compare(th, a, b, opLT) }

type cmpKind int

const (
	opLT cmpKind = iota
	opLE
	opGT
	opGE
)

var cmpSyms = [...]string{"<", "<=", ">", ">="}
var cmpDunders = [...]string{"__lt__", "__le__", "__gt__", "__ge__"}
var cmpReflect = [...]cmpKind{opGT, opGE, opLT, opLE}

func cmpResult(c int, op cmpKind) bool {
	if c == 2 {
		return false // NaN: unordered
	}
	switch op {
	case opLT:
		return c < 0
	case opLE:
		return c <= 0
	case opGT:
		return c > 0
	}
	return c >= 0
}

// Compare evaluates an ordering comparison.
func Compare(th *Thread, a, b Value, op cmpKind) bool {
	if c, ok := cmp3(th, a, b); ok {
		return cmpResult(c, op)
	}
	if x, ok := a.(*Instance); ok {
		if m, _ := x.cls.Lookup(cmpDunders[op]); m != nil {
			if r := th.callMethod(x, m, []Value{b}, nil); r != NotImplemented {
				return Truth(th, r)
			}
		}
	}
	return compareReflected(th, a, b, op)
}

// compareReflected is Compare after a's own dunder gave NotImplemented (or is
// missing): b's reflected dunder, library orderings, then TypeError.
func compareReflected(th *Thread, a, b Value, op cmpKind) bool {
	if y, ok := b.(*Instance); ok {
		if m, _ := y.cls.Lookup(cmpDunders[cmpReflect[op]]); m != nil {
			if r := th.callMethod(y, m, []Value{a}, nil); r != NotImplemented {
				return Truth(th, r)
			}
		}
	}
	if o, ok := a.(Orderer); ok {
		if c, ok := o.CompareJac(th, b); ok {
			return cmpResult(c, op)
		}
	}
	if o, ok := b.(Orderer); ok { // the reflected operation: b.__gt__(a) for a < b
		if c, ok := o.CompareJac(th, a); ok {
			return cmpResult(c, cmpReflect[op])
		}
	}
	if x, ok := mixedEnumValue(a); ok {
		return Compare(th, x, b, op)
	}
	if y, ok := mixedEnumValue(b); ok {
		return Compare(th, a, y, op)
	}
	th.TypeError("'%s' not supported between instances of '%s' and '%s'", cmpSyms[op], TypeName(a), TypeName(b))
	return false
}

// mixedEnumValue returns the value of a member of an enum mixed with int or
// str (IntEnum, StrEnum), which is that int or str in operators.
func mixedEnumValue(v Value) (Value, bool) {
	if x, ok := v.(*Instance); ok && x.cls.Kind == KindEnum && x.cls.enumBase != nil {
		return x.getExtra("value")
	}
	return nil, false
}

// Orderer is implemented by library values with an ordering.
type Orderer interface {
	CompareJac(th *Thread, other Value) (int, bool)
}

// cmp3 orders built-in values of comparable types.
func cmp3(th *Thread, a, b Value) (int, bool) {
	switch x := a.(type) {
	case Int:
		switch y := b.(type) {
		case Int:
			return cmpOrd(x, y), true
		case Float:
			c, _ := cmpIntFloat(int64(x), float64(y))
			return c, true
		case Bool:
			return cmpOrd(int64(x), b2i(y)), true
		case *BigInt:
			return -y.v.Sign(), true
		}
	case Float:
		switch y := b.(type) {
		case Float:
			return cmpFloat(float64(x), float64(y)), true
		case Int, Bool, *BigInt:
			c, ok := cmp3(th, b, a)
			if c == 2 {
				return c, ok
			}
			return -c, ok
		}
	case Bool:
		switch y := b.(type) {
		case Bool, Int, Float:
			return cmp3(th, MakeInt(b2i(x)), y)
		}
	case *BigInt:
		switch y := b.(type) {
		case *BigInt:
			return x.v.Cmp(y.v), true
		case Int, Bool:
			return x.v.Sign(), true
		case Float:
			c, _ := cmpBigIntFloat(x.v, float64(y))
			return c, true
		}
	case Str:
		if y, ok := b.(Str); ok {
			return cmpOrd(string(x), string(y)), true
		}
	case Bytes:
		if y, ok := b.(Bytes); ok {
			return cmpOrd(string(x), string(y)), true
		}
	case Tuple:
		if y, ok := b.(Tuple); ok {
			return cmpSeq(th, x, y), true
		}
	case *List:
		if y, ok := b.(*List); ok {
			if c, ok := cmpTyped(x, y); ok {
				return c, true
			}
			return cmpSeq(th, x.items(), y.items()), true
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			sub := x.Len() <= y.Len() && isSubset(th, x, y)
			sup := x.Len() >= y.Len() && isSubset(th, y, x)
			switch {
			case sub && sup:
				return 0, true
			case sub:
				return -1, true
			case sup:
				return 1, true
			}
			return 2, true // unordered: only != holds; <,> false via cmpResult? handled by caller
		}
	}
	return 0, false
}

func isSubset(th *Thread, a, b *Set) bool {
	for _, e := range a.Elems() {
		if !b.Has(th, e) {
			return false
		}
	}
	return true
}

func cmpSeq(th *Thread, x, y []Value) int {
	th.EnterNested(comparisonNesting)
	c := cmpOrd(len(x), len(y))
	for i := 0; i < len(x) && i < len(y); i++ {
		if e, ok := cmpScalar(x[i], y[i]); ok {
			if e == 0 {
				continue
			}
			c = e
			break
		}
		if Identical(x[i], y[i]) || Equal(th, x[i], y[i]) {
			continue
		}
		c = 1
		if Less(th, x[i], y[i]) {
			c = -1
		}
		break
	}
	th.LeaveNested()
	return c
}

// cmpScalar orders two ints, two floats (neither NaN) or two strs, where
// ordering and equality agree; ok is false for anything else.
func cmpScalar(a, b Value) (c int, ok bool) {
	switch x := a.(type) {
	case Int:
		if y, ok := b.(Int); ok {
			return cmpOrd(x, y), true
		}
	case Float:
		if y, ok := b.(Float); ok && x == x && y == y {
			return cmpFloat(float64(x), float64(y)), true
		}
	case Str:
		if y, ok := b.(Str); ok {
			return cmpOrd(string(x), string(y)), true
		}
	}
	return 0, false
}

func cmpOrd[T int | int64 | Int | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpIntFloat compares an int64 with a float exactly, as Python does (the
// integer is not rounded to a float); ok is false when f is NaN.
func cmpIntFloat(n int64, f float64) (c int, ok bool) {
	if n >= -1<<53 && n <= 1<<53 || math.IsNaN(f) {
		c = cmpFloat(float64(n), f) // float64(n) is exact here
		return c, c != 2
	}
	return cmpBigIntFloat(big.NewInt(n), f)
}

// cmpBigIntFloat compares an arbitrary integer with a float exactly.
func cmpBigIntFloat(i *big.Int, f float64) (c int, ok bool) {
	if math.IsNaN(f) {
		return 2, false
	}
	return new(big.Float).SetInt(i).Cmp(big.NewFloat(f)), true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	return 2 // NaN: every ordering is false
}

// Contains is Python's `x in container`.
func Contains(th *Thread, container, x Value) bool {
	switch c := container.(type) {
	case *List:
		return c.find(th, x, 0, c.Len()) >= 0
	case Tuple:
		for _, e := range c {
			if Identical(e, x) || Equal(th, e, x) {
				return true
			}
		}
		return false
	case Str:
		s, ok := x.(Str)
		if !ok {
			th.TypeError("'in <string>' requires string as left operand, not %s", TypeName(x))
		}
		return containsStr(string(c), string(s))
	case *Dict:
		_, ok := c.Get(th, x)
		return ok
	case *Set:
		return c.Has(th, x)
	case *Range:
		var i int64
		switch v := x.(type) {
		case Int:
			i = int64(v)
		case Bool:
			i = b2i(v)
		default:
			return false
		}
		if c.step > 0 && (i < c.start || i >= c.stop) || c.step < 0 && (i > c.start || i <= c.stop) {
			return false
		}
		return (i-c.start)%c.step == 0
	case Bytes:
		switch v := x.(type) {
		case Bytes:
			return containsStr(string(c), string(v))
		case Int:
			return containsStr(string(c), string([]byte{byte(v)}))
		}
		return false
	case *Instance:
		if m, _ := c.cls.Lookup("__contains__"); m != nil {
			return Truth(th, th.callMethod(c, m, []Value{x}, nil))
		}
		if c.cls == TypeClass {
			break
		}
	case *Class:
		if c.Kind == KindEnum {
			for _, m := range c.members {
				if Value(m) == x {
					return true
				}
			}
			return false
		}
	case Container:
		return c.ContainsJac(th, x)
	}
	found := false
	Iterate(th, container, func(e Value) bool {
		if Identical(e, x) || Equal(th, e, x) {
			found = true
			return false
		}
		return true
	})
	return found
}

// Container is implemented by library containers.
type Container interface {
	ContainsJac(th *Thread, x Value) bool
}
