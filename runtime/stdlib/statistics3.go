package stdlib

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/syntax"
)

// Type-preserving mean/variance family (int, Fraction, float, Decimal as in
// CPython's _sum/_convert), weighted fmean and harmonic_mean, and fsum-based
// geometric_mean.

type stKind int

const (
	stInt stKind = iota
	stFrac
	stFloat
	stDec
)

var stKindNames = []string{"int", "Fraction", "float", "Decimal"}

func stCoerce(th *interp.Thread, a, b stKind) stKind {
	if a == b {
		return a
	}
	if a == stDec || b == stDec {
		if a == stInt || b == stInt {
			return stDec
		}
		th.TypeError("don't know how to coerce %s and %s", stKindNames[a], stKindNames[b])
	}
	return max(a, b)
}

// stDataT reads data exactly, with CPython's result type; special reports a NaN or infinity.
func stDataT(th *interp.Thread, v interp.Value) (rats []*big.Rat, vals []interp.Value, kind stKind, special bool) {
	interp.Iterate(th, v, func(x interp.Value) bool {
		vals = append(vals, x)
		var r *big.Rat
		var k stKind
		switch y := x.(type) {
		case interp.Int, interp.Bool, *interp.BigInt:
			r, k = new(big.Rat).SetInt(mBigOf(th, y)), stInt
		case interp.Float:
			k = stFloat
			if f := float64(y); !math.IsNaN(f) && !math.IsInf(f, 0) {
				r = new(big.Rat).SetFloat64(f)
			}
		case *frFraction:
			r, k = new(big.Rat).Set(y.r), stFrac
		default:
			d, ok := decOf(x)
			if !ok {
				th.TypeError("can't convert type '%s' to numerator/denominator", interp.TypeName(x))
			}
			k = stDec
			if d.kind == dFinite {
				r = new(big.Rat).SetInt(d.coef)
				if d.exp >= 0 {
					r.Mul(r, new(big.Rat).SetInt(pow10(d.exp)))
				} else {
					r.Quo(r, new(big.Rat).SetInt(pow10(-d.exp)))
				}
				if d.neg {
					r.Neg(r)
				}
			}
		}
		if len(vals) == 1 {
			kind = k
		} else {
			kind = stCoerce(th, kind, k)
		}
		if r == nil {
			special = true
		}
		rats = append(rats, r)
		return true
	})
	return
}

func stConvertT(th *interp.Thread, r *big.Rat, kind stKind) interp.Value {
	switch kind {
	case stInt:
		if r.IsInt() {
			return interp.MakeBigInt(new(big.Int).Set(r.Num()))
		}
	case stFrac:
		return frNew(new(big.Rat).Set(r))
	case stDec:
		n, d := r.Num(), r.Denom()
		c := decCtxOf(th)
		return newDec(c.div(th, dFin(n.Sign() < 0, new(big.Int).Abs(n), 0), dFin(false, new(big.Int).Set(d), 0)))
	}
	f, _ := r.Float64()
	return interp.Float(f)
}

// decimalSqrtOfFrac is statistics._decimal_sqrt_of_frac.
func decimalSqrtOfFrac(th *interp.Thread, n, m *big.Int) interp.Value {
	c := decCtxOf(th)
	if n.Sign() <= 0 {
		if n.Sign() == 0 {
			return newDec(dFin(false, bigZero, -1))
		}
		n, m = new(big.Int).Neg(n), new(big.Int).Neg(m)
	}
	root := c.sqrt(th, c.div(th, dFin(false, n, 0), dFin(false, m, 0)))
	ratio := func(x *dnum) (*big.Int, *big.Int) {
		r := new(big.Rat).SetInt(x.coef)
		if x.exp >= 0 {
			r.Mul(r, new(big.Rat).SetInt(pow10(x.exp)))
		} else {
			r.Quo(r, new(big.Rat).SetInt(pow10(-x.exp)))
		}
		return r.Num(), r.Denom()
	}
	sq := func(x *big.Int) *big.Int { return new(big.Int).Mul(x, x) }
	mul := func(xs ...*big.Int) *big.Int {
		p := big.NewInt(1)
		for _, x := range xs {
			p = new(big.Int).Mul(p, x)
		}
		return p
	}
	nr, dr := ratio(root)
	plus := c.nextPlus(th, root)
	np, dp := ratio(plus)
	if mul(big.NewInt(4), n, sq(mul(dr, dp))).Cmp(mul(m, sq(new(big.Int).Add(mul(dr, np), mul(dp, nr))))) > 0 {
		return newDec(plus)
	}
	minus := c.nextMinus(th, root)
	nm, dm := ratio(minus)
	if mul(big.NewInt(4), n, sq(mul(dr, dm))).Cmp(mul(m, sq(new(big.Int).Add(mul(dr, nm), mul(dm, nr))))) < 0 {
		return newDec(minus)
	}
	return newDec(root)
}

func stVariance(th *interp.Thread, name string, args []interp.Value, kw []interp.KV, sample, sqrt bool) interp.Value {
	a := interp.ParseArgs(th, name, args, kw, "data", "mu?")
	rats, vals, kind, special := stDataT(th, a[0])
	n := len(rats)
	if sample && n < 2 {
		stErr(th, "variance requires at least two data points")
	}
	if !sample && n < 1 {
		stErr(th, "pvariance requires at least one data point")
	}
	if special {
		return interp.Float(math.NaN())
	}
	var ss *big.Rat
	if a[1] != nil && a[1] != interp.None {
		// CPython subtracts the given mean in the data's own arithmetic.
		sqs := make([]interp.Value, len(vals))
		for i, v := range vals {
			d := interp.Binary(th, syntax.MINUS, v, a[1])
			sqs[i] = interp.Binary(th, syntax.STAR, d, d)
		}
		sr, _, k, sp := stDataT(th, interp.NewList(sqs))
		if sp {
			return interp.Float(math.NaN())
		}
		ss, kind = stSum(sr), k
	} else {
		ss, _ = stSS(rats)
	}
	den := int64(n)
	if sample {
		den--
	}
	v := new(big.Rat).Quo(ss, new(big.Rat).SetInt64(den))
	if sqrt {
		if kind == stDec {
			return decimalSqrtOfFrac(th, v.Num(), v.Denom())
		}
		return interp.Float(floatSqrtOfFrac(v.Num(), v.Denom()))
	}
	return stConvertT(th, v, kind)
}

func init() {
	interp.ExtendModule("statistics", func(m *interp.Module) {
		def := func(name string, fn func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) {
			m.Set(name, interp.NewBuiltin(name, fn))
		}
		def("mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mean", args, kw, "data")
			rats, vals, kind, special := stDataT(th, a[0])
			if len(rats) == 0 {
				stErr(th, "mean requires at least one data point")
			}
			if special {
				return interp.Float(stFsum(th, vals) / float64(len(vals)))
			}
			s := stSum(rats)
			return stConvertT(th, s.Quo(s, new(big.Rat).SetInt64(int64(len(rats)))), kind)
		})
		def("fmean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "fmean", args, kw, "data", "weights?")
			data := interp.ToSlice(th, a[0])
			if a[1] == nil || a[1] == interp.None {
				if len(data) == 0 {
					stErr(th, "fmean requires at least one data point")
				}
				return interp.Float(stFsum(th, data) / float64(len(data)))
			}
			w := interp.ToSlice(th, a[1])
			if len(w) != len(data) {
				stErr(th, "data and weights must be the same length")
			}
			num := sumprod(th, data, w)
			den := stFsum(th, w)
			if den == 0 {
				stErr(th, "sum of weights must be non-zero")
			}
			return interp.Binary(th, syntax.SLASH, num, interp.Float(den))
		})
		def("geometric_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "geometric_mean", args, kw, "data")
			data := interp.ToSlice(th, a[0])
			logs := make([]interp.Value, len(data))
			for i, v := range data {
				f := stToFloat(th, v)
				if f <= 0 || math.IsNaN(f) {
					stErr(th, "geometric mean requires a non-empty dataset containing positive numbers")
				}
				logs[i] = interp.Float(libm.Log(f))
			}
			if len(logs) == 0 {
				stErr(th, "geometric mean requires a non-empty dataset containing positive numbers")
			}
			return interp.Float(libm.Exp(stFsum(th, logs) / float64(len(logs))))
		})
		def("harmonic_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "harmonic_mean", args, kw, "data", "weights?")
			data := interp.ToSlice(th, a[0])
			n := len(data)
			const negMsg = "harmonic mean does not support negative values"
			if n < 1 {
				stErr(th, "harmonic_mean requires at least one data point")
			}
			noWeights := a[1] == nil || a[1] == interp.None
			if n == 1 && noWeights {
				if interp.CompareOp(th, data[0], interp.MakeInt(0), "<") {
					stErr(th, negMsg)
				}
				return data[0]
			}
			var weights []interp.Value
			var sumW interp.Value
			if noWeights {
				for range data {
					weights = append(weights, interp.MakeInt(1))
				}
				sumW = interp.MakeInt(int64(n))
			} else {
				weights = interp.ToSlice(th, a[1])
				if len(weights) != n {
					stErr(th, "Number of weights does not match data size")
				}
				for _, w := range weights {
					if interp.CompareOp(th, w, interp.MakeInt(0), "<") {
						stErr(th, negMsg)
					}
				}
				wr, _, wk, _ := stDataT(th, interp.NewList(weights))
				sumW = stConvertT(th, stSum(wr), max(wk, stFrac))
			}
			var terms []interp.Value
			for i, x := range data {
				if interp.CompareOp(th, x, interp.MakeInt(0), "<") {
					stErr(th, negMsg)
				}
				if !interp.Truth(th, weights[i]) {
					terms = append(terms, interp.MakeInt(0))
					continue
				}
				if !interp.Truth(th, x) {
					return interp.MakeInt(0)
				}
				terms = append(terms, interp.Binary(th, syntax.SLASH, weights[i], x))
			}
			tr, _, kind, special := stDataT(th, interp.NewList(terms))
			if special {
				return interp.Float(math.NaN())
			}
			total := stSum(tr)
			if total.Sign() <= 0 {
				stErr(th, "Weighted sum must be positive")
			}
			sw, _, _, _ := stDataT(th, interp.NewList([]interp.Value{sumW}))
			return stConvertT(th, new(big.Rat).Quo(sw[0], total), kind)
		})
		def("variance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVariance(th, "variance", args, kw, true, false)
		})
		def("pvariance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVariance(th, "pvariance", args, kw, false, false)
		})
		def("stdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVariance(th, "stdev", args, kw, true, true)
		})
		def("pstdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVariance(th, "pstdev", args, kw, false, true)
		})
	})
}
