package decimal

import (
	"math/big"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// The rest of Decimal's methods (total ordering, magnitudes, next_*, logical
// operations, rotate/shift, logb) as _pydecimal defines them, and Context
// methods that apply a Decimal method under that context.

func nanKind(x *dnum) int {
	switch x.kind {
	case dNaN:
		return 1
	case dSNaN:
		return 2
	}
	return 0
}

func payloadKey(x *dnum) string {
	if x.coef.Sign() == 0 {
		return ""
	}
	return x.coef.String()
}

// compareTotal is Decimal.compare_total (-1, 0 or 1).
func compareTotal(a, b *dnum) int {
	if a.neg && !b.neg {
		return -1
	}
	if !a.neg && b.neg {
		return 1
	}
	s := 1
	if a.neg {
		s = -1
	}
	an, bn := nanKind(a), nanKind(b)
	if an != 0 || bn != 0 {
		if an == bn {
			ka, kb := payloadKey(a), payloadKey(b)
			switch {
			case len(ka) < len(kb) || len(ka) == len(kb) && ka < kb:
				return -s
			case ka == kb:
				return 0
			}
			return s
		}
		switch {
		case an == 1:
			return s
		case bn == 1:
			return -s
		case an == 2:
			return s
		}
		return -s
	}
	if r := dCmp(a, b); r != 0 {
		return r
	}
	if a.kind == dFinite && b.kind == dFinite {
		if a.exp < b.exp {
			return -s
		}
		if a.exp > b.exp {
			return s
		}
	}
	return 0
}

// minMax is max/min/max_mag/min_mag.
func (c *context) minMax(th *interp.Thread, a, b *dnum, isMax, mag bool) *dnum {
	if a.special() || b.special() {
		sn, on := nanKind(a), nanKind(b)
		if sn != 0 || on != 0 {
			if on == 1 && sn == 0 {
				return c.fix(th, a)
			}
			if sn == 1 && on == 0 {
				return c.fix(th, b)
			}
			return c.checkNaNs(th, a, b)
		}
	}
	var r int
	if mag {
		r = dCmp(a.abs(), b.abs())
	} else {
		r = dCmp(a, b)
	}
	if r == 0 {
		r = compareTotal(a, b)
	}
	ans := a
	if isMax == (r == -1) {
		ans = b
	}
	return c.fix(th, ans)
}

func (c *context) quiet() *context {
	q := c.copy()
	q.traps = map[string]bool{}
	return q
}

func (c *context) nextMinus(th *interp.Thread, a *dnum) *dnum {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r
		}
		if a.neg {
			return dInfinity(true)
		}
		return dFin(false, new(big.Int).Sub(pow10(c.prec), bigOne), c.etop())
	}
	q := c.quiet()
	q.rounding = rFloor
	n := q.fix(th, a)
	if dCmp(n, a) != 0 {
		return n
	}
	return q.add(th, a, dFin(true, bigOne, c.etiny()-1))
}

func (c *context) nextPlus(th *interp.Thread, a *dnum) *dnum {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r
		}
		if !a.neg {
			return dInfinity(false)
		}
		return dFin(true, new(big.Int).Sub(pow10(c.prec), bigOne), c.etop())
	}
	q := c.quiet()
	q.rounding = rCeiling
	n := q.fix(th, a)
	if dCmp(n, a) != 0 {
		return n
	}
	return q.add(th, a, dFin(false, bigOne, c.etiny()-1))
}

func (c *context) nextToward(th *interp.Thread, a, b *dnum) *dnum {
	if r := c.checkNaNs(th, a, b); r != nil {
		return r
	}
	cmp := dCmp(a, b)
	if cmp == 0 {
		y := *a
		y.neg = b.neg
		return &y
	}
	var ans *dnum
	if cmp < 0 {
		ans = c.nextPlus(th, a)
	} else {
		ans = c.nextMinus(th, a)
	}
	if ans.kind == dInf {
		c.signal(th, "Overflow", ans.neg)
		c.signal(th, "Inexact", false)
		c.signal(th, "Rounded", false)
	} else if ans.adjusted() < c.emin {
		c.signal(th, "Underflow", false)
		c.signal(th, "Subnormal", false)
		c.signal(th, "Inexact", false)
		c.signal(th, "Rounded", false)
		if ans.isZero() {
			c.signal(th, "Clamped", false)
		}
	}
	return ans
}

func isLogical(x *dnum) bool {
	if x.kind != dFinite || x.neg || x.exp != 0 {
		return false
	}
	return strings.Trim(x.coef.String(), "01") == ""
}

func (c *context) fillLogical(s string) string {
	d := int(c.prec) - len(s)
	if d > 0 {
		return strings.Repeat("0", d) + s
	}
	if d < 0 {
		return s[-d:]
	}
	return s
}

func digitsDec(neg bool, s string, exp int64) *dnum {
	s = strings.TrimLeft(s, "0")
	coef := new(big.Int)
	if s != "" {
		coef.SetString(s, 10)
	}
	return dFin(neg, coef, exp)
}

func (c *context) logical(th *interp.Thread, a, b *dnum, op func(x, y byte) byte) *dnum {
	if !isLogical(a) || !isLogical(b) {
		return c.signal(th, "InvalidOperation", false)
	}
	x, y := c.fillLogical(a.coef.String()), c.fillLogical(b.coef.String())
	out := make([]byte, len(x))
	for i := range x {
		out[i] = '0' + op(x[i]-'0', y[i]-'0')
	}
	return digitsDec(false, string(out), 0)
}

// rotShift is rotate (rot) or shift.
func (c *context) rotShift(th *interp.Thread, a, b *dnum, rot bool) *dnum {
	if r := c.checkNaNs(th, a, b); r != nil {
		return r
	}
	if b.exp != 0 || b.kind != dFinite {
		return c.signal(th, "InvalidOperation", false)
	}
	n := truncate(b)
	if !n.IsInt64() || n.Int64() < -c.prec || n.Int64() > c.prec {
		return c.signal(th, "InvalidOperation", false)
	}
	if a.kind == dInf {
		return a
	}
	k := int(n.Int64())
	d := c.fillLogical(a.coef.String())
	var out string
	if rot {
		if k < 0 {
			k += len(d)
		}
		out = d[k:] + d[:k]
	} else if k < 0 {
		out = d[:len(d)+k]
	} else {
		out = d + strings.Repeat("0", k)
		out = out[len(out)-int(c.prec):]
	}
	return digitsDec(a.neg, out, a.exp)
}

func registerOrderingLogic() {
	ctxBin := func(name string, op func(c *context, th *interp.Thread, x, y *dnum) *dnum) {
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "other", "context?")
			return newDecimal(op(contextArg(th, a[1]), th, x, operandArg(th, a[0])))
		})
	}
	ctxUn := func(name string, op func(c *context, th *interp.Thread, x *dnum) *dnum) {
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "context?")
			return newDecimal(op(contextArg(th, a[0]), th, x))
		})
	}
	ctxBin("max", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.minMax(th, x, y, true, false) })
	ctxBin("min", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.minMax(th, x, y, false, false) })
	ctxBin("max_mag", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.minMax(th, x, y, true, true) })
	ctxBin("min_mag", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.minMax(th, x, y, false, true) })
	ctxBin("compare_total", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return dInt(int64(compareTotal(x, y))) })
	ctxBin("compare_total_mag", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		return dInt(int64(compareTotal(x.abs(), y.abs())))
	})
	ctxBin("compare_signal", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		if x.isNaN() || y.isNaN() {
			if r := c.checkNaNs(th, x, y); x.kind == dSNaN || y.kind == dSNaN {
				return r
			}
			return c.signal(th, "InvalidOperation", false)
		}
		return dInt(int64(dCmp(x, y)))
	})
	ctxBin("next_toward", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.nextToward(th, x, y) })
	ctxBin("logical_and", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		return c.logical(th, x, y, func(a, b byte) byte { return a & b })
	})
	ctxBin("logical_or", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		return c.logical(th, x, y, func(a, b byte) byte { return a | b })
	})
	ctxBin("logical_xor", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		return c.logical(th, x, y, func(a, b byte) byte { return a ^ b })
	})
	ctxBin("rotate", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.rotShift(th, x, y, true) })
	ctxBin("shift", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.rotShift(th, x, y, false) })
	ctxUn("logical_invert", func(c *context, th *interp.Thread, x *dnum) *dnum {
		ones := digitsDec(false, strings.Repeat("1", int(c.prec)), 0)
		return c.logical(th, x, ones, func(a, b byte) byte { return a ^ b })
	})
	ctxUn("next_plus", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.nextPlus(th, x) })
	ctxUn("next_minus", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.nextMinus(th, x) })
	ctxUn("logb", func(c *context, th *interp.Thread, x *dnum) *dnum {
		if x.special() {
			if r := c.checkNaNs(th, x, nil); r != nil {
				return r
			}
			return dInfinity(false)
		}
		if x.isZero() {
			return c.signal(th, "DivisionByZero", true)
		}
		return c.fix(th, dInt(x.adjusted()))
	})
	defineMethod("radix", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(dInt(10))
	})
	// Context methods: everything a Decimal method does, under this context.
	for _, name := range []string{"add", "subtract", "multiply", "divide", "divide_int", "remainder", "remainder_near",
		"power", "quantize", "sqrt", "abs", "minus", "plus", "exp", "ln", "log10", "to_sci_string", "copy", "clear_flags",
		"clear_traps", "Etiny", "Etop", "create_decimal", "create_decimal_from_float", "divmod", "compare", "compare_signal",
		"compare_total", "compare_total_mag", "copy_abs", "copy_negate", "copy_sign", "copy_decimal", "canonical", "fma",
		"is_canonical", "is_finite", "is_infinite", "is_nan", "is_normal", "is_qnan", "is_signed", "is_snan",
		"is_subnormal", "is_zero", "logb", "logical_and", "logical_invert", "logical_or", "logical_xor", "max", "max_mag",
		"min", "min_mag", "next_minus", "next_plus", "next_toward", "normalize", "number_class", "radix", "rotate",
		"same_quantum", "scaleb", "shift", "to_eng_string", "to_integral", "to_integral_exact", "to_integral_value"} {
		name := name
		interp.DefMethod(contextClass, name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			v, ok := self.(*contextValue).AttrJac(th, name)
			if !ok {
				th.Raise(interp.AttributeErrorClass, "'decimal.Context' object has no attribute '%s'", name)
			}
			return th.Call(v, args, kw)
		})
	}
}

// contextFallback serves the Context methods that are Decimal methods.
func contextFallback(v *contextValue, name string) (interp.Value, bool) {
	switch name {
	case "radix":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return newDecimal(dInt(10))
		}), true
	case "copy_decimal":
		return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "a")
			return newDecimal(operandArg(th, a[0]))
		}), true
	case "divmod":
		name = "__divmod__"
	case "to_eng_string", "compare", "compare_signal", "compare_total", "compare_total_mag", "copy_abs", "copy_negate",
		"copy_sign", "canonical", "fma", "logb", "logical_and", "logical_invert", "logical_or", "logical_xor", "max",
		"max_mag", "min", "min_mag", "next_minus", "next_plus", "next_toward", "normalize", "number_class", "rotate",
		"same_quantum", "scaleb", "shift", "to_integral", "to_integral_exact", "to_integral_value":
	default:
		if !strings.HasPrefix(name, "is_") {
			return nil, false
		}
	}
	return interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) < 1 {
			th.TypeError("%s() missing required argument 'a' (pos 1)", name)
		}
		d := newDecimal(operandArg(th, args[0]))
		saved := currentContextValue(th)
		th.Locals[contextKey] = v
		defer func() { th.Locals[contextKey] = saved }()
		return th.Call(interp.GetAttr(th, d, name), args[1:], kw)
	}), true
}
