// Package math implements Python's math module, with correctly rounded results
// where CPython's are.
package math

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

func builtin(name string, f func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) *interp.Builtin {
	return interp.NewBuiltin(name, f)
}

func checkArgs(th *interp.Thread, name string, args []interp.Value, min, max int) {
	if len(args) < min || (max >= 0 && len(args) > max) {
		if min == max {
			if min == 1 {
				th.TypeError("%s() takes exactly one argument (%d given)", name, len(args))
			}
			th.TypeError("%s expected %d arguments, got %d", name, min, len(args))
		}
		th.TypeError("%s expected at least %d arguments, got %d", name, min, len(args))
	}
}

// floatToInt converts an integral float to a Jac int.
func floatToInt(th *interp.Thread, f float64) interp.Value {
	if math.IsInf(f, 0) {
		th.Raise(interp.OverflowErrorClass, "cannot convert float infinity to integer")
	}
	if math.IsNaN(f) {
		th.ValueError("cannot convert float NaN to integer")
	}
	if f >= -9.2e18 && f <= 9.2e18 {
		return interp.MakeInt(int64(f))
	}
	b, _ := big.NewFloat(f).Int(nil)
	return interp.MakeBigInt(b)
}

func domainError(th *interp.Thread) { th.ValueError("math domain error") }

func unary(name string, f func(float64) float64, dom func(float64) bool) *interp.Builtin {
	return builtin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		checkArgs(th, name, args, 1, 1)
		x := numFloat(th, args[0])
		if dom != nil && !dom(x) {
			domainError(th)
		}
		r := f(x)
		if math.IsNaN(r) && !math.IsNaN(x) {
			domainError(th)
		}
		if math.IsInf(r, 0) && !math.IsInf(x, 0) {
			th.Raise(interp.OverflowErrorClass, "math range error")
		}
		return interp.Float(r)
	})
}

func logOf(th *interp.Thread, v interp.Value) float64 {
	if b, ok := v.(*interp.BigInt); ok && b.Value().Sign() > 0 && b.Value().BitLen() > 1000 {
		// log of a huge int: split off the exponent.
		n := b.Value().BitLen()
		sh := n - 60
		top := new(big.Int).Rsh(b.Value(), uint(sh))
		f, _ := new(big.Float).SetInt(top).Float64()
		return libm.Log(f) + float64(sh)*math.Ln2
	}
	x := numFloat(th, v)
	if x <= 0 {
		domainError(th)
	}
	return libm.Log(x)
}

func init() {
	interp.RegisterModule("math", func() *interp.Module {
		m := interp.NewModule("math")
		m.Set("pi", interp.Float(math.Pi))
		m.Set("e", interp.Float(math.E))
		m.Set("tau", interp.Float(2*math.Pi))
		m.Set("inf", interp.Float(math.Inf(1)))
		m.Set("nan", interp.Float(math.NaN()))
		pos := func(x float64) bool { return x > 0 }
		m.Set("sqrt", unary("sqrt", math.Sqrt, func(x float64) bool { return x >= 0 || math.IsNaN(x) }))
		m.Set("exp", unary("exp", libm.Exp, nil))
		m.Set("expm1", unary("expm1", math.Expm1, nil))
		m.Set("exp2", unary("exp2", libm.Exp2, nil))
		m.Set("cbrt", unary("cbrt", libm.Cbrt, nil))
		m.Set("log1p", unary("log1p", math.Log1p, func(x float64) bool { return x > -1 }))
		m.Set("log10", builtin("log10", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "log10", args, 1, 1)
			if b, ok := args[0].(*interp.BigInt); ok && b.Value().BitLen() > 1000 {
				return interp.Float(logOf(th, args[0]) / math.Ln10)
			}
			x := numFloat(th, args[0])
			if x <= 0 {
				domainError(th)
			}
			return interp.Float(libm.Log10(x))
		}))
		m.Set("log2", builtin("log2", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "log2", args, 1, 1)
			if b, ok := args[0].(*interp.BigInt); ok && b.Value().BitLen() > 1000 {
				return interp.Float(logOf(th, args[0]) / math.Ln2)
			}
			x := numFloat(th, args[0])
			if x <= 0 {
				domainError(th)
			}
			return interp.Float(libm.Log2(x))
		}))
		_ = pos
		m.Set("log", builtin("log", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "log", args, 1, 2)
			r := logOf(th, args[0])
			if len(args) == 2 {
				d := logOf(th, args[1])
				if d == 0 {
					th.Raise(interp.ZeroDivisionErrorClass, "float division by zero")
				}
				r /= d
			}
			return interp.Float(r)
		}))
		m.Set("sin", unary("sin", libm.Sin, nil))
		m.Set("cos", unary("cos", libm.Cos, nil))
		m.Set("tan", unary("tan", libm.Tan, nil))
		m.Set("asin", unary("asin", libm.Asin, func(x float64) bool { return x >= -1 && x <= 1 }))
		m.Set("acos", unary("acos", libm.Acos, func(x float64) bool { return x >= -1 && x <= 1 }))
		m.Set("atan", unary("atan", libm.Atan, nil))
		m.Set("sinh", unary("sinh", libm.Sinh, nil))
		m.Set("cosh", unary("cosh", libm.Cosh, nil))
		m.Set("tanh", unary("tanh", libm.Tanh, nil))
		m.Set("asinh", unary("asinh", libm.Asinh, nil))
		m.Set("acosh", unary("acosh", libm.Acosh, func(x float64) bool { return x >= 1 }))
		m.Set("atanh", unary("atanh", math.Atanh, func(x float64) bool { return x > -1 && x < 1 }))
		m.Set("erf", unary("erf", math.Erf, nil))
		m.Set("erfc", unary("erfc", math.Erfc, nil))
		m.Set("gamma", unary("gamma", math.Gamma, nil))
		m.Set("lgamma", unary("lgamma", func(x float64) float64 { r, _ := math.Lgamma(x); return r }, nil))
		m.Set("fabs", unary("fabs", math.Abs, nil))
		m.Set("degrees", unary("degrees", func(x float64) float64 { return x * 180 / math.Pi }, nil))
		m.Set("radians", unary("radians", func(x float64) float64 { return x * math.Pi / 180 }, nil))
		m.Set("atan2", builtin("atan2", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "atan2", args, 2, 2)
			return interp.Float(libm.Atan2(numFloat(th, args[0]), numFloat(th, args[1])))
		}))
		m.Set("copysign", builtin("copysign", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "copysign", args, 2, 2)
			return interp.Float(math.Copysign(numFloat(th, args[0]), numFloat(th, args[1])))
		}))
		m.Set("fmod", builtin("fmod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "fmod", args, 2, 2)
			x, y := numFloat(th, args[0]), numFloat(th, args[1])
			if y == 0 && !math.IsNaN(x) || math.IsInf(x, 0) {
				domainError(th)
			}
			return interp.Float(math.Mod(x, y))
		}))
		m.Set("remainder", builtin("remainder", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "remainder", args, 2, 2)
			return interp.Float(math.Remainder(numFloat(th, args[0]), numFloat(th, args[1])))
		}))
		m.Set("pow", builtin("pow", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "pow", args, 2, 2)
			x, y := numFloat(th, args[0]), numFloat(th, args[1])
			if x == 0 && y < 0 {
				domainError(th)
			}
			if x < 0 && y != math.Trunc(y) && !math.IsInf(y, 0) {
				domainError(th)
			}
			r := libm.Pow(x, y)
			if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
				th.Raise(interp.OverflowErrorClass, "math range error")
			}
			return interp.Float(r)
		}))
		m.Set("floor", rounding("floor", math.Floor))
		m.Set("ceil", rounding("ceil", math.Ceil))
		m.Set("trunc", rounding("trunc", math.Trunc))
		m.Set("isnan", builtin("isnan", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "isnan", args, 1, 1)
			return interp.MakeBool(math.IsNaN(numFloat(th, args[0])))
		}))
		m.Set("isinf", builtin("isinf", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "isinf", args, 1, 1)
			return interp.MakeBool(math.IsInf(numFloat(th, args[0]), 0))
		}))
		m.Set("isfinite", builtin("isfinite", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "isfinite", args, 1, 1)
			f := numFloat(th, args[0])
			return interp.MakeBool(!math.IsInf(f, 0) && !math.IsNaN(f))
		}))
		m.Set("isclose", builtin("isclose", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "isclose", args, kw, "a", "b", "rel_tol?", "abs_tol?")
			x, y := numFloat(th, a[0]), numFloat(th, a[1])
			rel, abs := 1e-9, 0.0
			if a[2] != nil {
				rel = numFloat(th, a[2])
			}
			if a[3] != nil {
				abs = numFloat(th, a[3])
			}
			if rel < 0 || abs < 0 {
				th.ValueError("tolerances must be non-negative")
			}
			if x == y {
				return interp.True
			}
			if math.IsInf(x, 0) || math.IsInf(y, 0) {
				return interp.False
			}
			d := math.Abs(y - x)
			return interp.MakeBool(d <= math.Abs(rel*y) || d <= math.Abs(rel*x) || d <= abs)
		}))
		m.Set("gcd", builtin("gcd", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			r := new(big.Int)
			for _, a := range args {
				b := native.BigInt(th, a)
				r.GCD(nil, nil, r.Abs(r), b.Abs(b))
			}
			return interp.MakeBigInt(r)
		}))
		m.Set("lcm", builtin("lcm", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			r := big.NewInt(1)
			for _, a := range args {
				b := native.BigInt(th, a)
				b.Abs(b)
				if b.Sign() == 0 {
					return interp.MakeInt(0)
				}
				g := new(big.Int).GCD(nil, nil, r, b)
				r.Mul(r, new(big.Int).Quo(b, g))
			}
			return interp.MakeBigInt(r)
		}))
		m.Set("factorial", builtin("factorial", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "factorial", args, 1, 1)
			if _, ok := args[0].(interp.Float); ok {
				th.TypeError("'float' object cannot be interpreted as an integer")
			}
			n := native.BigInt(th, args[0])
			if n.Sign() < 0 {
				th.ValueError("factorial() not defined for negative values")
			}
			return interp.MakeBigInt(new(big.Int).MulRange(1, n.Int64()))
		}))
		m.Set("comb", builtin("comb", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "comb", args, 2, 2)
			n, k := native.BigInt(th, args[0]), native.BigInt(th, args[1])
			if n.Sign() < 0 {
				th.ValueError("n must be a non-negative integer")
			}
			if k.Sign() < 0 {
				th.ValueError("k must be a non-negative integer")
			}
			if k.Cmp(n) > 0 {
				return interp.MakeInt(0)
			}
			return interp.MakeBigInt(new(big.Int).Binomial(n.Int64(), k.Int64()))
		}))
		m.Set("perm", builtin("perm", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "perm", args, 1, 2)
			n := native.BigInt(th, args[0])
			k := new(big.Int).Set(n)
			if len(args) == 2 && args[1] != interp.None {
				k = native.BigInt(th, args[1])
			}
			if n.Sign() < 0 {
				th.ValueError("n must be a non-negative integer")
			}
			if k.Sign() < 0 {
				th.ValueError("k must be a non-negative integer")
			}
			if k.Cmp(n) > 0 {
				return interp.MakeInt(0)
			}
			if k.Sign() == 0 {
				return interp.MakeInt(1)
			}
			return interp.MakeBigInt(new(big.Int).MulRange(n.Int64()-k.Int64()+1, n.Int64()))
		}))
		m.Set("isqrt", builtin("isqrt", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "isqrt", args, 1, 1)
			n := native.BigInt(th, args[0])
			if n.Sign() < 0 {
				th.ValueError("isqrt() argument must be nonnegative")
			}
			return interp.MakeBigInt(new(big.Int).Sqrt(n))
		}))
		m.Set("hypot", builtin("hypot", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			r := 0.0
			for _, a := range args {
				r = math.Hypot(r, numFloat(th, a))
			}
			return interp.Float(r)
		}))
		m.Set("dist", builtin("dist", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "dist", args, 2, 2)
			p, q := interp.ToSlice(th, args[0]), interp.ToSlice(th, args[1])
			if len(p) != len(q) {
				th.ValueError("both points must have the same number of dimensions")
			}
			r := 0.0
			for i := range p {
				r = math.Hypot(r, numFloat(th, p[i])-numFloat(th, q[i]))
			}
			return interp.Float(r)
		}))
		m.Set("fsum", builtin("fsum", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "fsum", args, 1, 1)
			sum := new(big.Rat)
			special := 0.0
			hasSpecial := false
			interp.Iterate(th, args[0], func(v interp.Value) bool {
				f := numFloat(th, v)
				if math.IsInf(f, 0) || math.IsNaN(f) {
					if hasSpecial {
						special += f
					} else {
						special, hasSpecial = f, true
					}
					return true
				}
				r := new(big.Rat)
				r.SetFloat64(f)
				sum.Add(sum, r)
				return true
			})
			if hasSpecial {
				if math.IsNaN(special) {
					th.ValueError("-inf + inf in fsum")
				}
				return interp.Float(special)
			}
			f, _ := sum.Float64()
			if math.IsInf(f, 0) {
				th.Raise(interp.OverflowErrorClass, "intermediate overflow in fsum")
			}
			return interp.Float(f)
		}))
		m.Set("prod", builtin("prod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "prod", args, kw, "iterable", "start?")
			var r interp.Value = interp.MakeInt(1)
			if a[1] != nil {
				r = a[1]
			}
			interp.Iterate(th, a[0], func(v interp.Value) bool {
				r = interp.Binary(th, syntax.STAR, r, v)
				return true
			})
			return r
		}))
		m.Set("modf", builtin("modf", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "modf", args, 1, 1)
			x := numFloat(th, args[0])
			if math.IsInf(x, 0) {
				return interp.Tuple{interp.Float(math.Copysign(0, x)), interp.Float(x)}
			}
			i, f := math.Modf(x)
			return interp.Tuple{interp.Float(f), interp.Float(i)}
		}))
		m.Set("frexp", builtin("frexp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "frexp", args, 1, 1)
			f, e := math.Frexp(numFloat(th, args[0]))
			return interp.Tuple{interp.Float(f), interp.MakeInt(int64(e))}
		}))
		m.Set("ldexp", builtin("ldexp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			checkArgs(th, "ldexp", args, 2, 2)
			return interp.Float(math.Ldexp(numFloat(th, args[0]), int(interp.ToInt64(th, args[1]))))
		}))
		return m
	})
}

// rounding is math.floor, math.ceil or math.trunc: ints unchanged, objects through
// their __name__ method, floats rounded by f.
func rounding(name string, f func(float64) float64) *interp.Builtin {
	return builtin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		checkArgs(th, name, args, 1, 1)
		if native.IsInt(args[0]) {
			return interp.MakeBigInt(native.BigInt(th, args[0]))
		}
		if _, isF := args[0].(interp.Float); !isF {
			if m, ok := interp.LookupAttr(th, args[0], "__"+name+"__"); ok {
				return th.Call(m, nil, nil)
			}
		}
		return floatToInt(th, f(numFloat(th, args[0])))
	})
}
