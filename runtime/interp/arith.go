package interp

import (
	"github.com/jacscale/jac/runtime/libm"
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/jacscale/jac/runtime/syntax"
)

func bigOf(v Value) *big.Int {
	switch x := v.(type) {
	case Int:
		return big.NewInt(int64(x))
	case Bool:
		return big.NewInt(b2i(x))
	case *BigInt:
		return x.v
	case *Instance:
		if v, ok := mixedEnumValue(x); ok {
			return bigOf(v)
		}
	}
	return nil
}

// toFloat converts an int-like or float to float64.
func toFloat(v Value) (float64, bool) {
	switch x := v.(type) {
	case Float:
		return float64(x), true
	case Int:
		return float64(x), true
	case Bool:
		return float64(b2i(x)), true
	case *BigInt:
		f, _ := new(big.Float).SetInt(x.v).Float64()
		return f, true
	}
	return 0, false
}

func isIntLike(v Value) bool {
	switch v.(type) {
	case Int, Bool, *BigInt:
		return true
	}
	return false
}

// Binary evaluates a binary operator (syntax token) on two values.
func Binary(th *Thread, op syntax.Token, a, b Value) Value {
	// small-int fast paths
	if x, ok := a.(Int); ok {
		if y, ok := b.(Int); ok {
			if r, ok := intOp(th, op, int64(x), int64(y)); ok {
				return r
			}
		}
	}
	if r, ok := floatArith(op, a, b); ok {
		return r
	}
	if r := numOp(th, op, a, b); r != nil {
		return r
	}
	if d, ok := a.(*Dict); ok && d.cls != nil {
		// a library dict subclass (Counter) with its own operators
		if r := subclassOp(th, op, d.cls, a, b); r != nil {
			return r
		}
	}
	if r := seqOp(th, op, a, b); r != nil {
		return r
	}
	if r := dunderOp(th, op, a, b); r != nil {
		return r
	}
	if op == syntax.PIPE && isTypeLike(a) && isTypeLike(b) {
		return &UnionType{Args: append(unionArgs(a), unionArgs(b)...)}
	}
	if op == syntax.PLUS {
		if _, ok := a.(Str); ok {
			th.TypeError("can only concatenate str (not \"%s\") to str", TypeName(b))
		}
		if _, ok := a.(*List); ok {
			th.TypeError("can only concatenate list (not \"%s\") to list", TypeName(b))
		}
	}
	if op == syntax.STAR && (isSequence(a) || isSequence(b)) {
		other := b
		if !isSequence(a) {
			other = a
		}
		th.TypeError("can't multiply sequence by non-int of type '%s'", TypeName(other))
	}
	th.TypeError("unsupported operand type(s) for %s: '%s' and '%s'", opSym(op), TypeName(a), TypeName(b))
	return nil
}

// floatOperands returns a float and a float-or-int operand as two float64s.
func floatOperands(l, r Value) (x, y float64, ok bool) {
	switch a := l.(type) {
	case Float:
		switch b := r.(type) {
		case Float:
			return float64(a), float64(b), true
		case Int:
			return float64(a), float64(b), true
		}
	case Int:
		if b, ok := r.(Float); ok {
			return float64(a), float64(b), true
		}
	}
	return 0, 0, false
}

// floatArith is the fast path of + - * / with a float operand (and a float or
// int one): IEEE arithmetic, as Python's. Division by zero is left to Binary.
func floatArith(op syntax.Token, l, r Value) (Value, bool) {
	x, y, ok := floatOperands(l, r)
	if !ok {
		return nil, false
	}
	switch op {
	case syntax.PLUS:
		return Float(x + y), true
	case syntax.MINUS:
		return Float(x - y), true
	case syntax.STAR:
		return Float(x * y), true
	case syntax.SLASH:
		if y != 0 {
			return Float(x / y), true
		}
	}
	return nil, false
}

func opSym(op syntax.Token) string {
	if op == syntax.DSTAR {
		return "** or pow()"
	}
	return op.String()
}

func intOp(th *Thread, op syntax.Token, x, y int64) (Value, bool) {
	switch op {
	case syntax.PLUS:
		r := x + y
		if (r > x) == (y > 0) {
			return MakeInt(r), true
		}
	case syntax.MINUS:
		r := x - y
		if (r < x) == (y > 0) {
			return MakeInt(r), true
		}
	case syntax.STAR:
		if x == 0 || y == 0 {
			return MakeInt(0), true
		}
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		if hi == 0 && lo < 1<<63 && x != math.MinInt64 && y != math.MinInt64 {
			r := int64(lo)
			if (x < 0) != (y < 0) {
				r = -r
			}
			return MakeInt(r), true
		}
	case syntax.DSLASH:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "integer division or modulo by zero")
		}
		if x == math.MinInt64 && y == -1 {
			return nil, false
		}
		q := x / y
		if (x%y != 0) && ((x < 0) != (y < 0)) {
			q--
		}
		return MakeInt(q), true
	case syntax.PERCENT:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "integer modulo by zero")
		}
		if y == -1 {
			return MakeInt(0), true
		}
		m := x % y
		if m != 0 && (m < 0) != (y < 0) {
			m += y
		}
		return MakeInt(m), true
	case syntax.SLASH:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "division by zero")
		}
		return Float(float64(x) / float64(y)), true
	case syntax.AMP:
		return MakeInt(x & y), true
	case syntax.PIPE:
		return MakeInt(x | y), true
	case syntax.CARET:
		return MakeInt(x ^ y), true
	case syntax.LSHIFT:
		if y < 0 {
			th.ValueError("negative shift count")
		}
		if y < 63 && abs64(x) < 1<<(62-y) {
			return MakeInt(x << y), true
		}
	case syntax.RSHIFT:
		if y < 0 {
			th.ValueError("negative shift count")
		}
		if y > 63 {
			y = 63
		}
		return MakeInt(x >> y), true
	case syntax.DSTAR:
		if y < 0 {
			if x == 0 {
				th.Raise(ZeroDivisionErrorClass, "0.0 cannot be raised to a negative power")
			}
			return Float(libm.Pow(float64(x), float64(y))), true
		}
		r := int64(1)
		base := x
		e := y
		for e > 0 {
			if e&1 == 1 {
				hi, lo := bits.Mul64(uint64(abs64(r)), uint64(abs64(base)))
				if hi != 0 || lo >= 1<<62 {
					return nil, false
				}
				neg := (r < 0) != (base < 0)
				r = int64(lo)
				if neg {
					r = -r
				}
			}
			e >>= 1
			if e > 0 {
				hi, lo := bits.Mul64(uint64(abs64(base)), uint64(abs64(base)))
				if hi != 0 || lo >= 1<<62 {
					return nil, false
				}
				base = int64(lo)
			}
		}
		return MakeInt(r), true
	}
	return nil, false
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func numOp(th *Thread, op syntax.Token, a, b Value) Value {
	if isIntLike(a) && isIntLike(b) {
		if x, ok := a.(Bool); ok {
			if y, ok := b.(Bool); ok {
				switch op {
				case syntax.AMP:
					return Bool(x && y)
				case syntax.PIPE:
					return Bool(x || y)
				case syntax.CARET:
					return Bool(x != y)
				}
			}
		}
		if x, ok := asInt64(a); ok {
			if y, ok := asInt64(b); ok {
				if r, ok := intOp(th, op, x, y); ok {
					return r
				}
			}
		}
		return bigOp(th, op, bigOf(a), bigOf(b))
	}
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return nil
	}
	switch op {
	case syntax.PLUS:
		return Float(x + y)
	case syntax.MINUS:
		return Float(x - y)
	case syntax.STAR:
		return Float(x * y)
	case syntax.SLASH:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "float division by zero")
		}
		return Float(x / y)
	case syntax.DSLASH:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "float floor division by zero")
		}
		return Float(pyFloorDiv(x, y))
	case syntax.PERCENT:
		if y == 0 {
			th.Raise(ZeroDivisionErrorClass, "float modulo")
		}
		return Float(pyFmod(x, y))
	case syntax.DSTAR:
		if x == 0 && y < 0 {
			th.Raise(ZeroDivisionErrorClass, "0.0 cannot be raised to a negative power")
		}
		r := libm.Pow(x, y)
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			th.Raise(OverflowErrorClass, "(34, 'Numerical result out of range')")
		}
		return Float(r)
	}
	return nil
}

// pyFloorDiv is Python's float x // y (y != 0), computed as CPython's
// float_floor_div does: from the exact remainder, not floor(x / y), whose
// rounded quotient can be one too large (1 // 0.1 is 9.0, floor(1 / 0.1) 10.0),
// and inf // y is nan.
func pyFloorDiv(x, y float64) float64 {
	m := fmod(x, y)
	div := (x - m) / y
	if m != 0 && (y < 0) != (m < 0) {
		div -= 1
	}
	if div == 0 {
		return math.Copysign(0, x/y)
	}
	q := math.Floor(div)
	if div-q > 0.5 {
		q++
	}
	return q
}

// pyFmod is Python's float x % y (y != 0): the result has the sign of y, and a
// zero result is a zero of y's sign.
func pyFmod(x, y float64) float64 {
	m := fmod(x, y)
	if m == 0 {
		return math.Copysign(0, y)
	}
	if (m < 0) != (y < 0) {
		m += y
	}
	return m
}

// fmod is C's fmod (math.Mod), exact. When the quotient is well inside the
// range where float64 holds every integer, it is x - q*y for q = trunc(x/y)
// computed with one rounding (FMA): the true remainder is representable, so
// that is exact once q is; a q off by one from rounding x/y shows as a result
// of the wrong sign or of magnitude >= |y|, and is corrected. math.Mod's
// bit-by-bit loop (frexp/ldexp per step) is kept for the rest.
func fmod(x, y float64) float64 {
	q := math.Trunc(x / y)
	if !(math.Abs(q) < 1<<52) || math.IsInf(y, 0) {
		return math.Mod(x, y)
	}
	r := math.FMA(-q, y, x)
	switch {
	case r != 0 && (r < 0) != (x < 0): // q one too far from zero
		q -= math.Copysign(1, q)
		r = math.FMA(-q, y, x)
	case math.Abs(r) >= math.Abs(y): // q one too close to zero
		q += math.Copysign(1, x/y)
		r = math.FMA(-q, y, x)
	}
	if r == 0 {
		return math.Copysign(0, x)
	}
	return r
}

func asInt64(v Value) (int64, bool) {
	switch x := v.(type) {
	case Int:
		return int64(x), true
	case Bool:
		return b2i(x), true
	}
	return 0, false
}

func bigOp(th *Thread, op syntax.Token, x, y *big.Int) Value {
	r := new(big.Int)
	switch op {
	case syntax.PLUS:
		r.Add(x, y)
	case syntax.MINUS:
		r.Sub(x, y)
	case syntax.STAR:
		r.Mul(x, y)
	case syntax.DSLASH, syntax.PERCENT:
		if y.Sign() == 0 {
			th.Raise(ZeroDivisionErrorClass, "integer division or modulo by zero")
		}
		q, m := new(big.Int).DivMod(x, y, new(big.Int))
		// big.DivMod is Euclidean; convert to floor semantics.
		if m.Sign() != 0 && y.Sign() < 0 {
			q.Add(q, big.NewInt(1))
			m.Add(m, y)
		}
		if op == syntax.DSLASH {
			return MakeBigInt(q)
		}
		return MakeBigInt(m)
	case syntax.SLASH:
		if y.Sign() == 0 {
			th.Raise(ZeroDivisionErrorClass, "division by zero")
		}
		f, _ := new(big.Rat).SetFrac(x, y).Float64()
		return Float(f)
	case syntax.AMP:
		r.And(x, y)
	case syntax.PIPE:
		r.Or(x, y)
	case syntax.CARET:
		r.Xor(x, y)
	case syntax.LSHIFT:
		r.Lsh(x, th.shiftCount(x, y, true))
	case syntax.RSHIFT:
		r.Rsh(x, th.shiftCount(x, y, false))
	case syntax.DSTAR:
		if y.Sign() < 0 {
			fx, _ := new(big.Float).SetInt(x).Float64()
			fy, _ := new(big.Float).SetInt(y).Float64()
			return Float(libm.Pow(fx, fy))
		}
		th.reservePow(x, y)
		if y.BitLen() > 32 && x.CmpAbs(bigOne) > 0 {
			th.Raise(OverflowErrorClass, "exponent too large")
		}
		r.Exp(x, y, nil)
	default:
		return nil
	}
	return MakeBigInt(r)
}

func seqOp(th *Thread, op syntax.Token, a, b Value) Value {
	switch x := a.(type) {
	case Str:
		switch op {
		case syntax.PLUS:
			if y, ok := b.(Str); ok {
				return th.concat(x, y)
			}
		case syntax.STAR:
			if n, ok := th.repeatCount(b); ok {
				th.reserveRepeat(len(x), n, 1, "repeated string is too long")
				return Str(strings.Repeat(string(x), int(max(n, 0))))
			}
		case syntax.PERCENT:
			return Str(percentFormat(th, string(x), b))
		}
	case Bytes:
		switch op {
		case syntax.PLUS:
			if y, ok := b.(Bytes); ok {
				return x + y
			}
		case syntax.STAR:
			if n, ok := th.repeatCount(b); ok {
				th.reserveRepeat(len(x), n, 1, "repeated bytes are too long")
				return Bytes(strings.Repeat(string(x), int(max(n, 0))))
			}
		}
	case *List:
		switch op {
		case syntax.PLUS:
			if y, ok := b.(*List); ok {
				return x.concat(y)
			}
		case syntax.STAR:
			if n, ok := th.repeatCount(b); ok {
				return x.repeated(th, n)
			}
		}
	case Tuple:
		switch op {
		case syntax.PLUS:
			if y, ok := b.(Tuple); ok {
				out := make(Tuple, 0, len(x)+len(y))
				return append(append(out, x...), y...)
			}
		case syntax.STAR:
			if n, ok := th.repeatCount(b); ok {
				return Tuple(repeatSeq(th, x, n))
			}
		}
	case *Dict:
		if y, ok := b.(*Dict); ok && op == syntax.PIPE {
			d := x.Copy()
			for _, kv := range y.Items() {
				d.Set(th, kv.Key, kv.Value)
			}
			return d
		}
	case *Set:
		if y, ok := b.(*Set); ok {
			return setOp(th, op, x, y)
		}
	case Int, Bool:
		if op == syntax.STAR {
			switch b.(type) {
			case Str, *List, Tuple, Bytes:
				return seqOp(th, op, b, a)
			}
		}
	}
	return nil
}

func repeatSeq(th *Thread, elems []Value, n int64) []Value {
	if n <= 0 {
		return []Value{}
	}
	th.reserveRepeat(len(elems), n, valueSize, "")
	out := make([]Value, 0, len(elems)*int(n))
	for i := int64(0); i < n; i++ {
		out = append(out, elems...)
	}
	return out
}

// setOp is a set operator (| & - ^) on two sets, with CPython's algorithms.
func setOp(th *Thread, op syntax.Token, x, y *Set) Value {
	switch op {
	case syntax.PIPE:
		return x.union(th, y)
	case syntax.AMP:
		return x.intersection(th, y)
	case syntax.MINUS:
		return x.difference(th, y)
	case syntax.CARET:
		return x.symmetricDifference(th, y)
	}
	return nil
}

var binDunders = map[syntax.Token][2]string{
	syntax.PLUS: {"__add__", "__radd__"}, syntax.MINUS: {"__sub__", "__rsub__"},
	syntax.STAR: {"__mul__", "__rmul__"}, syntax.SLASH: {"__truediv__", "__rtruediv__"},
	syntax.DSLASH: {"__floordiv__", "__rfloordiv__"}, syntax.PERCENT: {"__mod__", "__rmod__"},
	syntax.DSTAR: {"__pow__", "__rpow__"}, syntax.AT: {"__matmul__", "__rmatmul__"},
	syntax.AMP: {"__and__", "__rand__"}, syntax.PIPE: {"__or__", "__ror__"},
	syntax.CARET: {"__xor__", "__rxor__"}, syntax.LSHIFT: {"__lshift__", "__rlshift__"},
	syntax.RSHIFT: {"__rshift__", "__rrshift__"},
}

// BinaryOperator is implemented by library values with operators (datetime, ...).
type BinaryOperator interface {
	BinaryJac(th *Thread, op syntax.Token, other Value, right bool) Value // nil: not handled
}

// subclassOp applies the operator method a built-in subclass defines itself
// (not one it inherits from the built-in type).
func subclassOp(th *Thread, op syntax.Token, cls *Class, a, b Value) Value {
	names, ok := binDunders[op]
	if !ok {
		return nil
	}
	m, owner := cls.Lookup(names[0])
	if m == nil || owner == DictClass {
		return nil
	}
	if r := th.callMethod(a, m, []Value{b}, nil); r != NotImplemented {
		return r
	}
	return nil
}

func dunderOp(th *Thread, op syntax.Token, a, b Value) Value {
	names, ok := binDunders[op]
	if !ok {
		return nil
	}
	if x, ok := a.(*Instance); ok {
		if m, _ := x.cls.Lookup(names[0]); m != nil {
			if r := th.callMethod(x, m, []Value{b}, nil); r != NotImplemented {
				return r
			}
		}
	}
	if y, ok := b.(*Instance); ok {
		if m, _ := y.cls.Lookup(names[1]); m != nil {
			if r := th.callMethod(y, m, []Value{a}, nil); r != NotImplemented {
				return r
			}
		}
	}
	if x, ok := a.(BinaryOperator); ok {
		if r := x.BinaryJac(th, op, b, false); r != nil {
			return r
		}
	}
	if y, ok := b.(BinaryOperator); ok {
		if r := y.BinaryJac(th, op, a, true); r != nil {
			return r
		}
	}
	if x, ok := mixedEnumValue(a); ok {
		return Binary(th, op, x, b)
	}
	if y, ok := mixedEnumValue(b); ok {
		return Binary(th, op, a, y)
	}
	return nil
}

// InPlace evaluates an augmented assignment operator: lists, dicts and sets mutate.
func InPlace(th *Thread, op syntax.Token, a, b Value) Value {
	switch x := a.(type) {
	case *List:
		switch op {
		case syntax.PLUS:
			if y, ok := b.(*List); ok {
				x.extend(y)
				return x
			}
			Iterate(th, b, func(v Value) bool { x.Append(v); return true })
			return x
		case syntax.STAR:
			if n, ok := th.repeatCount(b); ok {
				r := x.repeated(th, n)
				x.become(r)
				return x
			}
		}
	case *Dict:
		if op == syntax.PIPE {
			if y, ok := b.(*Dict); ok {
				for _, kv := range y.Items() {
					x.Set(th, kv.Key, kv.Value)
				}
				return x
			}
		}
	case *Set:
		if y, ok := b.(*Set); ok && !x.Frozen {
			switch op {
			case syntax.PIPE:
				x.update(th, y)
			case syntax.AMP:
				r := x.intersection(th, y)
				x.table, x.fill, x.used = r.table, r.fill, r.used
			case syntax.MINUS:
				x.differenceUpdate(th, y)
			case syntax.CARET:
				x.symmetricDifferenceUpdate(th, y)
			default:
				return Binary(th, op, a, b)
			}
			return x
		}
	case *Instance:
		names, ok := binDunders[op]
		if ok {
			iname := "__i" + names[0][2:]
			if m, _ := x.cls.Lookup(iname); m != nil {
				if r := th.callMethod(x, m, []Value{b}, nil); r != NotImplemented {
					return r
				}
			}
		}
	}
	return Binary(th, op, a, b)
}

// Unary evaluates -x, +x, ~x.
func Unary(th *Thread, op syntax.Token, v Value) Value {
	switch x := v.(type) {
	case Int:
		switch op {
		case syntax.MINUS:
			if x == math.MinInt64 {
				return MakeBigInt(new(big.Int).Neg(big.NewInt(int64(x))))
			}
			return MakeInt(-int64(x))
		case syntax.PLUS:
			return x
		case syntax.TILDE:
			return MakeInt(^int64(x))
		}
	case Bool:
		return Unary(th, op, MakeInt(b2i(x)))
	case *BigInt:
		switch op {
		case syntax.MINUS:
			return MakeBigInt(new(big.Int).Neg(x.v))
		case syntax.PLUS:
			return x
		case syntax.TILDE:
			return MakeBigInt(new(big.Int).Not(x.v))
		}
	case Float:
		switch op {
		case syntax.MINUS:
			return -x
		case syntax.PLUS:
			return x
		}
	case *Instance:
		name := map[syntax.Token]string{syntax.MINUS: "__neg__", syntax.PLUS: "__pos__", syntax.TILDE: "__invert__"}[op]
		if m, _ := x.cls.Lookup(name); m != nil {
			return th.callMethod(x, m, nil, nil)
		}
		if val, ok := mixedEnumValue(x); ok && op != syntax.NOT {
			return Unary(th, op, val)
		}
	case BinaryOperator:
		if r := x.BinaryJac(th, op, nil, false); r != nil {
			return r
		}
	}
	th.TypeError("bad operand type for unary %s: '%s'", op, TypeName(v))
	return nil
}

// toInt64 converts an index-like value, raising TypeError otherwise.
func toInt64(th *Thread, v Value) int64 {
	switch x := v.(type) {
	case Int:
		return int64(x)
	case Bool:
		return b2i(x)
	case *BigInt:
		th.Raise(OverflowErrorClass, "Python int too large to convert to C ssize_t")
	case *Instance:
		if val, ok := mixedEnumValue(x); ok {
			return toInt64(th, val)
		}
		if m, _ := x.cls.Lookup("__index__"); m != nil {
			return toInt64(th, th.callMethod(x, m, nil, nil))
		}
	}
	th.TypeError("'%s' object cannot be interpreted as an integer", TypeName(v))
	return 0
}

// ToInt64 is toInt64 for library code.
func ToInt64(th *Thread, v Value) int64 { return toInt64(th, v) }

// ToFloat converts a number to float64, raising TypeError otherwise.
func ToFloat(th *Thread, v Value) float64 {
	f, ok := toFloat(v)
	if !ok {
		// an object with __float__ (Decimal, Fraction)
		if r, has := callDunder(th, v, "__float__"); has {
			if rf, isF := toFloat(r); isF {
				return rf
			}
		}
		th.TypeError("must be real number, not %s", TypeName(v))
	}
	return f
}

// callDunder calls v's method name (a class method or a library value's
// attribute), reporting whether v has one.
func callDunder(th *Thread, v Value, name string) (Value, bool) {
	if r, ok := th.CallMethod(v, name); ok {
		return r, true
	}
	if m, ok := LookupAttr(th, v, name); ok && IsCallable(m) {
		return th.Call(m, nil, nil), true
	}
	return nil, false
}

func isTypeLike(v Value) bool {
	switch v.(type) {
	case *Class, *GenericAlias, *UnionType, NoneType, *inertType:
		return true
	}
	return false
}

func unionArgs(v Value) []Value {
	if u, ok := v.(*UnionType); ok {
		return u.Args
	}
	return []Value{v}
}

// isSequence reports whether v is a built-in sequence that * repeats.
func isSequence(v Value) bool {
	switch v.(type) {
	case Str, Bytes, *List, Tuple:
		return true
	}
	return false
}
