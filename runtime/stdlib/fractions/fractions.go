// Package fractions implements Python's fractions module: Fraction over
// math/big.Rat.
package fractions

import (
	"math"
	"math/big"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// Fraction is fractions.Fraction.
type Fraction struct{ R *big.Rat }

var fractionClass = func() *interp.Class {
	c := interp.NewBuiltinClass("Fraction")
	c.Module = "fractions"
	return c
}()

func (*Fraction) Class() *interp.Class { return fractionClass }

// New is the Fraction r (r is not copied).
func New(r *big.Rat) *Fraction { return &Fraction{R: r} }

func (f *Fraction) StrJac(th *interp.Thread) string {
	if f.R.IsInt() {
		return f.R.Num().String()
	}
	return f.R.Num().String() + "/" + f.R.Denom().String()
}

func (f *Fraction) ReprJac(th *interp.Thread) string {
	return "Fraction(" + f.R.Num().String() + ", " + f.R.Denom().String() + ")"
}

func (f *Fraction) Float() float64 { x, _ := f.R.Float64(); return x }

func (f *Fraction) HashJac(th *interp.Thread) uint64 {
	if f.R.IsInt() {
		return interp.Hash(th, interp.MakeBigInt(new(big.Int).Set(f.R.Num())))
	}
	x := f.Float()
	if x == math.Trunc(x) {
		return interp.Hash(th, interp.Float(x)) ^ 0x5bd1e995
	}
	return interp.Hash(th, interp.Float(x))
}

// ratOf converts an int or Fraction operand to a Rat (ok false otherwise).
func ratOf(v interp.Value) (*big.Rat, bool) {
	switch x := v.(type) {
	case *Fraction:
		return x.R, true
	case interp.Int:
		return new(big.Rat).SetInt64(int64(x)), true
	case interp.Bool:
		if x {
			return big.NewRat(1, 1), true
		}
		return new(big.Rat), true
	case *interp.BigInt:
		return new(big.Rat).SetInt(x.Value()), true
	}
	return nil, false
}

func (f *Fraction) EqualJac(th *interp.Thread, other interp.Value) (bool, bool) {
	if r, ok := ratOf(other); ok {
		return f.R.Cmp(r) == 0, true
	}
	if x, ok := other.(interp.Float); ok {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return false, true
		}
		return f.R.Cmp(new(big.Rat).SetFloat64(float64(x))) == 0, true
	}
	return false, false
}

func (f *Fraction) CompareJac(th *interp.Thread, other interp.Value) (int, bool) {
	if r, ok := ratOf(other); ok {
		return f.R.Cmp(r), true
	}
	if x, ok := other.(interp.Float); ok {
		y := float64(x)
		switch {
		case math.IsInf(y, 1):
			return -1, true
		case math.IsInf(y, -1):
			return 1, true
		case math.IsNaN(y):
			return 0, false
		}
		return f.R.Cmp(new(big.Rat).SetFloat64(y)), true
	}
	return 0, false
}

func floorDiv(a, b *big.Rat) *big.Int {
	q := new(big.Rat).Quo(a, b)
	n := new(big.Int).Set(q.Num())
	d := q.Denom()
	r := new(big.Int)
	n.DivMod(n, d, r) // Euclidean; denominator positive so this is floor
	return n
}

func (f *Fraction) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if other == nil { // unary
		switch op {
		case syntax.MINUS:
			return New(new(big.Rat).Neg(f.R))
		case syntax.PLUS:
			return f
		}
		return nil
	}
	if x, ok := other.(interp.Float); ok {
		a, b := interp.Value(interp.Float(f.Float())), interp.Value(x)
		if right {
			a, b = b, a
		}
		switch op {
		case syntax.PLUS, syntax.MINUS, syntax.STAR, syntax.SLASH, syntax.DSLASH, syntax.PERCENT, syntax.DSTAR:
			return interp.Binary(th, op, a, b)
		}
		return nil
	}
	o, ok := ratOf(other)
	if !ok {
		return nil
	}
	a, b := f.R, o
	if right {
		a, b = b, a
	}
	switch op {
	case syntax.PLUS:
		return New(new(big.Rat).Add(a, b))
	case syntax.MINUS:
		return New(new(big.Rat).Sub(a, b))
	case syntax.STAR:
		return New(new(big.Rat).Mul(a, b))
	case syntax.SLASH:
		if b.Sign() == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "Fraction(%s, 0)", new(big.Rat).Mul(a, big.NewRat(1, 1)).Num().String())
		}
		return New(new(big.Rat).Quo(a, b))
	case syntax.DSLASH:
		if b.Sign() == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "division by zero")
		}
		return interp.MakeBigInt(floorDiv(a, b))
	case syntax.PERCENT:
		if b.Sign() == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "division by zero")
		}
		q := new(big.Rat).SetInt(floorDiv(a, b))
		return New(new(big.Rat).Sub(a, q.Mul(q, b)))
	case syntax.DSTAR:
		if b.IsInt() && b.Num().IsInt64() {
			e := b.Num().Int64()
			num, den := new(big.Int).Set(a.Num()), new(big.Int).Set(a.Denom())
			if e < 0 {
				if num.Sign() == 0 {
					th.Raise(interp.ZeroDivisionErrorClass, "Fraction(%s, 0)", den.String())
				}
				num, den = den, num
				e = -e
			}
			num.Exp(num, big.NewInt(e), nil)
			den.Exp(den, big.NewInt(e), nil)
			return New(new(big.Rat).SetFrac(num, den))
		}
		x, _ := a.Float64()
		y, _ := b.Float64()
		return interp.Float(libm.Pow(x, y))
	}
	return nil
}

func (f *Fraction) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "numerator":
		return interp.MakeBigInt(new(big.Int).Set(f.R.Num())), true
	case "denominator":
		return interp.MakeBigInt(new(big.Int).Set(f.R.Denom())), true
	case "limit_denominator":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "max_denominator?")
			maxD := big.NewInt(1000000)
			if a[0] != nil {
				maxD = native.BigInt(th, a[0])
			}
			if maxD.Cmp(big.NewInt(1)) < 0 {
				th.ValueError("max_denominator should be at least 1")
			}
			return New(limitDenominator(f.R, maxD))
		}), true
	case "as_integer_ratio":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Tuple{interp.MakeBigInt(new(big.Int).Set(f.R.Num())), interp.MakeBigInt(new(big.Int).Set(f.R.Denom()))}
		}), true
	case "is_integer":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBool(f.R.IsInt())
		}), true
	case "__float__":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(f.Float())
		}), true
	case "__int__", "__trunc__":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBigInt(new(big.Int).Quo(f.R.Num(), f.R.Denom()))
		}), true
	case "__floor__":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBigInt(floorDiv(f.R, big.NewRat(1, 1)))
		}), true
	case "__ceil__":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			n := floorDiv(new(big.Rat).Neg(f.R), big.NewRat(1, 1))
			return interp.MakeBigInt(n.Neg(n))
		}), true
	}
	return nil, false
}

// limitDenominator is Fraction.limit_denominator (same algorithm as CPython).
func limitDenominator(r *big.Rat, maxD *big.Int) *big.Rat {
	if r.Denom().Cmp(maxD) <= 0 {
		return new(big.Rat).Set(r)
	}
	p0, q0, p1, q1 := big.NewInt(0), big.NewInt(1), big.NewInt(1), big.NewInt(0)
	n, d := new(big.Int).Set(r.Num()), new(big.Int).Set(r.Denom())
	for {
		a := new(big.Int)
		m := new(big.Int)
		a.DivMod(n, d, m)
		q2 := new(big.Int).Add(q0, new(big.Int).Mul(a, q1))
		if q2.Cmp(maxD) > 0 {
			break
		}
		p0, q0, p1, q1 = p1, q1, new(big.Int).Add(p0, new(big.Int).Mul(a, p1)), q2
		n, d = d, m
	}
	k := new(big.Int).Quo(new(big.Int).Sub(maxD, q0), q1)
	b1 := new(big.Rat).SetFrac(new(big.Int).Add(p0, new(big.Int).Mul(k, p1)), new(big.Int).Add(q0, new(big.Int).Mul(k, q1)))
	b2 := new(big.Rat).SetFrac(p1, q1)
	d1 := new(big.Rat).Abs(new(big.Rat).Sub(b2, r))
	d2 := new(big.Rat).Abs(new(big.Rat).Sub(b1, r))
	if d1.Cmp(d2) <= 0 {
		return b2
	}
	return b1
}

func fromValue(th *interp.Thread, v interp.Value) *big.Rat {
	if r, ok := ratOf(v); ok {
		return new(big.Rat).Set(r)
	}
	switch x := v.(type) {
	case interp.Float:
		f := float64(x)
		if math.IsNaN(f) {
			th.ValueError("cannot convert NaN to integer ratio")
		}
		if math.IsInf(f, 0) {
			th.Raise(interp.OverflowErrorClass, "cannot convert Infinity to integer ratio")
		}
		return new(big.Rat).SetFloat64(f)
	case interp.Str:
		s := strings.TrimSpace(string(x))
		r, ok := new(big.Rat).SetString(strings.ReplaceAll(s, "_", ""))
		if !ok || s == "" {
			th.ValueError("Invalid literal for Fraction: %s", interp.QuoteStr(string(x)))
		}
		return r
	}
	th.TypeError("argument should be a string or a Rational instance")
	return nil
}

func init() {
	interp.RegisterModule("fractions", func() *interp.Module {
		m := interp.NewModule("fractions")
		interp.SetConstructor(fractionClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "Fraction", args, kw, "numerator?", "denominator?")
			if a[0] == nil {
				return New(new(big.Rat))
			}
			if a[1] == nil || a[1] == interp.None {
				return New(fromValue(th, a[0]))
			}
			n, ok1 := ratOf(a[0])
			d, ok2 := ratOf(a[1])
			if !ok1 || !ok2 {
				th.TypeError("both arguments should be Rational instances")
			}
			if d.Sign() == 0 {
				th.Raise(interp.ZeroDivisionErrorClass, "Fraction(%s, 0)", interp.ToStr(th, a[0]))
			}
			return New(new(big.Rat).Quo(n, d))
		})
		m.Set("Fraction", fractionClass)
		return m
	})
}
