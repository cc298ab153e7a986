// Package statistics implements Python's statistics module, following CPython
// 3.12's statistics.py operation by operation so that results agree to the last
// bit.
package statistics

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/fractions"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// StatisticsErrorClass is statistics.StatisticsError.
var StatisticsErrorClass = interp.NewExceptionClass("StatisticsError", "statistics", interp.ValueErrorClass)

// data reads numeric data exactly; allInt reports whether every value is an int.
func data(th *interp.Thread, v interp.Value) (rats []*big.Rat, vals []interp.Value, allInt bool) {
	allInt = true
	interp.Iterate(th, v, func(x interp.Value) bool {
		vals = append(vals, x)
		r := new(big.Rat)
		switch y := x.(type) {
		case interp.Int, interp.Bool, *interp.BigInt:
			r.SetInt(native.BigInt(th, y))
		case interp.Float:
			f := float64(y)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				allInt = false
				rats = append(rats, nil)
				return true
			}
			r.SetFloat64(f)
			allInt = false
		case *fractions.Fraction:
			r.Set(y.R)
			allInt = false
		default:
			th.TypeError("can't convert type '%s' to numerator/denominator", interp.TypeName(x))
		}
		rats = append(rats, r)
		return true
	})
	return
}

func hasSpecial(rats []*big.Rat) bool {
	for _, r := range rats {
		if r == nil {
			return true
		}
	}
	return false
}

func sum(rats []*big.Rat) *big.Rat {
	s := new(big.Rat)
	for _, r := range rats {
		s.Add(s, r)
	}
	return s
}

// sumSquares is the exact sum of squared deviations and the mean.
func sumSquares(rats []*big.Rat) (*big.Rat, *big.Rat) {
	mean := sum(rats)
	mean.Quo(mean, new(big.Rat).SetInt64(int64(len(rats))))
	ss := new(big.Rat)
	d := new(big.Rat)
	for _, r := range rats {
		d.Sub(r, mean)
		ss.Add(ss, new(big.Rat).Mul(d, d))
	}
	return ss, mean
}

func raiseError(th *interp.Thread, msg string) {
	th.RaiseValue(interp.NewException(th, StatisticsErrorClass, msg))
}

func sorted(th *interp.Thread, v interp.Value) []interp.Value {
	l := interp.NewList(append([]interp.Value{}, interp.ToSlice(th, v)...))
	th.Call(interp.GetAttr(th, l, "sort"), nil, nil)
	return l.Elems()
}

func init() {
	interp.RegisterModule("statistics", func() *interp.Module {
		m := interp.NewModule("statistics")
		m.Set("StatisticsError", StatisticsErrorClass)
		median := func(name string, which int) *interp.Builtin {
			return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				a := interp.ParseArgs(th, name, args, kw, "data")
				d := sorted(th, a[0])
				n := len(d)
				if n == 0 {
					raiseError(th, "no median for empty data")
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
				raiseError(th, "no mode for empty data")
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
		return m
	})
}
