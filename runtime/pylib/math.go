package pylib

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
)

type fn = func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value

func f1(name string, f func(float64) float64) fn {
	return func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) != 1 {
			th.TypeError("math.%s() takes exactly one argument (%d given)", name, len(args))
		}
		x := interp.ToFloat(th, args[0])
		r := f(x)
		if math.IsNaN(r) && !math.IsNaN(x) {
			th.ValueError("math domain error")
		}
		return interp.Float(r)
	}
}

func toBig(th *interp.Thread, v interp.Value) *big.Int {
	switch x := v.(type) {
	case interp.Int:
		return big.NewInt(int64(x))
	case interp.Bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	case *interp.BigInt:
		b, _ := new(big.Int).SetString(interp.Repr(th, x), 10)
		return b
	}
	th.TypeError("'%s' object cannot be interpreted as an integer", interp.TypeName(v))
	return nil
}

// floorInt converts a float result of floor/ceil/trunc to an int value.
func floorInt(th *interp.Thread, f float64) interp.Value {
	if math.IsInf(f, 0) {
		th.Raise(interp.OverflowErrorClass, "cannot convert float infinity to integer")
	}
	if math.IsNaN(f) {
		th.ValueError("cannot convert float NaN to integer")
	}
	if math.Abs(f) < 1<<62 {
		return interp.MakeInt(int64(f))
	}
	b, _ := new(big.Float).SetFloat64(f).Int(nil)
	return interp.MakeBigInt(b)
}

func init() {
	interp.RegisterModule("math", func() *interp.Module {
		m := interp.NewModule("math")
		m.Set("pi", interp.Float(math.Pi))
		m.Set("e", interp.Float(math.E))
		m.Set("tau", interp.Float(2*math.Pi))
		m.Set("inf", interp.Float(math.Inf(1)))
		m.Set("nan", interp.Float(math.NaN()))
		for name, f := range map[string]func(float64) float64{
			"sqrt": math.Sqrt, "exp": math.Exp, "sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
			"asin": math.Asin, "acos": math.Acos, "atan": math.Atan, "sinh": math.Sinh, "cosh": math.Cosh,
			"tanh": math.Tanh, "fabs": math.Abs, "log10": math.Log10, "log2": math.Log2, "log1p": math.Log1p,
			"expm1": math.Expm1, "degrees": func(x float64) float64 { return x * 180 / math.Pi },
			"radians": func(x float64) float64 { return x * math.Pi / 180 }, "erf": math.Erf, "gamma": math.Gamma,
		} {
			m.Set(name, interp.NewBuiltin(name, f1(name, f)))
		}
		m.Set("log", interp.NewBuiltin("log", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			x := interp.ToFloat(th, args[0])
			if x <= 0 {
				th.ValueError("math domain error")
			}
			if len(args) == 2 {
				return interp.Float(math.Log(x) / math.Log(interp.ToFloat(th, args[1])))
			}
			return interp.Float(math.Log(x))
		}))
		round := func(name string, f func(float64) float64) {
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				switch x := args[0].(type) {
				case interp.Int, *interp.BigInt:
					return x
				case interp.Bool:
					return toIntValue(x)
				}
				return floorInt(th, f(interp.ToFloat(th, args[0])))
			}))
		}
		round("floor", math.Floor)
		round("ceil", math.Ceil)
		round("trunc", math.Trunc)
		m.Set("pow", interp.NewBuiltin("pow", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(math.Pow(interp.ToFloat(th, args[0]), interp.ToFloat(th, args[1])))
		}))
		m.Set("atan2", interp.NewBuiltin("atan2", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(math.Atan2(interp.ToFloat(th, args[0]), interp.ToFloat(th, args[1])))
		}))
		m.Set("fmod", interp.NewBuiltin("fmod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(math.Mod(interp.ToFloat(th, args[0]), interp.ToFloat(th, args[1])))
		}))
		m.Set("copysign", interp.NewBuiltin("copysign", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.Float(math.Copysign(interp.ToFloat(th, args[0]), interp.ToFloat(th, args[1])))
		}))
		m.Set("hypot", interp.NewBuiltin("hypot", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			s := 0.0
			for _, a := range args {
				f := interp.ToFloat(th, a)
				s += f * f
			}
			if len(args) == 2 {
				return interp.Float(math.Hypot(interp.ToFloat(th, args[0]), interp.ToFloat(th, args[1])))
			}
			return interp.Float(math.Sqrt(s))
		}))
		m.Set("dist", interp.NewBuiltin("dist", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			p, q := interp.ToSlice(th, args[0]), interp.ToSlice(th, args[1])
			s := 0.0
			for i := range p {
				d := interp.ToFloat(th, p[i]) - interp.ToFloat(th, q[i])
				s += d * d
			}
			return interp.Float(math.Sqrt(s))
		}))
		pred := func(name string, f func(float64) bool) {
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				return interp.MakeBool(f(interp.ToFloat(th, args[0])))
			}))
		}
		pred("isnan", math.IsNaN)
		pred("isinf", func(x float64) bool { return math.IsInf(x, 0) })
		pred("isfinite", func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) })
		m.Set("isclose", interp.NewBuiltin("isclose", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "isclose", args, kw, "a", "b", "rel_tol?", "abs_tol?")
			x, y := interp.ToFloat(th, a[0]), interp.ToFloat(th, a[1])
			rel, abs := 1e-9, 0.0
			if a[2] != nil {
				rel = interp.ToFloat(th, a[2])
			}
			if a[3] != nil {
				abs = interp.ToFloat(th, a[3])
			}
			if x == y {
				return interp.True
			}
			d := math.Abs(x - y)
			return interp.MakeBool(d <= math.Max(rel*math.Max(math.Abs(x), math.Abs(y)), abs))
		}))
		m.Set("gcd", interp.NewBuiltin("gcd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			r := big.NewInt(0)
			for _, a := range args {
				r.GCD(nil, nil, new(big.Int).Abs(r), new(big.Int).Abs(toBig(th, a)))
			}
			return interp.MakeBigInt(r)
		}))
		m.Set("lcm", interp.NewBuiltin("lcm", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			r := big.NewInt(1)
			for _, a := range args {
				b := new(big.Int).Abs(toBig(th, a))
				if b.Sign() == 0 {
					return interp.MakeInt(0)
				}
				g := new(big.Int).GCD(nil, nil, r, b)
				r.Mul(r, b).Div(r, g)
			}
			return interp.MakeBigInt(r)
		}))
		m.Set("factorial", interp.NewBuiltin("factorial", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			n := toBig(th, args[0]).Int64()
			if n < 0 {
				th.ValueError("factorial() not defined for negative values")
			}
			return interp.MakeBigInt(new(big.Int).MulRange(1, max(n, 1)))
		}))
		m.Set("comb", interp.NewBuiltin("comb", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			n, k := toBig(th, args[0]).Int64(), toBig(th, args[1]).Int64()
			if k > n {
				return interp.MakeInt(0)
			}
			return interp.MakeBigInt(new(big.Int).Binomial(n, k))
		}))
		m.Set("perm", interp.NewBuiltin("perm", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			n := toBig(th, args[0]).Int64()
			k := n
			if len(args) > 1 {
				k = toBig(th, args[1]).Int64()
			}
			if k > n {
				return interp.MakeInt(0)
			}
			return interp.MakeBigInt(new(big.Int).MulRange(n-k+1, max(n, 1)))
		}))
		m.Set("fsum", interp.NewBuiltin("fsum", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			sum := new(big.Float).SetPrec(2000)
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				sum.Add(sum, new(big.Float).SetPrec(2000).SetFloat64(interp.ToFloat(th, v)))
				return true
			})
			f, _ := sum.Float64()
			return interp.Float(f)
		}))
		m.Set("prod", interp.NewBuiltin("prod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			var acc interp.Value = interp.MakeInt(1)
			if s, ok := interp.KwArg(kw, "start"); ok {
				acc = s
			}
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				acc = interp.Binary(th, tokStar, acc, v)
				return true
			})
			return acc
		}))
		m.Set("modf", interp.NewBuiltin("modf", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			i, f := math.Modf(interp.ToFloat(th, args[0]))
			return interp.Tuple{interp.Float(f), interp.Float(i)}
		}))
		m.Set("isqrt", interp.NewBuiltin("isqrt", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeBigInt(new(big.Int).Sqrt(toBig(th, args[0])))
		}))
		return m
	})
}

func toIntValue(b interp.Bool) interp.Value {
	if b {
		return interp.MakeInt(1)
	}
	return interp.MakeInt(0)
}
