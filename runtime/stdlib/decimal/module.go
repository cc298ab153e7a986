// Package decimal implements Python's decimal module after the General Decimal
// Arithmetic specification, as CPython's _pydecimal does: Decimal, Context, the
// signals and the rounding modes.
package decimal

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/collections"
)

// The decimal module. A Decimal is an instance of a class-kind class holding its
// number in a hidden attribute, so that int(), float(), round(), format() and
// the operators reach its dunder methods as they do for Python classes.

type payload struct{ d *dnum }

var payloadClass = interp.NewBuiltinClass("_decimal_payload")

func (*payload) Class() *interp.Class { return payloadClass }

var decimalClass = func() *interp.Class {
	c := interp.NewBuiltinClass("Decimal", interp.ObjectClass)
	c.Module = "decimal"
	c.Kind = interp.KindClass
	return c
}()

var classes = map[string]*interp.Class{}

func init() {
	mk := func(name string, bases ...*interp.Class) *interp.Class {
		c := interp.NewBuiltinClass(name, bases...)
		c.Module = "decimal"
		classes[name] = c
		return c
	}
	base := mk("DecimalException", interp.ArithmeticErrorClass)
	clamped := mk("Clamped", base)
	invalid := mk("InvalidOperation", base)
	rounded := mk("Rounded", base)
	subnormal := mk("Subnormal", base)
	inexact := mk("Inexact", base)
	mk("DivisionByZero", base, interp.ZeroDivisionErrorClass)
	mk("Overflow", inexact, rounded)
	mk("Underflow", inexact, rounded, subnormal)
	mk("FloatOperation", base, interp.TypeErrorClass)
	mk("ConversionSyntax", invalid)
	mk("DivisionImpossible", invalid)
	mk("DivisionUndefined", invalid, interp.ZeroDivisionErrorClass)
	mk("InvalidContext", invalid)
	_ = clamped
	registerMethods()
	registerOrderingLogic()
}

var signalNames = []string{"InvalidOperation", "FloatOperation", "DivisionByZero", "Overflow", "Underflow", "Subnormal", "Inexact", "Rounded", "Clamped"}

func newDecimal(d *dnum) *interp.Instance {
	o := interp.NewInstance(decimalClass)
	o.SetExtraAttr("_d", &payload{d})
	return o
}

func decimalOf(v interp.Value) (*dnum, bool) {
	o, ok := v.(*interp.Instance)
	if !ok || !o.Class().IsSubclass(decimalClass) {
		return nil, false
	}
	p, ok := payloadOf(o)
	return p, ok
}

func payloadOf(o *interp.Instance) (*dnum, bool) {
	v, ok := interp.LookupAttr(nil, o, "_d")
	if !ok {
		return nil, false
	}
	p, ok := v.(*payload)
	if !ok {
		return nil, false
	}
	return p.d, true
}

// operand converts an int or Decimal operand (ok false otherwise).
func operand(v interp.Value) (*dnum, bool) {
	switch x := v.(type) {
	case interp.Int:
		return dInt(int64(x)), true
	case interp.Bool:
		if x {
			return dInt(1), true
		}
		return dInt(0), true
	case *interp.BigInt:
		b := x.Value()
		return dFin(b.Sign() < 0, new(big.Int).Abs(b), 0), true
	}
	return decimalOf(v)
}

// ---- context ----

type contextValue struct{ c *context }

var contextClass = func() *interp.Class {
	c := interp.NewBuiltinClass("Context")
	c.Module = "decimal"
	return c
}()

func (*contextValue) Class() *interp.Class { return contextClass }

const contextKey = "decimal.context"

func currentContextValue(th *interp.Thread) *contextValue {
	if th.Locals == nil {
		th.Locals = map[string]any{}
	}
	if v, ok := th.Locals[contextKey].(*contextValue); ok {
		return v
	}
	v := &contextValue{defaultContext.copy()}
	th.Locals[contextKey] = v
	return v
}

func currentContext(th *interp.Thread) *context { return currentContextValue(th).c }

var defaultContext = newContext()

func (v *contextValue) ReprJac(th *interp.Thread) string {
	c := v.c
	list := func(m map[string]bool) string {
		var parts []string
		for _, n := range signalNames {
			if m[n] {
				parts = append(parts, n)
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "Context(prec=" + strconv.FormatInt(c.prec, 10) + ", rounding=" + c.rounding +
		", Emin=" + strconv.FormatInt(c.emin, 10) + ", Emax=" + strconv.FormatInt(c.emax, 10) +
		", capitals=" + strconv.FormatInt(c.capitals, 10) + ", clamp=" + strconv.FormatInt(c.clamp, 10) +
		", flags=" + list(c.flags) + ", traps=" + list(c.traps) + ")"
}

func (v *contextValue) SetAttrJac(th *interp.Thread, name string, x interp.Value) bool {
	c := v.c
	switch name {
	case "prec":
		n := interp.ToInt64(th, x)
		if n < 1 || n > 999999999999999999 {
			th.ValueError("valid range for prec is [1, MAX_PREC]")
		}
		c.prec = n
	case "rounding":
		s, ok := x.(interp.Str)
		valid := false
		for _, r := range roundings {
			valid = valid || ok && string(s) == r
		}
		if !valid {
			th.TypeError("valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]")
		}
		c.rounding = string(s)
	case "Emin":
		c.emin = interp.ToInt64(th, x)
	case "Emax":
		c.emax = interp.ToInt64(th, x)
	case "capitals":
		c.capitals = interp.ToInt64(th, x)
	case "clamp":
		c.clamp = interp.ToInt64(th, x)
	case "traps", "flags":
		m := signalSet(th, x)
		if name == "traps" {
			c.traps = m
		} else {
			c.flags = m
		}
	default:
		return false
	}
	return true
}

// signalSet reads a list of signal classes or a {signal: bool} dict.
func signalSet(th *interp.Thread, x interp.Value) map[string]bool {
	m := map[string]bool{}
	if d, ok := x.(*interp.Dict); ok {
		for _, it := range d.Items() {
			if c, ok := it.Key.(*interp.Class); ok && interp.Truth(th, it.Value) {
				m[c.Name] = true
			}
		}
		return m
	}
	if sm, ok := x.(*signalMap); ok {
		for k, v := range sm.m() {
			m[k] = v
		}
		return m
	}
	interp.Iterate(th, x, func(v interp.Value) bool {
		if c, ok := v.(*interp.Class); ok {
			m[c.Name] = true
		}
		return true
	})
	return m
}

// signalMap is a context's flags or traps, indexed by signal class.
type signalMap struct {
	ctx   *context
	traps bool
}

var signalMapClass = interp.NewBuiltinClass("SignalDict")

func (*signalMap) Class() *interp.Class { return signalMapClass }

func (s *signalMap) m() map[string]bool {
	if s.traps {
		return s.ctx.traps
	}
	return s.ctx.flags
}

func (s *signalMap) key(th *interp.Thread, k interp.Value) string {
	c, ok := k.(*interp.Class)
	if !ok || classes[c.Name] != c {
		th.Raise(interp.KeyErrorClass, "%s", interp.Repr(th, k))
	}
	name := c.Name
	if b, ok := signalBase[name]; ok {
		name = b
	}
	return name
}

func (s *signalMap) GetItemJac(th *interp.Thread, k interp.Value) interp.Value {
	return interp.MakeBool(s.m()[s.key(th, k)])
}

func (s *signalMap) SetItemJac(th *interp.Thread, k, v interp.Value) {
	s.m()[s.key(th, k)] = interp.Truth(th, v)
}

func (s *signalMap) ReprJac(th *interp.Thread) string {
	var parts []string
	for _, n := range signalNames {
		b := "False"
		if s.m()[n] {
			b = "True"
		}
		parts = append(parts, "<class 'decimal."+n+"'>:"+b)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (v *contextValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	c := v.c
	switch name {
	case "prec":
		return interp.MakeInt(c.prec), true
	case "rounding":
		return interp.Str(c.rounding), true
	case "Emin":
		return interp.MakeInt(c.emin), true
	case "Emax":
		return interp.MakeInt(c.emax), true
	case "capitals":
		return interp.MakeInt(c.capitals), true
	case "clamp":
		return interp.MakeInt(c.clamp), true
	case "flags":
		return &signalMap{ctx: c}, true
	case "traps":
		return &signalMap{ctx: c, traps: true}, true
	}
	fn := func(f func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) (interp.Value, bool) {
		return interp.NewBuiltin(name, f), true
	}
	arg := func(th *interp.Thread, x interp.Value) *dnum {
		d, ok := operand(x)
		if !ok {
			th.TypeError("conversion from %s to Decimal is not supported", interp.TypeName(x))
		}
		return d
	}
	bin := func(op func(th *interp.Thread, a, b *dnum) *dnum) (interp.Value, bool) {
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "a", "b")
			return newDecimal(op(th, arg(th, a[0]), arg(th, a[1])))
		})
	}
	un := func(op func(th *interp.Thread, a *dnum) *dnum) (interp.Value, bool) {
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "a")
			return newDecimal(op(th, arg(th, a[0])))
		})
	}
	switch name {
	case "copy":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return &contextValue{c.copy()}
		})
	case "clear_flags":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			c.flags = map[string]bool{}
			return interp.None
		})
	case "clear_traps":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			c.traps = map[string]bool{}
			return interp.None
		})
	case "Etiny":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeInt(c.etiny())
		})
	case "Etop":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return interp.MakeInt(c.etop())
		})
	case "create_decimal":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "num?")
			var d *dnum = dInt(0)
			if a[0] != nil {
				d = convert(th, c, a[0])
			}
			return newDecimal(c.fix(th, d))
		})
	case "create_decimal_from_float":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "f")
			return newDecimal(c.fix(th, convert(th, c, a[0])))
		})
	case "add":
		return bin(c.add)
	case "subtract":
		return bin(func(th *interp.Thread, a, b *dnum) *dnum { return c.add(th, a, b.negate()) })
	case "multiply":
		return bin(c.mul)
	case "divide":
		return bin(c.div)
	case "divide_int":
		return bin(c.floordiv)
	case "remainder":
		return bin(c.mod)
	case "remainder_near":
		return bin(c.remainderNear)
	case "power":
		return bin(c.pow)
	case "quantize":
		return bin(func(th *interp.Thread, a, b *dnum) *dnum { return c.quantize(th, a, b, c.rounding) })
	case "sqrt":
		return un(c.sqrt)
	case "abs":
		return un(func(th *interp.Thread, a *dnum) *dnum { return c.plus(th, a.abs()) })
	case "minus":
		return un(func(th *interp.Thread, a *dnum) *dnum { return c.plus(th, a.negate()) })
	case "plus":
		return un(c.plus)
	case "exp":
		return un(c.exp)
	case "ln":
		return un(c.ln)
	case "log10":
		return un(c.log10)
	case "to_sci_string":
		return fn(func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, name, args, kw, "a")
			return interp.Str(stringOf(arg(th, a[0]), false, c.capitals != 0))
		})
	}
	return contextFallback(v, name)
}

// plus is unary + in the context (rounds; -0 becomes 0 except when flooring).
func (c *context) plus(th *interp.Thread, a *dnum) *dnum {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r
		}
		return a
	}
	if a.isZero() && c.rounding != rFloor {
		a = a.abs()
	}
	return c.fix(th, a)
}

func (c *context) exp(th *interp.Thread, a *dnum) *dnum {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r
		}
		if a.neg {
			return dFin(false, bigZero, 0)
		}
		return a
	}
	if a.isZero() {
		return dInt(1)
	}
	if a.adjusted() > 8 {
		if a.neg {
			return c.fix(th, dFin(false, bigOne, c.etiny()-1))
		}
		return c.overflow(th, false)
	}
	bits := uint(c.prec*4 + 128)
	d := bigExpToDec(toBigFloat(a, bits), bits, c.prec+10)
	return c.roundedHalfEven(th, d)
}

func (c *context) ln(th *interp.Thread, a *dnum) *dnum {
	if r, done := c.logDomain(th, a); done {
		return r
	}
	if dCmp(a, dInt(1)) == 0 {
		return dInt(0)
	}
	bits := uint(c.prec*4 + 128)
	r := bigLn(toBigFloat(a, bits), bits)
	return c.roundedHalfEven(th, fromBigFloat(r, c.prec+10))
}

func (c *context) log10(th *interp.Thread, a *dnum) *dnum {
	if r, done := c.logDomain(th, a); done {
		return r
	}
	// Exact powers of ten.
	s := strings.TrimRight(a.coef.String(), "0")
	if s == "1" {
		k := a.exp + int64(len(a.coef.String())) - 1
		return dInt(k)
	}
	bits := uint(c.prec*4 + 128)
	r := bigLn(toBigFloat(a, bits), bits)
	r.Quo(r, bigLn(new(big.Float).SetPrec(bits).SetInt64(10), bits))
	return c.roundedHalfEven(th, fromBigFloat(r, c.prec+10))
}

// convert is the Decimal constructor's conversion (exact, no rounding).
func convert(th *interp.Thread, c *context, v interp.Value) *dnum {
	if d, ok := operand(v); ok {
		return d
	}
	if nt, ok := v.(*collections.NamedTupleValue); ok {
		v = interp.Tuple(nt.Values) // a DecimalTuple
	}
	switch x := v.(type) {
	case interp.Float:
		return fromFloat(float64(x))
	case interp.Str:
		d, ok := parse(string(x))
		if !ok {
			return c.signal(th, "ConversionSyntax", false)
		}
		return d
	case interp.Tuple, *interp.List:
		items := interp.ToSlice(th, x)
		if len(items) != 3 {
			th.ValueError("argument must be a sequence of length 3")
		}
		sign := interp.ToInt64(th, items[0])
		if sign != 0 && sign != 1 {
			th.ValueError("sign must be an integer with the value 0 or 1")
		}
		var sb strings.Builder
		for _, dg := range interp.ToSlice(th, items[1]) {
			n, ok := dg.(interp.Int)
			if !ok || n < 0 || n > 9 {
				th.ValueError("coefficient must be a tuple of digits")
			}
			sb.WriteByte(byte('0' + n))
		}
		digits := strings.TrimLeft(sb.String(), "0")
		coef := new(big.Int)
		if digits != "" {
			coef.SetString(digits, 10)
		}
		if s, ok := items[2].(interp.Str); ok {
			switch string(s) {
			case "F":
				return dInfinity(sign == 1)
			case "n", "N":
				k := dNaN
				if s == "N" {
					k = dSNaN
				}
				return &dnum{neg: sign == 1, kind: k, coef: coef}
			}
			th.ValueError("string argument in the third position must be 'F', 'n' or 'N'")
		}
		return dFin(sign == 1, coef, interp.ToInt64(th, items[2]))
	}
	th.TypeError("conversion from %s to Decimal is not supported", interp.TypeName(v))
	return nil
}

var tupleOnce sync.Once

var tupleClass interp.Value

func tupleClassOf(th *interp.Thread) interp.Value {
	tupleOnce.Do(func() {
		tupleClass = collections.NamedTuple(th, []interp.Value{interp.Str("DecimalTuple"), interp.Str("sign digits exponent")}, nil)
	})
	return tupleClass
}

func asTuple(th *interp.Thread, d *dnum) interp.Value {
	sign := interp.MakeInt(0)
	if d.neg {
		sign = interp.MakeInt(1)
	}
	var digits []interp.Value
	var exp interp.Value
	switch d.kind {
	case dInf:
		digits = []interp.Value{interp.MakeInt(0)}
		exp = interp.Str("F")
	case dNaN, dSNaN:
		if d.coef.Sign() != 0 {
			for _, ch := range d.coef.String() {
				digits = append(digits, interp.MakeInt(int64(ch-'0')))
			}
		}
		exp = interp.Str("n")
		if d.kind == dSNaN {
			exp = interp.Str("N")
		}
	default:
		for _, ch := range d.coef.String() {
			digits = append(digits, interp.MakeInt(int64(ch-'0')))
		}
		exp = interp.MakeInt(d.exp)
	}
	return th.Call(tupleClassOf(th), []interp.Value{sign, interp.Tuple(digits), exp}, nil)
}

// compareValues orders a Decimal with an int, Decimal or float (ok false: not comparable).
func compareValues(th *interp.Thread, a *dnum, other interp.Value, ordering bool) (int, bool, bool) {
	b, ok := operand(other)
	if !ok {
		f, isF := other.(interp.Float)
		if !isF {
			return 0, false, false
		}
		b = fromFloat(float64(f))
		currentContext(th).flags["FloatOperation"] = true
		if ordering && currentContext(th).traps["FloatOperation"] {
			th.Raise(classes["FloatOperation"], "[<class 'decimal.FloatOperation'>]")
		}
	}
	if a.isNaN() || b.isNaN() {
		if ordering || a.kind == dSNaN || b.kind == dSNaN {
			currentContext(th).signal(th, "InvalidOperation", false)
		}
		return 0, true, true
	}
	return dCmp(a, b), true, false
}

func toInt(th *interp.Thread, d *dnum, mode string) interp.Value {
	switch d.kind {
	case dNaN, dSNaN:
		th.ValueError("cannot convert NaN to integer")
	case dInf:
		th.Raise(interp.OverflowErrorClass, "cannot convert Infinity to integer")
	}
	r, _ := d.rescale(0, mode)
	return interp.MakeBigInt(truncate(r))
}

func toFloat(th *interp.Thread, d *dnum) float64 {
	switch d.kind {
	case dSNaN:
		th.ValueError("cannot convert signaling NaN to float")
	case dNaN:
		if d.neg {
			return math.Copysign(math.NaN(), -1)
		}
		return math.NaN()
	case dInf:
		if d.neg {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, _ := strconv.ParseFloat(stringOf(d, false, false), 64)
	return f
}

// localContext is localcontext()'s context manager.
type localContext struct {
	ctx   *contextValue
	saved *contextValue
}

var localContextClass = interp.NewBuiltinClass("_ContextManager")

func (*localContext) Class() *interp.Class { return localContextClass }

func (l *localContext) Enter(th *interp.Thread) interp.Value {
	l.saved = currentContextValue(th)
	th.Locals[contextKey] = l.ctx
	return l.ctx
}

func (l *localContext) Exit(th *interp.Thread, exc *interp.Instance) bool {
	th.Locals[contextKey] = l.saved
	return false
}

func newContextValue(th *interp.Thread, base *context, kw []interp.KV) *contextValue {
	v := &contextValue{base.copy()}
	for _, a := range kw {
		if !v.SetAttrJac(th, a.Name, a.Value) {
			th.TypeError("'%s' is an invalid keyword argument for this function", a.Name)
		}
	}
	return v
}

func init() {
	interp.SetConstructor(contextClass, func(th *interp.Thread, cls *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		names := []string{"prec", "rounding", "Emin", "Emax", "capitals", "clamp", "flags", "traps"}
		for i, a := range args {
			if i < len(names) && a != interp.None {
				kw = append(kw, interp.KV{Name: names[i], Value: a})
			}
		}
		base := newContext()
		v := newContextValue(th, base, kw)
		return v
	})
	interp.RegisterModule("decimal", func() *interp.Module {
		m := interp.NewModule("decimal")
		m.Set("Decimal", decimalClass)
		m.Set("Context", contextClass)
		m.Set("DecimalTuple", tupleClassOf(nil))
		for name, c := range classes {
			m.Set(name, c)
		}
		for _, r := range roundings {
			m.Set(r, interp.Str(r))
		}
		m.Set("MAX_PREC", interp.MakeInt(999999999999999999))
		m.Set("MAX_EMAX", interp.MakeInt(999999999999999999))
		m.Set("MIN_EMIN", interp.MakeInt(-999999999999999999))
		m.Set("MIN_ETINY", interp.MakeInt(-1999999999999999997))
		m.Set("HAVE_THREADS", interp.True)
		m.Set("HAVE_CONTEXTVAR", interp.True)
		m.Set("__version__", interp.Str("1.70"))
		m.Set("__libmpdec_version__", interp.Str("2.5.1"))
		m.Set("DefaultContext", &contextValue{defaultContext})
		basic := newContext()
		basic.prec, basic.rounding = 9, rHalfUp
		basic.traps = map[string]bool{"Clamped": true, "DivisionByZero": true, "InvalidOperation": true, "Overflow": true, "Underflow": true}
		m.Set("BasicContext", &contextValue{basic})
		ext := newContext()
		ext.prec, ext.traps = 9, map[string]bool{}
		m.Set("ExtendedContext", &contextValue{ext})
		m.Set("getcontext", interp.NewBuiltin("getcontext", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return currentContextValue(th)
		}))
		m.Set("setcontext", interp.NewBuiltin("setcontext", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "setcontext", args, kw, "context")
			c, ok := a[0].(*contextValue)
			if !ok {
				th.TypeError("argument must be a context")
			}
			currentContextValue(th)
			if c.c == defaultContext {
				c = &contextValue{defaultContext.copy()}
			}
			th.Locals[contextKey] = c
			return interp.None
		}))
		m.Set("localcontext", interp.NewBuiltin("localcontext", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			base := currentContext(th)
			if len(args) > 0 && args[0] != interp.None {
				c, ok := args[0].(*contextValue)
				if !ok {
					th.TypeError("optional argument must be a context")
				}
				base = c.c
			}
			for i, a := range kw {
				if a.Name == "ctx" {
					if c, ok := a.Value.(*contextValue); ok {
						base = c.c
					}
					kw = append(kw[:i:i], kw[i+1:]...)
					break
				}
			}
			return &localContext{ctx: newContextValue(th, base, kw)}
		}))
		return m
	})
}

// logDomain handles a logarithm's special operands: NaN, infinity, zero,
// negative. done reports that r is the answer.
func (c *context) logDomain(th *interp.Thread, a *dnum) (r *dnum, done bool) {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r, true
		}
		if !a.neg {
			return a, true
		}
	}
	if a.isZero() {
		return dInfinity(true), true
	}
	if a.neg {
		return c.signal(th, "InvalidOperation", false), true
	}
	return nil, false
}

// roundedHalfEven rounds an inexact transcendental result half-even to the
// context, signalling Inexact and Rounded, as CPython does.
func (c *context) roundedHalfEven(th *interp.Thread, d *dnum) *dnum {
	cx := c.copy()
	cx.rounding = rHalfEven
	ans := cx.fix(th, d)
	c.signal(th, "Inexact", false)
	c.signal(th, "Rounded", false)
	return ans
}
