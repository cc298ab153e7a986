package interp

import (
	"math"
	"math/bits"

	"github.com/jacscale/jac/runtime/libm"

	"github.com/jacscale/jac/runtime/syntax"
)

// Arithmetic without intermediate boxes.
//
// An arithmetic expression tree such as `a.x * b.x + a.y * b.y` or
// `(h ^ k) * 16777619 % 4294967296` is compiled to numFns: each node hands its
// parent an int64 or a float64 that is not boxed, so the tree allocates at most
// one box (for its result) instead of one per float or large-int operation. A
// node whose operands are not both ints or floats (a str, a Bool, a big int, an
// instance with __add__), or whose int result overflows, or that would raise,
// takes the generic path with boxed operands: the same code an expression of one
// operator runs, so results, errors and dunder calls are exactly those of the
// boxed evaluation. Operands are evaluated left to right, each once.

// numKind tells what a num holds.
type numKind uint8

const (
	numBoxed numKind = iota // not a number: the value is the Value beside it
	numInt
	numFloat
)

// num is an int or float result that is not boxed.
type num struct {
	i    int64
	f    float64
	kind numKind
}

// numFn evaluates an expression for an arithmetic consumer: a number in n, or,
// when n.kind is numBoxed, any value in v.
type numFn func(fr *Frame) (n num, v Value)

func intNum(i int64) num     { return num{i: i, kind: numInt} }
func floatNum(f float64) num { return num{f: f, kind: numFloat} }

// asFloat is the number as a float64 (an int converted as Python's float(int)).
func (n num) asFloat() float64 {
	if n.kind == numInt {
		return float64(n.i)
	}
	return n.f
}

// box returns the number as a Value.
func (n num) box() Value {
	if n.kind == numInt {
		return MakeInt(n.i)
	}
	return Float(n.f)
}

// unboxNum takes an int or a float out of its box.
func unboxNum(v Value) (num, Value) {
	switch x := v.(type) {
	case Float:
		return floatNum(float64(x)), nil
	case Int:
		return intNum(int64(x)), nil
	}
	return num{}, v
}

// boxed returns a numFn's result as a Value.
func boxed(n num, v Value) Value {
	if n.kind == numBoxed {
		return v
	}
	return n.box()
}

// rawArithOp reports whether op is computed by rawArith.
func rawArithOp(op syntax.Token) bool {
	switch op {
	case syntax.PLUS, syntax.MINUS, syntax.STAR, syntax.SLASH, syntax.DSLASH, syntax.PERCENT,
		syntax.AMP, syntax.PIPE, syntax.CARET, syntax.LSHIFT, syntax.RSHIFT, syntax.DSTAR:
		return true
	}
	return false
}

// isArith reports whether e is an arithmetic node that numeric compiles to a
// numFn of its own (not a leaf).
func isArith(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Binary:
		return rawArithOp(x.Op)
	case *syntax.Unary:
		return x.Op == syntax.MINUS && !isNumConst(x.X)
	}
	return false
}

func isNumConst(e syntax.Expr) bool {
	k, ok := e.(*syntax.Const)
	return ok && (k.Kind == syntax.INT || k.Kind == syntax.FLOAT)
}

// hasArithOperand reports whether a binary or comparison over these operands has
// an intermediate result that numeric saves a box for.
func hasArithOperand(es ...syntax.Expr) bool {
	for _, e := range es {
		if isArith(e) {
			return true
		}
	}
	return false
}

// numeric compiles e for an arithmetic consumer.
func (c *compiler) numeric(e syntax.Expr) numFn {
	switch x := e.(type) {
	case *syntax.Binary:
		if rawArithOp(x.Op) {
			return c.numBinary(x)
		}
	case *syntax.Unary:
		if x.Op == syntax.MINUS && !isNumConst(x.X) {
			return c.numNeg(x)
		}
		if x.Op == syntax.MINUS {
			return constNum(c.expr(e)(nil)) // a folded constant (unary)
		}
	case *syntax.Const:
		return constNum(c.constant(x))
	case *syntax.Index:
		if isItemRead(x) {
			return c.numIndex(x) // listnum.go
		}
	}
	f := c.expr(e)
	if slot, ok := c.localSlot(e); ok {
		return localNum(slot, f) // localops.go
	}
	return func(fr *Frame) (num, Value) { return unboxNum(f(fr)) }
}

func constNum(v Value) numFn {
	n, bv := unboxNum(v)
	return func(*Frame) (num, Value) { return n, bv }
}

// numExpr compiles an arithmetic tree whose result is consumed as a Value.
func (c *compiler) numExpr(e syntax.Expr) exprFn {
	f := c.numeric(e)
	return func(fr *Frame) Value { return boxed(f(fr)) }
}

// numNeg is -x for an arithmetic consumer.
func (c *compiler) numNeg(x *syntax.Unary) numFn {
	a := c.numeric(x.X)
	pos := x.P
	return func(fr *Frame) (num, Value) {
		n, v := a(fr)
		switch n.kind {
		case numFloat:
			return floatNum(-n.f), nil
		case numInt:
			if n.i != math.MinInt64 {
				return intNum(-n.i), nil
			}
		}
		fr.pos = pos
		return num{}, Unary(fr.th, syntax.MINUS, boxed(n, v))
	}
}

// numBinary is x.X op x.Y for an arithmetic consumer. + - * on two ints or two
// floats, and // % & >> ^ by a positive int constant, are computed in the
// closure; everything else goes to numArith.
func (c *compiler) numBinary(x *syntax.Binary) numFn {
	if f := c.numByConst(x); f != nil {
		return f
	}
	a, b := c.numeric(x.X), c.numeric(x.Y)
	op, pos := x.Op, x.P
	switch op {
	case syntax.PLUS:
		return func(fr *Frame) (num, Value) {
			l, lv := a(fr)
			r, rv := b(fr)
			if l.kind == numInt && r.kind == numInt {
				if s := l.i + r.i; (s > l.i) == (r.i > 0) {
					return intNum(s), nil
				}
			} else if l.kind == numFloat && r.kind == numFloat {
				return floatNum(l.f + r.f), nil
			}
			return numArith(fr, op, pos, l, lv, r, rv)
		}
	case syntax.MINUS:
		return func(fr *Frame) (num, Value) {
			l, lv := a(fr)
			r, rv := b(fr)
			if l.kind == numInt && r.kind == numInt {
				if s := l.i - r.i; (s < l.i) == (r.i > 0) {
					return intNum(s), nil
				}
			} else if l.kind == numFloat && r.kind == numFloat {
				return floatNum(l.f - r.f), nil
			}
			return numArith(fr, op, pos, l, lv, r, rv)
		}
	case syntax.STAR:
		return func(fr *Frame) (num, Value) {
			l, lv := a(fr)
			r, rv := b(fr)
			if l.kind == numFloat && r.kind == numFloat {
				return floatNum(l.f * r.f), nil
			}
			return numArith(fr, op, pos, l, lv, r, rv)
		}
	}
	return func(fr *Frame) (num, Value) {
		l, lv := a(fr)
		r, rv := b(fr)
		return numArith(fr, op, pos, l, lv, r, rv)
	}
}

// numByConst compiles x.X op k for a positive int constant k and an operator
// whose int result never overflows (// % & >> ^): the constant is not
// evaluated per run and the operator is chosen here, not per operation. Any
// other left operand takes numArith with k, as numBinary's closure would.
func (c *compiler) numByConst(x *syntax.Binary) numFn {
	k, ok := x.Y.(*syntax.Const)
	if !ok || k.Kind != syntax.INT {
		return nil
	}
	kv, ok := c.constant(k).(Int)
	if !ok || kv <= 0 {
		return nil
	}
	var intFn func(i int64) int64
	switch y := int64(kv); x.Op {
	case syntax.DSLASH: // floor division: Go's / truncates toward zero
		intFn = func(i int64) int64 {
			q := i / y
			if i%y != 0 && i < 0 {
				q--
			}
			return q
		}
	case syntax.PERCENT: // the sign of the divisor (positive)
		intFn = func(i int64) int64 {
			if m := i % y; m >= 0 {
				return m
			} else {
				return m + y
			}
		}
	case syntax.AMP:
		intFn = func(i int64) int64 { return i & y }
	case syntax.CARET:
		intFn = func(i int64) int64 { return i ^ y }
	case syntax.RSHIFT:
		intFn = func(i int64) int64 { return i >> min(y, 63) }
	default:
		return nil
	}
	a, op, pos, r := c.numeric(x.X), x.Op, x.P, intNum(int64(kv))
	return func(fr *Frame) (num, Value) {
		l, lv := a(fr)
		if l.kind == numInt {
			return intNum(intFn(l.i)), nil
		}
		return numArith(fr, op, pos, l, lv, r, nil)
	}
}

// numArith is l op r for operands that a numBinary closure did not compute
// itself: rawArith for two numbers, else the generic path with boxed operands.
func numArith(fr *Frame, op syntax.Token, pos syntax.Pos, l num, lv Value, r num, rv Value) (num, Value) {
	if l.kind != numBoxed && r.kind != numBoxed {
		if n, ok := rawArith(op, l, r); ok {
			return n, nil
		}
	}
	fr.pos = pos
	return unboxNum(binaryValues(fr.th, op, boxed(l, lv), boxed(r, rv)))
}

// binaryValues is the generic path of a binary operator: the int, str and float
// fast paths of the compiled closures, then Binary.
func binaryValues(th *Thread, op syntax.Token, l, r Value) Value {
	if li, ok := l.(Int); ok {
		if ri, ok := r.(Int); ok {
			if v, ok := intOp(th, op, int64(li), int64(ri)); ok {
				return v
			}
		}
	} else if ls, ok := l.(Str); ok && op == syntax.PLUS {
		if rs, ok := r.(Str); ok {
			return th.concat(ls, rs)
		}
	}
	if v, ok := floatArith(op, l, r); ok {
		return v
	}
	return Binary(th, op, l, r)
}

// rawArith computes op on two numbers as Python does, when the result is an
// int64 or a float64 that needs no error: ok is false on int overflow, a zero
// divisor, a negative shift, or an operator left to the generic path.
func rawArith(op syntax.Token, l, r num) (num, bool) {
	if l.kind == numInt && r.kind == numInt {
		return rawIntArith(op, l.i, r.i)
	}
	x, y := l.asFloat(), r.asFloat()
	switch op {
	case syntax.PLUS:
		return floatNum(x + y), true
	case syntax.MINUS:
		return floatNum(x - y), true
	case syntax.STAR:
		return floatNum(x * y), true
	case syntax.SLASH:
		if y != 0 {
			return floatNum(x / y), true
		}
	case syntax.PERCENT:
		if y != 0 {
			return floatNum(pyFmod(x, y)), true
		}
	case syntax.DSTAR:
		// A positive finite base: the real power, as numOp computes it; an
		// overflow (OverflowError), a negative base (a complex result) and the
		// rest take the generic path.
		if x > 0 && !math.IsInf(x, 0) {
			if p := libm.Pow(x, y); !math.IsInf(p, 0) {
				return floatNum(p), true
			}
		}
	}
	return num{}, false
}

// rawIntArith is intOp for results that stay int64 without raising.
func rawIntArith(op syntax.Token, x, y int64) (num, bool) {
	switch op {
	case syntax.PLUS:
		if s := x + y; (s > x) == (y > 0) {
			return intNum(s), true
		}
	case syntax.MINUS:
		if s := x - y; (s < x) == (y > 0) {
			return intNum(s), true
		}
	case syntax.STAR:
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		if hi == 0 && lo < 1<<63 && x != math.MinInt64 && y != math.MinInt64 {
			p := int64(lo)
			if (x < 0) != (y < 0) {
				p = -p
			}
			return intNum(p), true
		}
	case syntax.DSLASH:
		if y != 0 && !(x == math.MinInt64 && y == -1) {
			q := x / y
			if x%y != 0 && (x < 0) != (y < 0) {
				q--
			}
			return intNum(q), true
		}
	case syntax.PERCENT:
		if y == -1 {
			return intNum(0), true
		}
		if y != 0 {
			m := x % y
			if m != 0 && (m < 0) != (y < 0) {
				m += y
			}
			return intNum(m), true
		}
	case syntax.SLASH:
		if y != 0 {
			return floatNum(float64(x) / float64(y)), true
		}
	case syntax.AMP:
		return intNum(x & y), true
	case syntax.PIPE:
		return intNum(x | y), true
	case syntax.CARET:
		return intNum(x ^ y), true
	case syntax.LSHIFT:
		if y >= 0 && y < 63 && abs64(x) < 1<<(62-y) {
			return intNum(x << y), true
		}
	case syntax.RSHIFT:
		if y >= 0 {
			return intNum(x >> min(y, 63)), true
		}
	}
	return num{}, false
}

// numCompare compiles a comparison of one operator with an arithmetic operand:
// two ints or two floats are compared without boxing either.
func (c *compiler) numCompare(cmp *syntax.Compare) func(*Frame) bool {
	a, b := c.numeric(cmp.Elts[0]), c.numeric(cmp.Elts[1])
	op, pos := cmp.Ops[0], cmp.P
	return func(fr *Frame) bool {
		l, lv := a(fr)
		r, rv := b(fr)
		if l.kind == numFloat && r.kind == numFloat {
			if res, ok := compareOrdered(op, l.f, r.f); ok {
				return res
			}
		} else if l.kind == numInt && r.kind == numInt {
			if res, ok := compareOrdered(op, l.i, r.i); ok {
				return res
			}
		}
		fr.pos = pos
		return compareOp(fr.th, op, boxed(l, lv), boxed(r, rv))
	}
}

// numAugLocal compiles `name op= value` for a local whose value is an
// arithmetic expression: the right side is not boxed, and an int or float
// result is boxed once.
func (c *compiler) numAugLocal(x *syntax.AugAssign, slot int, name string) stmtFn {
	val := c.numeric(x.Value)
	op, pos := x.Op, x.P
	return func(fr *Frame) ctrl {
		fr.pos = pos
		cur := fr.locals[slot]
		if cur == nil {
			unboundLocal(fr, name)
		}
		r, rv := val(fr)
		if r.kind != numBoxed {
			if l, lv := unboxNum(cur); lv == nil {
				if n, ok := rawArith(op, l, r); ok {
					fr.locals[slot] = n.box()
					return ctrlNone
				}
			}
		}
		fr.locals[slot] = inPlaceValues(fr.th, op, cur, boxed(r, rv))
		return ctrlNone
	}
}

// inPlaceValues is `cur op= v` on values: the int and float fast paths, then InPlace.
func inPlaceValues(th *Thread, op syntax.Token, cur, v Value) Value {
	if a, ok := cur.(Int); ok {
		if b, ok := v.(Int); ok {
			if r, ok := intOp(th, op, int64(a), int64(b)); ok {
				return r
			}
		}
	}
	if r, ok := floatArith(op, cur, v); ok {
		return r
	}
	return InPlace(th, op, cur, v)
}
