package statistics

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/stdlib/decimal"
	"github.com/jacscale/jac/runtime/stdlib/fractions"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	pymath "github.com/jacscale/jac/runtime/stdlib/math"
	"github.com/jacscale/jac/runtime/syntax"
)

// Type-preserving mean/variance family (int, Fraction, float, Decimal as in
// CPython's _sum/_convert), weighted fmean and harmonic_mean, and fsum-based
// geometric_mean.

type numberKind int

const (
	kindInt numberKind = iota
	kindFraction
	kindFloat
	kindDecimal
)

var kindNames = []string{"int", "Fraction", "float", "Decimal"}

func coerce(th *interp.Thread, a, b numberKind) numberKind {
	if a == b {
		return a
	}
	if a == kindDecimal || b == kindDecimal {
		if a == kindInt || b == kindInt {
			return kindDecimal
		}
		th.TypeError("don't know how to coerce %s and %s", kindNames[a], kindNames[b])
	}
	return max(a, b)
}

// typedData reads data exactly, with CPython's result type; special reports a NaN or infinity.
func typedData(th *interp.Thread, v interp.Value) (rats []*big.Rat, vals []interp.Value, kind numberKind, special bool) {
	interp.Iterate(th, v, func(x interp.Value) bool {
		vals = append(vals, x)
		var r *big.Rat
		var k numberKind
		switch y := x.(type) {
		case interp.Int, interp.Bool, *interp.BigInt:
			r, k = new(big.Rat).SetInt(native.BigInt(th, y)), kindInt
		case interp.Float:
			k = kindFloat
			if f := float64(y); !math.IsNaN(f) && !math.IsInf(f, 0) {
				r = new(big.Rat).SetFloat64(f)
			}
		case *fractions.Fraction:
			r, k = new(big.Rat).Set(y.R), kindFraction
		default:
			var ok bool
			if r, ok = decimal.Rat(x); !ok {
				th.TypeError("can't convert type '%s' to numerator/denominator", interp.TypeName(x))
			}
			k = kindDecimal
		}
		if len(vals) == 1 {
			kind = k
		} else {
			kind = coerce(th, kind, k)
		}
		if r == nil {
			special = true
		}
		rats = append(rats, r)
		return true
	})
	return
}

func convertTyped(th *interp.Thread, r *big.Rat, kind numberKind) interp.Value {
	switch kind {
	case kindInt:
		if r.IsInt() {
			return interp.MakeBigInt(new(big.Int).Set(r.Num()))
		}
	case kindFraction:
		return fractions.New(new(big.Rat).Set(r))
	case kindDecimal:
		return decimal.FromRat(th, r)
	}
	f, _ := r.Float64()
	return interp.Float(f)
}

func variance(th *interp.Thread, name string, args []interp.Value, kw []interp.KV, sample, sqrt bool) interp.Value {
	a := interp.ParseArgs(th, name, args, kw, "data", "mu?")
	rats, vals, kind, special := typedData(th, a[0])
	n := len(rats)
	if sample && n < 2 {
		raiseError(th, "variance requires at least two data points")
	}
	if !sample && n < 1 {
		raiseError(th, "pvariance requires at least one data point")
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
		sr, _, k, sp := typedData(th, interp.NewList(sqs))
		if sp {
			return interp.Float(math.NaN())
		}
		ss, kind = sum(sr), k
	} else {
		ss, _ = sumSquares(rats)
	}
	den := int64(n)
	if sample {
		den--
	}
	v := new(big.Rat).Quo(ss, new(big.Rat).SetInt64(den))
	if sqrt {
		if kind == kindDecimal {
			return decimal.SqrtOfFraction(th, v.Num(), v.Denom())
		}
		return interp.Float(floatSqrtOfFrac(v.Num(), v.Denom()))
	}
	return convertTyped(th, v, kind)
}

func init() {
	interp.ExtendModule("statistics", func(m *interp.Module) {
		def := func(name string, fn func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) {
			m.Set(name, interp.NewBuiltin(name, fn))
		}
		def("mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mean", args, kw, "data")
			rats, vals, kind, special := typedData(th, a[0])
			if len(rats) == 0 {
				raiseError(th, "mean requires at least one data point")
			}
			if special {
				return interp.Float(fsum(th, vals) / float64(len(vals)))
			}
			s := sum(rats)
			return convertTyped(th, s.Quo(s, new(big.Rat).SetInt64(int64(len(rats)))), kind)
		})
		def("fmean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "fmean", args, kw, "data", "weights?")
			data := interp.ToSlice(th, a[0])
			if a[1] == nil || a[1] == interp.None {
				if len(data) == 0 {
					raiseError(th, "fmean requires at least one data point")
				}
				return interp.Float(fsum(th, data) / float64(len(data)))
			}
			w := interp.ToSlice(th, a[1])
			if len(w) != len(data) {
				raiseError(th, "data and weights must be the same length")
			}
			num := pymath.Sumprod(th, data, w)
			den := fsum(th, w)
			if den == 0 {
				raiseError(th, "sum of weights must be non-zero")
			}
			return interp.Binary(th, syntax.SLASH, num, interp.Float(den))
		})
		def("geometric_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "geometric_mean", args, kw, "data")
			data := interp.ToSlice(th, a[0])
			logs := make([]interp.Value, len(data))
			for i, v := range data {
				f := toFloat(th, v)
				if f <= 0 || math.IsNaN(f) {
					raiseError(th, "geometric mean requires a non-empty dataset containing positive numbers")
				}
				logs[i] = interp.Float(libm.Log(f))
			}
			if len(logs) == 0 {
				raiseError(th, "geometric mean requires a non-empty dataset containing positive numbers")
			}
			return interp.Float(libm.Exp(fsum(th, logs) / float64(len(logs))))
		})
		def("harmonic_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "harmonic_mean", args, kw, "data", "weights?")
			data := interp.ToSlice(th, a[0])
			n := len(data)
			const negMsg = "harmonic mean does not support negative values"
			if n < 1 {
				raiseError(th, "harmonic_mean requires at least one data point")
			}
			noWeights := a[1] == nil || a[1] == interp.None
			if n == 1 && noWeights {
				if interp.CompareOp(th, data[0], interp.MakeInt(0), "<") {
					raiseError(th, negMsg)
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
					raiseError(th, "Number of weights does not match data size")
				}
				for _, w := range weights {
					if interp.CompareOp(th, w, interp.MakeInt(0), "<") {
						raiseError(th, negMsg)
					}
				}
				wr, _, wk, _ := typedData(th, interp.NewList(weights))
				sumW = convertTyped(th, sum(wr), max(wk, kindFraction))
			}
			var terms []interp.Value
			for i, x := range data {
				if interp.CompareOp(th, x, interp.MakeInt(0), "<") {
					raiseError(th, negMsg)
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
			tr, _, kind, special := typedData(th, interp.NewList(terms))
			if special {
				return interp.Float(math.NaN())
			}
			total := sum(tr)
			if total.Sign() <= 0 {
				raiseError(th, "Weighted sum must be positive")
			}
			sw, _, _, _ := typedData(th, interp.NewList([]interp.Value{sumW}))
			return convertTyped(th, new(big.Rat).Quo(sw[0], total), kind)
		})
		def("variance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return variance(th, "variance", args, kw, true, false)
		})
		def("pvariance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return variance(th, "pvariance", args, kw, false, false)
		})
		def("stdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return variance(th, "stdev", args, kw, true, true)
		})
		def("pstdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return variance(th, "pstdev", args, kw, false, true)
		})
	})
}
