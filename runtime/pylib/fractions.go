package pylib

import (
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

var fractionClass = interp.NewBuiltinClass("Fraction", interp.ObjectClass)

// fraction is fractions.Fraction, always normalized.
type fraction struct{ r *big.Rat }

func (*fraction) Class() *interp.Class { return fractionClass }

func toRat(th *interp.Thread, v interp.Value) (*big.Rat, bool) {
	switch x := v.(type) {
	case *fraction:
		return x.r, true
	case interp.Int, interp.Bool, *interp.BigInt:
		return new(big.Rat).SetInt(toBig(th, x)), true
	case interp.Float:
		r := new(big.Rat)
		r.SetFloat64(float64(x))
		return r, true
	}
	return nil, false
}

func newFraction(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) == 0 {
		return &fraction{r: new(big.Rat)}
	}
	if s, ok := args[0].(interp.Str); ok && len(args) == 1 {
		r, ok := new(big.Rat).SetString(string(s))
		if !ok {
			th.ValueError("Invalid literal for Fraction: %s", interp.QuoteStr(string(s)))
		}
		return &fraction{r: r}
	}
	num, ok := toRat(th, args[0])
	if !ok {
		th.TypeError("argument should be a string or a Rational instance")
	}
	r := new(big.Rat).Set(num)
	if len(args) > 1 {
		den, _ := toRat(th, args[1])
		if den.Sign() == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "Fraction(%s, 0)", interp.Repr(th, args[0]))
		}
		r.Quo(r, den)
	}
	return &fraction{r: r}
}

// StrJac renders 3/4 (or 3 for integers).
func (f *fraction) StrJac(th *interp.Thread) string {
	if f.r.IsInt() {
		return f.r.Num().String()
	}
	return f.r.Num().String() + "/" + f.r.Denom().String()
}

// ReprJac renders Fraction(3, 4).
func (f *fraction) ReprJac(th *interp.Thread) string {
	return "Fraction(" + f.r.Num().String() + ", " + f.r.Denom().String() + ")"
}

// EqualJac compares exactly.
func (f *fraction) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	r, ok := toRat(th, o)
	return ok && f.r.Cmp(r) == 0, true
}

// HashJac hashes the value.
func (f *fraction) HashJac(th *interp.Thread) uint64 {
	if f.r.IsInt() {
		return interp.Hash(th, interp.MakeBigInt(f.r.Num()))
	}
	return interp.Hash(th, interp.Str(f.r.String()))
}

// CompareJac orders exactly.
func (f *fraction) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	r, ok := toRat(th, o)
	if !ok {
		return 0, false
	}
	return f.r.Cmp(r), true
}

// BinaryJac implements + - * / // % ** with ints, fractions (and floats → float).
func (f *fraction) BinaryJac(th *interp.Thread, op syntax.Token, other interp.Value, right bool) interp.Value {
	if other == nil {
		if op == syntax.MINUS {
			return &fraction{r: new(big.Rat).Neg(f.r)}
		}
		return f
	}
	if fl, ok := other.(interp.Float); ok {
		x, _ := f.r.Float64()
		if right {
			return interp.Binary(th, op, fl, interp.Float(x))
		}
		return interp.Binary(th, op, interp.Float(x), fl)
	}
	o, ok := toRat(th, other)
	if !ok {
		return nil
	}
	a, b := f.r, o
	if right {
		a, b = b, a
	}
	r := new(big.Rat)
	switch op {
	case syntax.PLUS:
		r.Add(a, b)
	case syntax.MINUS:
		r.Sub(a, b)
	case syntax.STAR:
		r.Mul(a, b)
	case syntax.SLASH:
		if b.Sign() == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "Fraction division by zero")
		}
		r.Quo(a, b)
	case syntax.DSLASH:
		q := new(big.Rat).Quo(a, b)
		fl := new(big.Int).Div(q.Num(), q.Denom())
		return interp.MakeBigInt(fl)
	case syntax.DSTAR:
		if !b.IsInt() {
			x, _ := a.Float64()
			y, _ := b.Float64()
			return interp.Binary(th, op, interp.Float(x), interp.Float(y))
		}
		n := b.Num().Int64()
		r.SetInt64(1)
		base := new(big.Rat).Set(a)
		if n < 0 {
			base.Inv(base)
			n = -n
		}
		for i := int64(0); i < n; i++ {
			r.Mul(r, base)
		}
	default:
		return nil
	}
	return &fraction{r: r}
}

// AttrJac exposes numerator/denominator and limit_denominator.
func (f *fraction) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "numerator":
		return interp.MakeBigInt(new(big.Int).Set(f.r.Num())), true
	case "denominator":
		return interp.MakeBigInt(new(big.Int).Set(f.r.Denom())), true
	case "limit_denominator":
		return builtin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			maxDen := int64(1000000)
			if len(a) > 0 {
				maxDen = interp.ToInt64(th, a[0])
			}
			x, _ := f.r.Float64()
			best := new(big.Rat).SetFloat64(x)
			for d := int64(1); d <= maxDen; d++ {
				n := new(big.Int).SetInt64(int64(x*float64(d) + 0.5))
				c := new(big.Rat).SetFrac(n, big.NewInt(d))
				if new(big.Rat).Abs(new(big.Rat).Sub(c, f.r)).Cmp(new(big.Rat).Abs(new(big.Rat).Sub(best, f.r))) < 0 || d == 1 {
					best = c
				}
				if best.Cmp(f.r) == 0 {
					break
				}
			}
			return &fraction{r: best}
		}), true
	}
	return nil, false
}

func init() {
	interp.SetNewFn(fractionClass, func(th *interp.Thread, c *interp.Class, a []interp.Value, kw []interp.KV) interp.Value {
		return newFraction(th, a, kw)
	})
	interp.RegisterModule("fractions", func() *interp.Module {
		m := interp.NewModule("fractions")
		m.Set("Fraction", fractionClass)
		return m
	})
}
