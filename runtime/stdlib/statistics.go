package stdlib

import (
	"github.com/jacscale/jac/runtime/libm"
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/syntax"
)

// StatisticsErrorClass is statistics.StatisticsError.
var StatisticsErrorClass = interp.NewExceptionClass("StatisticsError", "statistics", interp.ValueErrorClass)

// stData reads numeric data exactly; allInt reports whether every value is an int.
func stData(th *interp.Thread, v interp.Value) (rats []*big.Rat, vals []interp.Value, allInt bool) {
	allInt = true
	interp.Iterate(th, v, func(x interp.Value) bool {
		vals = append(vals, x)
		r := new(big.Rat)
		switch y := x.(type) {
		case interp.Int, interp.Bool, *interp.BigInt:
			r.SetInt(mBigOf(th, y))
		case interp.Float:
			f := float64(y)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				allInt = false
				rats = append(rats, nil)
				return true
			}
			r.SetFloat64(f)
			allInt = false
		case *frFraction:
			r.Set(y.r)
			allInt = false
		default:
			th.TypeError("can't convert type '%s' to numerator/denominator", interp.TypeName(x))
		}
		rats = append(rats, r)
		return true
	})
	return
}

func stConvert(r *big.Rat, allInt bool) interp.Value {
	if allInt && r.IsInt() {
		return interp.MakeBigInt(new(big.Int).Set(r.Num()))
	}
	f, _ := r.Float64()
	return interp.Float(f)
}

func stHasSpecial(rats []*big.Rat) bool {
	for _, r := range rats {
		if r == nil {
			return true
		}
	}
	return false
}

func stSum(rats []*big.Rat) *big.Rat {
	s := new(big.Rat)
	for _, r := range rats {
		s.Add(s, r)
	}
	return s
}

func stFloatSum(th *interp.Thread, vals []interp.Value) float64 {
	s := 0.0
	for _, v := range vals {
		s += interp.ToFloat(th, v)
	}
	return s
}

// stSS is the exact sum of squared deviations and the mean.
func stSS(rats []*big.Rat) (*big.Rat, *big.Rat) {
	mean := stSum(rats)
	mean.Quo(mean, new(big.Rat).SetInt64(int64(len(rats))))
	ss := new(big.Rat)
	d := new(big.Rat)
	for _, r := range rats {
		d.Sub(r, mean)
		ss.Add(ss, new(big.Rat).Mul(d, d))
	}
	return ss, mean
}

func stSqrt(r *big.Rat) float64 {
	f := new(big.Float).SetPrec(200).SetRat(r)
	f.Sqrt(f)
	x, _ := f.Float64()
	return x
}

func stErr(th *interp.Thread, msg string) {
	th.RaiseValue(interp.NewException(th, StatisticsErrorClass, msg))
}

func stVar(th *interp.Thread, name string, args []interp.Value, kw []interp.KV, sample, sqrt bool) interp.Value {
	a := interp.ParseArgs(th, name, args, kw, "data", "xbar?")
	rats, vals, allInt := stData(th, a[0])
	n := len(rats)
	if sample && n < 2 {
		stErr(th, "variance requires at least two data points")
	}
	if !sample && n < 1 {
		stErr(th, "pvariance requires at least one data point")
	}
	if stHasSpecial(rats) {
		_ = vals
		return interp.Float(math.NaN())
	}
	ss, _ := stSS(rats)
	if a[1] != nil && a[1] != interp.None {
		xr, _, _ := stData(th, interp.NewList([]interp.Value{a[1]}))
		ss = new(big.Rat)
		for _, r := range rats {
			d := new(big.Rat).Sub(r, xr[0])
			ss.Add(ss, d.Mul(d, d))
		}
	}
	den := int64(n)
	if sample {
		den--
	}
	v := new(big.Rat).Quo(ss, new(big.Rat).SetInt64(den))
	if sqrt {
		return interp.Float(stSqrt(v))
	}
	return stConvert(v, allInt)
}

func stSorted(th *interp.Thread, v interp.Value) []interp.Value {
	l := interp.NewList(append([]interp.Value{}, interp.ToSlice(th, v)...))
	th.Call(interp.GetAttr(th, l, "sort"), nil, nil)
	return l.Elems()
}

func init() {
	interp.RegisterModule("statistics", func() *interp.Module {
		m := interp.NewModule("statistics")
		m.Set("StatisticsError", StatisticsErrorClass)
		m.Set("mean", interp.NewBuiltin("mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mean", args, kw, "data")
			rats, vals, allInt := stData(th, a[0])
			if len(rats) == 0 {
				stErr(th, "mean requires at least one data point")
			}
			if stHasSpecial(rats) {
				return interp.Float(stFloatSum(th, vals) / float64(len(vals)))
			}
			s := stSum(rats)
			return stConvert(s.Quo(s, new(big.Rat).SetInt64(int64(len(rats)))), allInt)
		}))
		m.Set("fmean", interp.NewBuiltin("fmean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "fmean", args, kw, "data", "weights?")
			rats, vals, _ := stData(th, a[0])
			if len(rats) == 0 {
				stErr(th, "fmean requires at least one data point")
			}
			if stHasSpecial(rats) {
				return interp.Float(stFloatSum(th, vals) / float64(len(vals)))
			}
			s := stSum(rats)
			f, _ := s.Quo(s, new(big.Rat).SetInt64(int64(len(rats)))).Float64()
			return interp.Float(f)
		}))
		m.Set("geometric_mean", interp.NewBuiltin("geometric_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			vals := interp.ToSlice(th, args[0])
			if len(vals) == 0 {
				stErr(th, "fmean requires at least one data point")
			}
			s := 0.0
			for _, v := range vals {
				f := interp.ToFloat(th, v)
				if f <= 0 {
					stErr(th, "geometric mean requires a non-empty dataset containing positive numbers")
				}
				s += libm.Log(f)
			}
			return interp.Float(libm.Exp(s / float64(len(vals))))
		}))
		m.Set("harmonic_mean", interp.NewBuiltin("harmonic_mean", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			rats, _, allInt := stData(th, args[0])
			if len(rats) == 0 {
				stErr(th, "harmonic_mean requires at least one data point")
			}
			s := new(big.Rat)
			for _, r := range rats {
				if r.Sign() < 0 {
					stErr(th, "harmonic mean does not support negative values")
				}
				if r.Sign() == 0 {
					return interp.MakeInt(0)
				}
				s.Add(s, new(big.Rat).Inv(r))
			}
			return stConvert(new(big.Rat).Quo(new(big.Rat).SetInt64(int64(len(rats))), s), allInt)
		}))
		median := func(name string, which int) *interp.Builtin {
			return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				a := interp.ParseArgs(th, name, args, kw, "data")
				d := stSorted(th, a[0])
				n := len(d)
				if n == 0 {
					stErr(th, "no median for empty data")
				}
				if n%2 == 1 {
					return d[n/2]
				}
				switch which {
				case -1:
					return d[n/2-1]
				case 1:
					return d[n/2]
				}
				s := interp.Binary(th, syntax.PLUS, d[n/2-1], d[n/2])
				return interp.Binary(th, syntax.SLASH, s, interp.MakeInt(2))
			})
		}
		m.Set("median", median("median", 0))
		m.Set("median_low", median("median_low", -1))
		m.Set("median_high", median("median_high", 1))
		counts := func(th *interp.Thread, v interp.Value) ([]interp.Value, []int) {
			d := interp.NewDict()
			var keys []interp.Value
			var cnt []int
			interp.Iterate(th, v, func(x interp.Value) bool {
				if i, ok := d.Get(th, x); ok {
					cnt[int(i.(interp.Int))]++
				} else {
					d.Set(th, x, interp.MakeInt(int64(len(keys))))
					keys = append(keys, x)
					cnt = append(cnt, 1)
				}
				return true
			})
			return keys, cnt
		}
		m.Set("mode", interp.NewBuiltin("mode", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "mode", args, kw, "data")
			keys, cnt := counts(th, a[0])
			if len(keys) == 0 {
				stErr(th, "no mode for empty data")
			}
			best := 0
			for i := range keys {
				if cnt[i] > cnt[best] {
					best = i
				}
			}
			return keys[best]
		}))
		m.Set("multimode", interp.NewBuiltin("multimode", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "multimode", args, kw, "data")
			keys, cnt := counts(th, a[0])
			mx := 0
			for _, c := range cnt {
				if c > mx {
					mx = c
				}
			}
			var out []interp.Value
			for i, k := range keys {
				if cnt[i] == mx {
					out = append(out, k)
				}
			}
			return interp.NewList(out)
		}))
		m.Set("variance", interp.NewBuiltin("variance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVar(th, "variance", args, kw, true, false)
		}))
		m.Set("pvariance", interp.NewBuiltin("pvariance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVar(th, "pvariance", args, kw, false, false)
		}))
		m.Set("stdev", interp.NewBuiltin("stdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVar(th, "stdev", args, kw, true, true)
		}))
		m.Set("pstdev", interp.NewBuiltin("pstdev", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return stVar(th, "pstdev", args, kw, false, true)
		}))
		return m
	})
}
