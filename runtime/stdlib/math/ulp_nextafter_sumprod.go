package math

import (
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/fractions"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// math.ulp, math.nextafter (with steps) and math.sumprod.

// floatOrd maps floats to integers in the same order (±0 both map to 0).
func floatOrd(f float64) int64 {
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return -int64(b &^ (1 << 63))
	}
	return int64(b)
}

func ordFloat(n int64) float64 {
	if n < 0 {
		return math.Float64frombits(uint64(-n) | 1<<63)
	}
	return math.Float64frombits(uint64(n))
}

func nextafterSteps(x, y float64, steps uint64) float64 {
	if math.IsNaN(x) || math.IsNaN(y) {
		return x + y
	}
	if steps == 0 {
		return x
	}
	if x == y {
		return y
	}
	if steps == 1 {
		return math.Nextafter(x, y)
	}
	a, b := floatOrd(x), floatOrd(y)
	d := b - a
	if d < 0 {
		d = -d
	}
	if uint64(d) <= steps {
		return y
	}
	if b > a {
		return ordFloat(a + int64(steps))
	}
	return ordFloat(a - int64(steps))
}

func init() {
	interp.ExtendModule("math", func(m *interp.Module) {
		m.Set("ulp", interp.NewBuiltin("ulp", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "ulp", args, kw, "x")
			x := math.Abs(interp.ToFloat(th, a[0]))
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return interp.Float(x)
			}
			x2 := math.Nextafter(x, math.Inf(1))
			if math.IsInf(x2, 0) {
				return interp.Float(x - math.Nextafter(x, math.Inf(-1)))
			}
			return interp.Float(x2 - x)
		}))
		m.Set("nextafter", interp.NewBuiltin("nextafter", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "nextafter", args, kw, "x", "y", "steps?")
			x, y := interp.ToFloat(th, a[0]), interp.ToFloat(th, a[1])
			steps := uint64(1)
			if a[2] != nil && a[2] != interp.None {
				n := native.BigInt(th, a[2])
				if n.Sign() < 0 {
					th.ValueError("steps must be a non-negative integer")
				}
				if n.IsUint64() {
					steps = n.Uint64()
				} else {
					steps = math.MaxUint64
				}
			}
			return interp.Float(nextafterSteps(x, y, steps))
		}))
		m.Set("sumprod", interp.NewBuiltin("sumprod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "sumprod", args, kw, "p", "q")
			return Sumprod(th, interp.ToSlice(th, a[0]), interp.ToSlice(th, a[1]))
		}))
	})
}

// sumprod is math.sumprod: exact for ints, correctly rounded for floats,
// generic arithmetic otherwise.
func Sumprod(th *interp.Thread, p, q []interp.Value) interp.Value {
	if len(p) != len(q) {
		th.ValueError("Inputs are not the same length")
	}
	allInt, allNum := true, true
	for _, vs := range [][]interp.Value{p, q} {
		for _, v := range vs {
			switch v.(type) {
			case interp.Int, interp.Bool, *interp.BigInt:
			case interp.Float:
				allInt = false
			default:
				allInt, allNum = false, false
			}
		}
	}
	if allInt {
		s := new(big.Int)
		for i := range p {
			s.Add(s, new(big.Int).Mul(native.BigInt(th, p[i]), native.BigInt(th, q[i])))
		}
		return interp.MakeBigInt(s)
	}
	if allNum {
		s := new(big.Rat)
		special := false
		for i := range p {
			a, b := interp.ToFloat(th, p[i]), interp.ToFloat(th, q[i])
			if math.IsInf(a, 0) || math.IsNaN(a) || math.IsInf(b, 0) || math.IsNaN(b) {
				special = true
				break
			}
			ra, rb := ratOf(th, p[i]), ratOf(th, q[i])
			s.Add(s, ra.Mul(ra, rb))
		}
		if !special {
			f, _ := s.Float64()
			return interp.Float(f)
		}
	}
	var total interp.Value = interp.MakeInt(0)
	for i := range p {
		total = interp.Binary(th, syntax.PLUS, total, interp.Binary(th, syntax.STAR, p[i], q[i]))
	}
	return total
}

func ratOf(th *interp.Thread, v interp.Value) *big.Rat {
	if f, ok := v.(interp.Float); ok {
		return new(big.Rat).SetFloat64(float64(f))
	}
	return new(big.Rat).SetInt(native.BigInt(th, v))
}

// numFloat converts a math-function argument as CPython does: floats and ints
// directly, Fractions, and objects with __float__ (or __index__).
func numFloat(th *interp.Thread, v interp.Value) float64 {
	switch x := v.(type) {
	case *fractions.Fraction:
		return x.Float()
	case *interp.Instance:
		if r, ok := th.CallMethod(x, "__float__"); ok {
			f, isF := r.(interp.Float)
			if !isF {
				th.TypeError("%s.__float__ returned non-float (type %s)", interp.TypeName(v), interp.TypeName(r))
			}
			return float64(f)
		}
		if r, ok := th.CallMethod(x, "__index__"); ok {
			return interp.ToFloat(th, r)
		}
	}
	return interp.ToFloat(th, v)
}
