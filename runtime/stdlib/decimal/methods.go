package decimal

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

type method func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value

func defineMethod(name string, fn method) {
	interp.DefMethod(decimalClass, name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		x, ok := decimalOf(self)
		if !ok {
			th.TypeError("descriptor '%s' requires a 'decimal.Decimal' object", name)
		}
		return fn(th, x, args, kw)
	})
}

// contextArg is the context argument of a method (the current one when absent).
func contextArg(th *interp.Thread, v interp.Value) *context {
	if v == nil || v == interp.None {
		return currentContext(th)
	}
	c, ok := v.(*contextValue)
	if !ok {
		th.TypeError("optional argument must be a context")
	}
	return c.c
}

func operandArg(th *interp.Thread, v interp.Value) *dnum {
	d, ok := operand(v)
	if !ok {
		th.TypeError("conversion from %s to Decimal is not supported", interp.TypeName(v))
	}
	return d
}

func roundingArg(th *interp.Thread, v interp.Value, c *context) string {
	if v == nil || v == interp.None {
		return c.rounding
	}
	s, ok := v.(interp.Str)
	if ok {
		for _, r := range roundings {
			if string(s) == r {
				return r
			}
		}
	}
	th.TypeError("valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]")
	return ""
}

func boolValue(b bool) interp.Value { return interp.MakeBool(b) }

func registerMethods() {
	binops := map[string]func(c *context, th *interp.Thread, a, b *dnum) *dnum{
		"add":      func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.add(th, a, b) },
		"sub":      func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.add(th, a, b.negate()) },
		"mul":      func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.mul(th, a, b) },
		"truediv":  func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.div(th, a, b) },
		"floordiv": func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.floordiv(th, a, b) },
		"mod":      func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.mod(th, a, b) },
		"pow":      func(c *context, th *interp.Thread, a, b *dnum) *dnum { return c.pow(th, a, b) },
	}
	for name, op := range binops {
		op := op
		defineMethod("__"+name+"__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("expected 1 argument")
			}
			y, ok := operand(args[0])
			if !ok {
				return interp.NotImplemented
			}
			return newDecimal(op(currentContext(th), th, x, y))
		})
		defineMethod("__r"+name+"__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("expected 1 argument")
			}
			y, ok := operand(args[0])
			if !ok {
				return interp.NotImplemented
			}
			return newDecimal(op(currentContext(th), th, y, x))
		})
	}
	divmod := func(th *interp.Thread, a, b *dnum) interp.Value {
		c := currentContext(th)
		if r := c.checkNaNs(th, a, b); r != nil {
			return interp.Tuple{newDecimal(r), newDecimal(r)}
		}
		neg := a.neg != b.neg
		if a.kind == dInf {
			if b.kind == dInf {
				r := c.signal(th, "InvalidOperation", false)
				return interp.Tuple{newDecimal(r), newDecimal(r)}
			}
			return interp.Tuple{newDecimal(dInfinity(neg)), newDecimal(c.signal(th, "InvalidOperation", false))}
		}
		if b.isZero() {
			if a.isZero() {
				r := c.signal(th, "DivisionUndefined", false)
				return interp.Tuple{newDecimal(r), newDecimal(r)}
			}
			q := c.signal(th, "DivisionByZero", neg)
			return interp.Tuple{newDecimal(q), newDecimal(c.signal(th, "InvalidOperation", false))}
		}
		q, r := c.divide(th, a, b)
		return interp.Tuple{newDecimal(q), newDecimal(c.fix(th, r))}
	}
	defineMethod("__divmod__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		y, ok := operand(args[0])
		if !ok {
			return interp.NotImplemented
		}
		return divmod(th, x, y)
	})
	defineMethod("__rdivmod__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		y, ok := operand(args[0])
		if !ok {
			return interp.NotImplemented
		}
		return divmod(th, y, x)
	})
	defineMethod("__neg__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		c := currentContext(th)
		if x.isZero() && c.rounding != rFloor {
			return newDecimal(c.plus(th, x.abs()))
		}
		return newDecimal(c.plus(th, x.negate()))
	})
	defineMethod("__pos__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(currentContext(th).plus(th, x))
	})
	defineMethod("__abs__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(currentContext(th).plus(th, x.abs()))
	})
	cmp := func(name string, test func(int) bool) {
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			r, ok, nan := compareValues(th, x, args[0], true)
			if !ok {
				return interp.NotImplemented
			}
			if nan {
				return interp.False
			}
			return boolValue(test(r))
		})
	}
	cmp("__lt__", func(r int) bool { return r < 0 })
	cmp("__le__", func(r int) bool { return r <= 0 })
	cmp("__gt__", func(r int) bool { return r > 0 })
	cmp("__ge__", func(r int) bool { return r >= 0 })
	defineMethod("__eq__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		r, ok, nan := compareValues(th, x, args[0], false)
		if !ok {
			return interp.NotImplemented
		}
		return boolValue(!nan && r == 0)
	})
	defineMethod("__ne__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		r, ok, nan := compareValues(th, x, args[0], false)
		if !ok {
			return interp.NotImplemented
		}
		return boolValue(nan || r != 0)
	})
	defineMethod("__hash__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		switch x.kind {
		case dSNaN:
			th.TypeError("Cannot hash a signaling NaN value.")
		case dNaN:
			return interp.MakeInt(int64(uint64(len(x.coef.String())) * 0x9e3779b9 >> 2))
		case dInf:
			if x.neg {
				return interp.MakeInt(-314159)
			}
			return interp.MakeInt(314159)
		}
		return interp.MakeInt(hashOf(x))
	})
	defineMethod("__bool__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return boolValue(!x.isZero())
	})
	defineMethod("__str__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(stringOf(x, false, currentContext(th).capitals != 0))
	})
	defineMethod("__repr__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str("Decimal('" + stringOf(x, false, currentContext(th).capitals != 0) + "')")
	})
	defineMethod("__format__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		spec := ""
		if len(args) > 0 {
			spec = interp.ToStr(th, args[0])
		}
		return interp.Str(format(th, x, spec, currentContext(th)))
	})
	for _, n := range []string{"__int__", "__trunc__", "__index__"} {
		if n == "__index__" {
			continue
		}
		defineMethod(n, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			return toInt(th, x, rDown)
		})
	}
	defineMethod("__floor__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return toInt(th, x, rFloor)
	})
	defineMethod("__ceil__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return toInt(th, x, rCeiling)
	})
	defineMethod("__float__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Float(toFloat(th, x))
	})
	defineMethod("__round__", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		if len(args) > 0 && args[0] != interp.None {
			n, ok := args[0].(interp.Int)
			if !ok {
				th.TypeError("optional arg must be an integer")
			}
			c := currentContext(th)
			return newDecimal(c.quantize(th, x, dFin(false, bigOne, -int64(n)), c.rounding))
		}
		switch x.kind {
		case dNaN, dSNaN:
			th.ValueError("cannot round a NaN")
		case dInf:
			th.Raise(interp.OverflowErrorClass, "cannot round an infinity")
		}
		return toInt(th, x, rHalfEven)
	})
	self := func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(x)
	}
	defineMethod("__copy__", self)
	defineMethod("__deepcopy__", self)
	defineMethod("conjugate", self)
	defineMethod("canonical", self)
	defineMethod("adjusted", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(x.adjusted())
	})
	defineMethod("as_tuple", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return asTuple(th, x)
	})
	defineMethod("as_integer_ratio", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		switch x.kind {
		case dNaN, dSNaN:
			th.ValueError("cannot convert NaN to integer ratio")
		case dInf:
			th.Raise(interp.OverflowErrorClass, "cannot convert Infinity to integer ratio")
		}
		r := new(big.Rat).SetInt(x.coef)
		if x.exp >= 0 {
			r.Mul(r, new(big.Rat).SetInt(pow10(x.exp)))
		} else {
			r.Quo(r, new(big.Rat).SetInt(pow10(-x.exp)))
		}
		if x.neg {
			r.Neg(r)
		}
		return interp.Tuple{interp.MakeBigInt(new(big.Int).Set(r.Num())), interp.MakeBigInt(new(big.Int).Set(r.Denom()))}
	})
	preds := map[string]func(x *dnum, c *context) bool{
		"is_finite":    func(x *dnum, c *context) bool { return x.kind == dFinite },
		"is_infinite":  func(x *dnum, c *context) bool { return x.kind == dInf },
		"is_nan":       func(x *dnum, c *context) bool { return x.isNaN() },
		"is_qnan":      func(x *dnum, c *context) bool { return x.kind == dNaN },
		"is_snan":      func(x *dnum, c *context) bool { return x.kind == dSNaN },
		"is_signed":    func(x *dnum, c *context) bool { return x.neg },
		"is_zero":      func(x *dnum, c *context) bool { return x.isZero() },
		"is_canonical": func(x *dnum, c *context) bool { return true },
		"is_normal": func(x *dnum, c *context) bool {
			return x.kind == dFinite && !x.isZero() && x.adjusted() >= c.emin
		},
		"is_subnormal": func(x *dnum, c *context) bool {
			return x.kind == dFinite && !x.isZero() && x.adjusted() < c.emin
		},
	}
	for name, p := range preds {
		p := p
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "context?")
			return boolValue(p(x, contextArg(th, a[0])))
		})
	}
	defineMethod("copy_abs", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(x.abs())
	})
	defineMethod("copy_negate", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(x.negate())
	})
	defineMethod("copy_sign", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "copy_sign", args, kw, "other", "context?")
		y := *x
		y.neg = operandArg(th, a[0]).neg
		return newDecimal(&y)
	})
	defineMethod("quantize", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "quantize", args, kw, "exp", "rounding?", "context?")
		c := contextArg(th, a[2])
		return newDecimal(c.quantize(th, x, operandArg(th, a[0]), roundingArg(th, a[1], c)))
	})
	integral := func(exact bool) method {
		return func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "to_integral_value", args, kw, "rounding?", "context?")
			c := contextArg(th, a[1])
			if x.special() {
				if r := c.checkNaNs(th, x, nil); r != nil {
					return newDecimal(r)
				}
				return newDecimal(x)
			}
			if x.exp >= 0 {
				return newDecimal(x)
			}
			r, changed := x.rescale(0, roundingArg(th, a[0], c))
			if exact {
				if changed {
					c.signal(th, "Inexact", false)
				}
				c.signal(th, "Rounded", false)
			}
			return newDecimal(r)
		}
	}
	defineMethod("to_integral_value", integral(false))
	defineMethod("to_integral", integral(false))
	defineMethod("to_integral_exact", integral(true))
	ctxUn := func(name string, op func(c *context, th *interp.Thread, x *dnum) *dnum) {
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "context?")
			return newDecimal(op(contextArg(th, a[0]), th, x))
		})
	}
	ctxUn("sqrt", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.sqrt(th, x) })
	ctxUn("exp", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.exp(th, x) })
	ctxUn("ln", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.ln(th, x) })
	ctxUn("log10", func(c *context, th *interp.Thread, x *dnum) *dnum { return c.log10(th, x) })
	ctxUn("normalize", func(c *context, th *interp.Thread, x *dnum) *dnum {
		if x.special() {
			if r := c.checkNaNs(th, x, nil); r != nil {
				return r
			}
		}
		d := c.fix(th, x)
		if d.kind == dInf {
			return d
		}
		if d.isZero() {
			return dFin(d.neg, bigZero, 0)
		}
		expMax := c.emax
		if c.clamp == 1 {
			expMax = c.etop()
		}
		coef, exp := new(big.Int).Set(d.coef), d.exp
		q, r := new(big.Int), new(big.Int)
		for exp < expMax {
			q.QuoRem(coef, bigTen, r)
			if r.Sign() != 0 {
				break
			}
			coef.Set(q)
			exp++
		}
		return dFin(d.neg, coef, exp)
	})
	ctxBin := func(name string, op func(c *context, th *interp.Thread, x, y *dnum) *dnum) {
		defineMethod(name, func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "other", "context?")
			return newDecimal(op(contextArg(th, a[1]), th, x, operandArg(th, a[0])))
		})
	}
	ctxBin("remainder_near", func(c *context, th *interp.Thread, x, y *dnum) *dnum { return c.remainderNear(th, x, y) })
	ctxBin("compare", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		if r := c.checkNaNs(th, x, y); r != nil {
			return r
		}
		return dInt(int64(dCmp(x, y)))
	})
	ctxBin("scaleb", func(c *context, th *interp.Thread, x, y *dnum) *dnum {
		if r := c.checkNaNs(th, x, y); r != nil {
			return r
		}
		if y.exp != 0 || y.kind != dFinite {
			return c.signal(th, "InvalidOperation", false)
		}
		if x.kind == dInf {
			return x
		}
		n := truncate(y).Int64()
		return c.fix(th, dFin(x.neg, x.coef, x.exp+n))
	})
	defineMethod("same_quantum", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "same_quantum", args, kw, "other", "context?")
		y := operandArg(th, a[0])
		if x.special() || y.special() {
			return boolValue(x.isNaN() && y.isNaN() || x.kind == dInf && y.kind == dInf)
		}
		return boolValue(x.exp == y.exp)
	})
	defineMethod("fma", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "fma", args, kw, "other", "third", "context?")
		c := contextArg(th, a[2])
		y, z := operandArg(th, a[0]), operandArg(th, a[1])
		var p *dnum
		if x.special() || y.special() {
			p = (&context{prec: 1 << 40, rounding: rHalfEven, emin: -1 << 50, emax: 1 << 50, flags: map[string]bool{}, traps: c.traps}).mul(th, x, y)
		} else {
			p = dFin(x.neg != y.neg, new(big.Int).Mul(x.coef, y.coef), x.exp+y.exp)
		}
		return newDecimal(c.add(th, p, z))
	})
	defineMethod("to_eng_string", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(stringOf(x, true, currentContext(th).capitals != 0))
	})
	defineMethod("number_class", func(th *interp.Thread, x *dnum, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "number_class", args, kw, "context?")
		c := contextArg(th, a[0])
		s := "+"
		if x.neg {
			s = "-"
		}
		switch {
		case x.kind == dSNaN:
			return interp.Str("sNaN")
		case x.kind == dNaN:
			return interp.Str("NaN")
		case x.kind == dInf:
			return interp.Str(s + "Infinity")
		case x.isZero():
			return interp.Str(s + "Zero")
		case x.adjusted() < c.emin:
			return interp.Str(s + "Subnormal")
		}
		return interp.Str(s + "Normal")
	})
	decimalClass.SetAttr("real", &interp.Property{Get: interp.NewBuiltin("real", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return args[0]
	})})
	decimalClass.SetAttr("imag", &interp.Property{Get: interp.NewBuiltin("imag", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return newDecimal(dInt(0))
	})})
	decimalClass.SetAttr("from_float", interp.NewBuiltin("from_float", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "from_float", args, kw, "f")
		switch x := a[0].(type) {
		case interp.Float:
			return newDecimal(fromFloat(float64(x)))
		case interp.Int, *interp.BigInt, interp.Bool:
			return newDecimal(operandArg(th, x))
		}
		th.TypeError("argument must be int or float")
		return nil
	}))
	interp.SetConstructor(decimalClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "Decimal", args, kw, "value?", "context?")
		if a[0] == nil {
			return newDecimal(dInt(0))
		}
		if d, ok := decimalOf(a[0]); ok {
			return newDecimal(d)
		}
		return newDecimal(convert(th, contextArg(th, a[1]), a[0]))
	})
}

// ---- format ----

type formatSpec struct {
	fill, align, sign    string
	noNeg0, alt, zeropad bool
	width                int
	sep                  string
	prec                 int
	hasPrec              bool
	typ                  byte
}

func parseFormatSpec(th *interp.Thread, s string) formatSpec {
	sp := formatSpec{}
	orig := s
	bad := func() { th.ValueError("invalid format string") }
	isAlign := func(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '^' }
	r := []rune(s)
	if len(r) >= 2 && isAlign(byte(r[1])) && r[1] < 128 {
		sp.fill, sp.align = string(r[0]), string(r[1])
		s = string(r[2:])
	} else if len(s) >= 1 && isAlign(s[0]) {
		sp.align = s[:1]
		s = s[1:]
	}
	if s != "" && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
		sp.sign = s[:1]
		s = s[1:]
	}
	if s != "" && s[0] == 'z' {
		sp.noNeg0 = true
		s = s[1:]
	}
	if s != "" && s[0] == '#' {
		sp.alt = true
		s = s[1:]
	}
	if s != "" && s[0] == '0' {
		sp.zeropad = true
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 {
		sp.width, _ = strconv.Atoi(s[:i])
		s = s[i:]
	}
	if s != "" && s[0] == '_' {
		bad() // CPython's C decimal has no '_' grouping
	}
	if s != "" && s[0] == ',' {
		sp.sep = s[:1]
		s = s[1:]
	}
	if s != "" && s[0] == '.' {
		i = 1
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 1 {
			bad()
		}
		sp.prec, _ = strconv.Atoi(s[1:i])
		sp.hasPrec = true
		s = s[i:]
	}
	if len(s) == 1 && strings.IndexByte("eEfFgGn%", s[0]) >= 0 {
		sp.typ = s[0]
		s = ""
	}
	if s != "" {
		th.ValueError("Invalid format specifier '%s' for object of type 'decimal.Decimal'", orig)
	}
	if sp.zeropad && sp.fill != "" {
		th.ValueError("Fill character conflicts with '0' in format specifier: %s", orig)
	}
	if sp.zeropad && sp.align != "" {
		th.ValueError("Alignment conflicts with '0' in format specifier: %s", orig)
	}
	if sp.fill == "" {
		sp.fill = " "
	}
	if sp.align == "" {
		sp.align = ">"
	}
	if sp.sign == "" {
		sp.sign = "-"
	}
	if sp.hasPrec && sp.prec == 0 && (sp.typ == 0 || strings.IndexByte("gGn", sp.typ) >= 0) {
		sp.prec = 1
	}
	return sp
}

func formatSign(neg bool, sp formatSpec) string {
	if neg {
		return "-"
	}
	if sp.sign == " " || sp.sign == "+" {
		return sp.sign
	}
	return ""
}

func formatAlign(sign, body string, sp formatSpec) string {
	n := sp.width - len([]rune(sign+body))
	pad := ""
	if n > 0 {
		pad = strings.Repeat(sp.fill, n)
	}
	switch sp.align {
	case "<":
		return sign + body + pad
	case "=":
		return sign + pad + body
	case "^":
		h := n / 2
		if n <= 0 {
			h = 0
		}
		pr := []rune(pad)
		return string(pr[:h]) + sign + body + string(pr[h:])
	}
	return pad + sign + body
}

func insertSeparators(digits, sep string, minWidth int) string {
	if sep == "" {
		l := max(len(digits), minWidth, 1)
		return strings.Repeat("0", l-len(digits)) + digits
	}
	var groups []string
	for {
		l := min(max(len(digits), minWidth, 1), 3)
		g := digits
		if len(g) > l {
			g = g[len(g)-l:]
		}
		groups = append(groups, strings.Repeat("0", l-len(g))+g)
		if len(digits) > l {
			digits = digits[:len(digits)-l]
		} else {
			digits = ""
		}
		minWidth -= l
		if digits == "" && minWidth <= 0 {
			break
		}
		minWidth -= len(sep)
	}
	for i, j := 0, len(groups)-1; i < j; i, j = i+1, j-1 {
		groups[i], groups[j] = groups[j], groups[i]
	}
	return strings.Join(groups, sep)
}

func format(th *interp.Thread, x *dnum, spec string, c *context) string {
	sp := parseFormatSpec(th, spec)
	if x.special() {
		body := formatSign(x.neg, sp) + stringOf(x.abs(), false, true)
		if sp.typ == '%' {
			body += "%"
		}
		return formatAlign("", body, sp)
	}
	typ := sp.typ
	if typ == 0 {
		typ = 'g'
		if c.capitals != 0 {
			typ = 'G'
		}
	}
	if typ == 'n' {
		typ = 'g'
	}
	if typ == '%' {
		x = dFin(x.neg, x.coef, x.exp+2)
	}
	mode := c.rounding
	if sp.hasPrec {
		switch typ {
		case 'e', 'E':
			x = x.roundPlaces(int64(sp.prec)+1, mode)
		case 'f', 'F', '%':
			x, _ = x.rescale(-int64(sp.prec), mode)
		case 'g', 'G':
			if ndig(x.coef) > int64(sp.prec) {
				x = x.roundPlaces(int64(sp.prec), mode)
			}
		}
	}
	if x.isZero() && x.exp > 0 && (typ == 'f' || typ == 'F' || typ == '%') {
		x, _ = x.rescale(0, mode)
	}
	neg := x.neg
	if x.isZero() && sp.noNeg0 {
		neg = false
	}
	digits := x.coef.String()
	n := int64(len(digits))
	left := x.exp + n
	var dot int64
	switch typ {
	case 'e', 'E':
		if x.isZero() && sp.hasPrec {
			dot = 1 - int64(sp.prec)
		} else {
			dot = 1
		}
	case 'f', 'F', '%':
		dot = left
	default:
		if x.exp <= 0 && left > -6 {
			dot = left
		} else {
			dot = 1
		}
	}
	var ip, fp string
	switch {
	case dot < 0:
		ip, fp = "0", strings.Repeat("0", int(-dot))+digits
	case dot > n:
		ip = digits + strings.Repeat("0", int(dot-n))
	default:
		ip, fp = digits[:dot], digits[dot:]
		if ip == "" {
			ip = "0"
		}
	}
	exp := left - dot
	sign := formatSign(neg, sp)
	if fp != "" || sp.alt {
		fp = "." + fp
	}
	if exp != 0 || typ == 'e' || typ == 'E' {
		ec := map[byte]string{'E': "E", 'e': "e", 'G': "E", 'g': "e"}[typ]
		es := strconv.FormatInt(exp, 10)
		if exp >= 0 {
			es = "+" + es
		}
		fp += ec + es
	}
	if typ == '%' {
		fp += "%"
	}
	minWidth := 0
	if sp.zeropad {
		minWidth = sp.width - len(fp) - len(sign)
	}
	ip = insertSeparators(ip, sp.sep, minWidth)
	return formatAlign(sign, ip+fp, sp)
}
