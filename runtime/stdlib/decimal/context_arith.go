package decimal

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/jacscale/jac/runtime/interp"
)

// context is a decimal.Context.
type context struct {
	prec       int64
	rounding   string
	emin, emax int64
	capitals   int64
	clamp      int64
	flags      map[string]bool
	traps      map[string]bool
}

func newContext() *context {
	return &context{prec: 28, rounding: rHalfEven, emin: -999999, emax: 999999, capitals: 1,
		flags: map[string]bool{},
		traps: map[string]bool{"InvalidOperation": true, "DivisionByZero": true, "Overflow": true}}
}

func (c *context) copy() *context {
	n := *c
	n.flags, n.traps = map[string]bool{}, map[string]bool{}
	for k, v := range c.flags {
		n.flags[k] = v
	}
	for k, v := range c.traps {
		n.traps[k] = v
	}
	return &n
}

func (c *context) etiny() int64 { return c.emin - c.prec + 1 }

func (c *context) etop() int64 { return c.emax - c.prec + 1 }

// signalBase maps conditions to the signal that flags and traps them.
var signalBase = map[string]string{
	"ConversionSyntax": "InvalidOperation", "DivisionImpossible": "InvalidOperation",
	"DivisionUndefined": "InvalidOperation", "InvalidContext": "InvalidOperation",
}

// signal records condition cond; when trapped it raises, otherwise it returns
// the condition's default result (NaN, ±Infinity, nil for informational ones).
func (c *context) signal(th *interp.Thread, cond string, neg bool) *dnum {
	sig := cond
	if b, ok := signalBase[cond]; ok {
		sig = b
	}
	c.flags[sig] = true
	if c.traps[sig] {
		th.Raise(classes[sig], "[<class 'decimal.%s'>]", cond)
	}
	switch sig {
	case "InvalidOperation":
		return dNaNv()
	case "DivisionByZero":
		return dInfinity(neg)
	case "Overflow":
		return c.overflowResult(neg)
	}
	return nil
}

func (c *context) overflowResult(neg bool) *dnum {
	switch c.rounding {
	case rHalfUp, rHalfEven, rHalfDown, rUp:
		return dInfinity(neg)
	}
	if !neg && c.rounding == rCeiling || neg && c.rounding == rFloor {
		return dInfinity(neg)
	}
	m := new(big.Int).Sub(pow10(c.prec), bigOne)
	return dFin(neg, m, c.emax-c.prec+1)
}

// overflow signals Overflow (then Inexact and Rounded) and returns its result.
func (c *context) overflow(th *interp.Thread, neg bool) *dnum {
	c.flags["Inexact"], c.flags["Rounded"] = true, true
	ans := c.signal(th, "Overflow", neg)
	c.signal(th, "Inexact", neg)
	c.signal(th, "Rounded", neg)
	return ans
}

// fix rounds x to the context's precision and exponent limits.
func (c *context) fix(th *interp.Thread, x *dnum) *dnum {
	if x.kind != dFinite {
		if x.isNaN() {
			maxp := c.prec - c.clamp
			if x.coef.Sign() != 0 && ndig(x.coef) > maxp {
				s := x.coef.String()
				p, _ := new(big.Int).SetString(s[int64(len(s))-maxp:], 10)
				return &dnum{neg: x.neg, kind: x.kind, coef: p}
			}
		}
		return x
	}
	etiny, etop := c.etiny(), c.etop()
	if x.coef.Sign() == 0 {
		expMax := c.emax
		if c.clamp == 1 {
			expMax = etop
		}
		ne := min(max(x.exp, etiny), expMax)
		if ne != x.exp {
			c.signal(th, "Clamped", false)
			return dFin(x.neg, bigZero, ne)
		}
		return x
	}
	nd := ndig(x.coef)
	expMin := nd + x.exp - c.prec
	if expMin > etop {
		return c.overflow(th, x.neg)
	}
	sub := expMin < etiny
	if sub {
		expMin = etiny
	}
	if x.exp < expMin {
		coef, exp := x.coef, x.exp
		if nd+exp-expMin < 0 {
			coef, exp = bigOne, expMin-1
		}
		q, changed := roundCoef(coef, expMin-exp, x.neg, c.rounding)
		if ndig(q) > c.prec {
			q.Quo(q, bigTen)
			expMin++
		}
		var ans *dnum
		if expMin > etop {
			ans = c.signal(th, "Overflow", x.neg)
		} else {
			ans = dFin(x.neg, q, expMin)
		}
		if changed && sub {
			c.signal(th, "Underflow", false)
		}
		if sub {
			c.signal(th, "Subnormal", false)
		}
		if changed {
			c.signal(th, "Inexact", false)
		}
		c.signal(th, "Rounded", false)
		if ans.isZero() {
			c.signal(th, "Clamped", false)
		}
		return ans
	}
	if sub {
		c.signal(th, "Subnormal", false)
	}
	if c.clamp == 1 && x.exp > etop {
		c.signal(th, "Clamped", false)
		return dFin(x.neg, new(big.Int).Mul(x.coef, pow10(x.exp-etop)), etop)
	}
	return x
}

// checkNaNs handles NaN operands (nil when neither is a NaN).
func (c *context) checkNaNs(th *interp.Thread, a, b *dnum) *dnum {
	if a.kind == dSNaN || b != nil && b.kind == dSNaN {
		x := a
		if a.kind != dSNaN {
			x = b
		}
		c.signal(th, "InvalidOperation", false)
		r := &dnum{neg: x.neg, kind: dNaN, coef: x.coef}
		return c.fix(th, r)
	}
	if a.kind == dNaN {
		return c.fix(th, a)
	}
	if b != nil && b.kind == dNaN {
		return c.fix(th, b)
	}
	return nil
}

func (c *context) add(th *interp.Thread, a, b *dnum) *dnum {
	if a.special() || b.special() {
		if r := c.checkNaNs(th, a, b); r != nil {
			return r
		}
		if a.kind == dInf {
			if b.kind == dInf && a.neg != b.neg {
				return c.signal(th, "InvalidOperation", false)
			}
			return a
		}
		return b
	}
	exp := min(a.exp, b.exp)
	negZero := c.rounding == rFloor && a.neg != b.neg
	az, bz := a.coef.Sign() == 0, b.coef.Sign() == 0
	if az && bz {
		neg := a.neg && b.neg || negZero
		return c.fix(th, dFin(neg, bigZero, exp))
	}
	if az || bz {
		other := a
		if az {
			other = b
		}
		exp = max(exp, other.exp-c.prec-1)
		r, _ := other.rescale(exp, c.rounding)
		return c.fix(th, r)
	}
	// Align, capping the smaller operand to a sticky digit when far apart.
	hi, lo := a, b
	if a.exp < b.exp {
		hi, lo = b, a
	}
	loC, loE := lo.coef, lo.exp
	e := hi.exp + min(-1, ndig(hi.coef)-c.prec-2)
	if ndig(loC)+loE-1 < e {
		loC, loE = bigOne, e
	}
	hiC := new(big.Int).Mul(hi.coef, pow10(hi.exp-loE))
	x, y := hiC, loC
	if hi.neg {
		x = new(big.Int).Neg(x)
	}
	if lo.neg {
		y = new(big.Int).Neg(y)
	}
	s := new(big.Int).Add(x, y)
	if s.Sign() == 0 {
		return c.fix(th, dFin(negZero, bigZero, loE))
	}
	neg := s.Sign() < 0
	return c.fix(th, dFin(neg, s.Abs(s), loE))
}

func (c *context) mul(th *interp.Thread, a, b *dnum) *dnum {
	neg := a.neg != b.neg
	if a.special() || b.special() {
		if r := c.checkNaNs(th, a, b); r != nil {
			return r
		}
		if a.kind == dInf && b.isZero() || b.kind == dInf && a.isZero() {
			return c.signal(th, "InvalidOperation", false)
		}
		return dInfinity(neg)
	}
	return c.fix(th, dFin(neg, new(big.Int).Mul(a.coef, b.coef), a.exp+b.exp))
}

func (c *context) div(th *interp.Thread, a, b *dnum) *dnum {
	neg := a.neg != b.neg
	if a.special() || b.special() {
		if r := c.checkNaNs(th, a, b); r != nil {
			return r
		}
		if a.kind == dInf && b.kind == dInf {
			return c.signal(th, "InvalidOperation", false)
		}
		if a.kind == dInf {
			return dInfinity(neg)
		}
		c.signal(th, "Clamped", false)
		return dFin(neg, bigZero, c.etiny())
	}
	if b.isZero() {
		if a.isZero() {
			return c.signal(th, "DivisionUndefined", false)
		}
		return c.signal(th, "DivisionByZero", neg)
	}
	var coef *big.Int
	var exp int64
	if a.isZero() {
		coef, exp = bigZero, a.exp-b.exp
	} else {
		shift := ndig(b.coef) - ndig(a.coef) + c.prec + 1
		exp = a.exp - b.exp - shift
		var r *big.Int
		if shift >= 0 {
			coef, r = new(big.Int).QuoRem(new(big.Int).Mul(a.coef, pow10(shift)), b.coef, new(big.Int))
		} else {
			coef, r = new(big.Int).QuoRem(a.coef, new(big.Int).Mul(b.coef, pow10(-shift)), new(big.Int))
		}
		if r.Sign() != 0 {
			if new(big.Int).Rem(coef, big.NewInt(5)).Sign() == 0 {
				coef.Add(coef, bigOne)
			}
		} else {
			ideal := a.exp - b.exp
			m := new(big.Int)
			for exp < ideal {
				q, r := new(big.Int).QuoRem(coef, bigTen, m)
				if r.Sign() != 0 {
					break
				}
				coef = q
				exp++
			}
		}
	}
	return c.fix(th, dFin(neg, coef, exp))
}

// divide is the truncating integer division and remainder used by //, % and divmod.
func (c *context) divide(th *interp.Thread, a, b *dnum) (*dnum, *dnum) {
	neg := a.neg != b.neg
	ideal := min(a.exp, b.exp)
	if b.kind == dInf {
		ideal = a.exp
	}
	expdiff := a.adjusted() - b.adjusted()
	if a.isZero() || b.kind == dInf || expdiff <= -2 {
		r, _ := a.rescale(ideal, c.rounding)
		return dFin(neg, bigZero, 0), r
	}
	if expdiff <= c.prec {
		q, r, _ := alignedQuoRem(a, b)
		if q.Cmp(pow10(c.prec)) < 0 {
			return dFin(neg, q, 0), dFin(a.neg, r, ideal)
		}
	}
	ans := c.signal(th, "DivisionImpossible", false)
	return ans, ans
}

func (c *context) floordiv(th *interp.Thread, a, b *dnum) *dnum {
	if r := c.checkNaNs(th, a, b); r != nil {
		return r
	}
	if a.kind == dInf {
		if b.kind == dInf {
			return c.signal(th, "InvalidOperation", false)
		}
		return dInfinity(a.neg != b.neg)
	}
	if b.isZero() {
		if !a.isZero() {
			return c.signal(th, "DivisionByZero", a.neg != b.neg)
		}
		return c.signal(th, "DivisionUndefined", false)
	}
	q, _ := c.divide(th, a, b)
	return q
}

// remainderDomain handles a remainder's special operands (NaN, infinite
// dividend, zero divisor); done reports that r is the answer.
func (c *context) remainderDomain(th *interp.Thread, a, b *dnum) (r *dnum, done bool) {
	if r := c.checkNaNs(th, a, b); r != nil {
		return r, true
	}
	if a.kind == dInf {
		return c.signal(th, "InvalidOperation", false), true
	}
	if b.isZero() {
		if !a.isZero() {
			return c.signal(th, "InvalidOperation", false), true
		}
		return c.signal(th, "DivisionUndefined", false), true
	}
	return nil, false
}

func (c *context) mod(th *interp.Thread, a, b *dnum) *dnum {
	if r, done := c.remainderDomain(th, a, b); done {
		return r
	}
	_, r := c.divide(th, a, b)
	return c.fix(th, r)
}

func (c *context) remainderNear(th *interp.Thread, a, b *dnum) *dnum {
	if r, done := c.remainderDomain(th, a, b); done {
		return r
	}
	if b.kind == dInf {
		return c.fix(th, a)
	}
	ideal := min(a.exp, b.exp)
	if a.isZero() {
		return c.fix(th, dFin(a.neg, bigZero, ideal))
	}
	expdiff := a.adjusted() - b.adjusted()
	if expdiff >= c.prec+1 {
		return c.signal(th, "DivisionImpossible", false)
	}
	if expdiff <= -2 {
		r, _ := a.rescale(ideal, c.rounding)
		return c.fix(th, r)
	}
	q, r, y := alignedQuoRem(a, b)
	t := new(big.Int).Lsh(r, 1)
	t.Add(t, big.NewInt(int64(q.Bit(0))))
	if t.Cmp(y) > 0 {
		r.Sub(r, y)
		q.Add(q, bigOne)
	}
	if q.Cmp(pow10(c.prec)) >= 0 {
		return c.signal(th, "DivisionImpossible", false)
	}
	neg := a.neg
	if r.Sign() < 0 {
		neg = !neg
		r.Neg(r)
	}
	return c.fix(th, dFin(neg, r, ideal))
}

func (c *context) quantize(th *interp.Thread, a, e *dnum, mode string) *dnum {
	if a.special() || e.special() {
		if r := c.checkNaNs(th, a, e); r != nil {
			return r
		}
		if a.kind == dInf && e.kind == dInf {
			return a
		}
		return c.signal(th, "InvalidOperation", false)
	}
	if e.exp < c.etiny() || e.exp > c.emax {
		return c.signal(th, "InvalidOperation", false)
	}
	if a.isZero() {
		return c.fix(th, dFin(a.neg, bigZero, e.exp))
	}
	adj := a.adjusted()
	if adj > c.emax || adj-e.exp+1 > c.prec {
		return c.signal(th, "InvalidOperation", false)
	}
	ans, changed := a.rescale(e.exp, mode)
	if ans.adjusted() > c.emax || ndig(ans.coef) > c.prec {
		return c.signal(th, "InvalidOperation", false)
	}
	if !ans.isZero() && ans.adjusted() < c.emin {
		c.signal(th, "Subnormal", false)
	}
	if ans.exp > a.exp {
		if changed {
			c.signal(th, "Inexact", false)
		}
		c.signal(th, "Rounded", false)
	}
	return c.fix(th, ans)
}

func (c *context) sqrt(th *interp.Thread, a *dnum) *dnum {
	if a.special() {
		if r := c.checkNaNs(th, a, nil); r != nil {
			return r
		}
		if !a.neg {
			return a
		}
	}
	if a.isZero() {
		e := a.exp
		h := e / 2
		if e < 0 && e%2 != 0 {
			h-- // floor division
		}
		return c.fix(th, dFin(a.neg, bigZero, h))
	}
	if a.neg {
		return c.signal(th, "InvalidOperation", false)
	}
	prec := c.prec + 1
	e := a.exp >> 1
	var cc *big.Int
	var l int64
	if a.exp&1 != 0 {
		cc = new(big.Int).Mul(a.coef, bigTen)
		l = ndig(a.coef)>>1 + 1
	} else {
		cc = new(big.Int).Set(a.coef)
		l = (ndig(a.coef) + 1) >> 1
	}
	shift := prec - l
	exact := true
	if shift >= 0 {
		cc.Mul(cc, pow10(2*shift))
	} else {
		r := new(big.Int)
		cc.QuoRem(cc, pow10(-2*shift), r)
		exact = r.Sign() == 0
	}
	e -= shift
	n := new(big.Int).Sqrt(cc)
	exact = exact && new(big.Int).Mul(n, n).Cmp(cc) == 0
	if exact {
		if shift >= 0 {
			n.Quo(n, pow10(shift))
		} else {
			n.Mul(n, pow10(-shift))
		}
		e += shift
	} else if new(big.Int).Rem(n, big.NewInt(5)).Sign() == 0 {
		n.Add(n, bigOne)
	}
	cx := c.copy()
	cx.rounding = rHalfEven
	ans := cx.fix(th, dFin(false, n, e))
	for k, v := range cx.flags {
		c.flags[k] = c.flags[k] || v
	}
	return ans
}

// pow is x ** y for an integral y (others are computed in float64 precision
// bounds by powFrac).
func (c *context) pow(th *interp.Thread, a, b *dnum) *dnum {
	if r := c.checkNaNs(th, a, b); r != nil {
		return r
	}
	if b.isZero() {
		if a.isZero() {
			return c.signal(th, "InvalidOperation", false)
		}
		return dInt(1)
	}
	neg := false
	if a.neg {
		if b.isInteger() {
			neg = truncate(b).Bit(0) == 1
		} else if !a.isZero() {
			return c.signal(th, "InvalidOperation", false)
		}
		a = a.abs()
	}
	if a.isZero() {
		if !b.neg {
			return dFin(neg, bigZero, 0)
		}
		return dInfinity(neg)
	}
	if a.kind == dInf {
		if !b.neg {
			return dInfinity(neg)
		}
		return dFin(neg, bigZero, 0)
	}
	if b.kind == dInf {
		if !b.neg == (a.adjusted() < 0) {
			return dFin(neg, bigZero, 0)
		}
		return dInfinity(neg)
	}
	if !b.isInteger() {
		return c.powFrac(th, a, b, neg)
	}
	n := truncate(b.abs())
	if !n.IsInt64() {
		return c.powFrac(th, a, b, neg)
	}
	return c.powInt(th, a, b, n.Uint64(), neg)
}

// powInt is libmpdec's integer power: square-and-multiply at a working
// precision of prec + digits(y) + exp(y) + 2 (one more, on 1/x, for y < 0),
// rounding half-even, then one final rounding in the context.
func (c *context) powInt(th *interp.Thread, a, b *dnum, k uint64, neg bool) *dnum {
	w := &context{prec: c.prec + ndig(b.coef) + b.exp + 2, rounding: rHalfEven, emin: c.emin, emax: c.emax,
		flags: map[string]bool{}, traps: map[string]bool{}}
	base := a
	if b.neg {
		w.prec++
		base = w.div(th, dInt(1), a)
	}
	r := base
	bit := uint64(1) << (63 - uint(bits.LeadingZeros64(k)))
	for bit >>= 1; bit != 0; bit >>= 1 {
		r = w.mul(th, r, r)
		if k&bit != 0 {
			r = w.mul(th, r, base)
		}
		if r.special() || r.isZero() && w.flags["Clamped"] {
			break
		}
	}
	for f := range w.flags {
		if f != "Overflow" && f != "Clamped" {
			c.flags[f] = true
		}
	}
	r = &dnum{neg: neg, kind: r.kind, coef: r.coef, exp: r.exp}
	if r.kind == dInf {
		return c.overflow(th, neg)
	}
	return c.fix(th, r)
}

// powFrac computes a ** b (a > 0) through logarithms at high precision.
func (c *context) powFrac(th *interp.Thread, a, b *dnum, neg bool) *dnum {
	// Results far outside the exponent range overflow or underflow directly.
	lg := float64(a.adjusted()) + math.Log10(mantissa(a))
	yv, _ := toBigFloat(b, 64).Float64()
	if est := lg * yv; !math.IsNaN(est) {
		if est > float64(c.emax)+2 {
			return c.overflow(th, neg)
		}
		if est < float64(c.etiny())-2 {
			return c.fix(th, dFin(neg, bigOne, c.etiny()-1))
		}
	}
	bits := uint(c.prec*4 + 128)
	x := toBigFloat(a, bits)
	y := toBigFloat(b, bits)
	l := bigLn(x, bits)
	d := bigExpToDec(new(big.Float).SetPrec(bits).Mul(y, l), bits, c.prec+10)
	d.neg = neg
	c.signal(th, "Inexact", false)
	c.signal(th, "Rounded", false)
	return c.fix(th, d)
}

// bigExpToDec is e**z rounded to digits significant decimal digits, computed
// as 10**frac(z/ln 10) scaled by a power of ten so that huge or tiny results
// never materialize as binary floats.
func bigExpToDec(z *big.Float, bits uint, digits int64) *dnum {
	wp := bits + 64 + uint(z.MantExp(nil)+2)
	if z.MantExp(nil) < 0 {
		wp = bits + 64
	}
	ln10 := bigLn(new(big.Float).SetPrec(wp).SetInt64(10), wp)
	l := new(big.Float).SetPrec(wp).Quo(new(big.Float).SetPrec(wp).Set(z), ln10)
	e, _ := l.Int(nil) // truncated toward zero
	ef := new(big.Float).SetPrec(wp).SetInt(e)
	if ef.Cmp(l) > 0 {
		e.Sub(e, bigOne)
		ef.SetInt(e)
	}
	frac := new(big.Float).SetPrec(wp).Sub(l, ef)
	m := bigExp(frac.Mul(frac, ln10), wp) // in [1, 10)
	m.Mul(m, new(big.Float).SetPrec(wp).SetInt(pow10(digits-1)))
	m.Add(m, big.NewFloat(0.5))
	coef, _ := m.Int(nil)
	return dFin(false, coef, e.Int64()-(digits-1))
}

func toBigFloat(x *dnum, bits uint) *big.Float {
	f := new(big.Float).SetPrec(bits).SetInt(x.coef)
	if x.exp > 0 {
		f.Mul(f, new(big.Float).SetPrec(bits).SetInt(pow10(x.exp)))
	} else if x.exp < 0 {
		f.Quo(f, new(big.Float).SetPrec(bits).SetInt(pow10(-x.exp)))
	}
	if x.neg {
		f.Neg(f)
	}
	return f
}

// fromBigFloat rounds f to digits significant digits.
func fromBigFloat(f *big.Float, digits int64) *dnum {
	neg := f.Sign() < 0
	s := new(big.Float).Abs(f).Text('e', int(digits-1))
	d, _ := parse(s)
	d.neg = neg
	return d
}

// bigExp is e**x by argument halving and Taylor series.
func bigExp(x *big.Float, bits uint) *big.Float {
	wp := bits + 64
	z := new(big.Float).SetPrec(wp).Set(x)
	k := 0
	lim := new(big.Float).SetFloat64(0.001)
	for new(big.Float).Abs(z).Cmp(lim) > 0 {
		z.Quo(z, big.NewFloat(2).SetPrec(wp))
		k++
	}
	sum := new(big.Float).SetPrec(wp).SetInt64(1)
	term := new(big.Float).SetPrec(wp).SetInt64(1)
	eps := new(big.Float).SetPrec(wp).SetMantExp(big.NewFloat(1), -int(wp))
	for i := int64(1); i < 10000; i++ {
		term.Mul(term, z)
		term.Quo(term, new(big.Float).SetPrec(wp).SetInt64(i))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum.SetPrec(bits)
}

// bigLn is ln(x) for x > 0 by Newton's iteration on exp.
func bigLn(x *big.Float, bits uint) *big.Float {
	wp := bits + 64
	// ln(x) = ln(m) + e*ln2 with m in [0.5, 1).
	m := new(big.Float).SetPrec(wp)
	e := x.MantExp(m)
	mf, _ := m.Float64()
	y := new(big.Float).SetPrec(wp).SetFloat64(lnApprox(mf))
	for i := 0; i < 200; i++ {
		ey := bigExp(y, wp)
		// y += 2*(m - e^y)/(m + e^y)
		num := new(big.Float).SetPrec(wp).Sub(m, ey)
		den := new(big.Float).SetPrec(wp).Add(m, ey)
		d := num.Quo(num, den)
		d.Mul(d, big.NewFloat(2))
		y.Add(y, d)
		if d.Sign() == 0 || d.MantExp(nil)-y.MantExp(nil) < -int(wp)+4 {
			break
		}
	}
	if e != 0 {
		ln2 := bigLn2(wp)
		y.Add(y, new(big.Float).SetPrec(wp).Mul(ln2, new(big.Float).SetInt64(int64(e))))
	}
	return y.SetPrec(bits)
}

// lnApprox seeds the Newton iteration.
func lnApprox(f float64) float64 { return math.Log(f) }

// bigLn2 computes ln 2 = sum 1/(k 2^k).
func bigLn2(wp uint) *big.Float {
	sum := new(big.Float).SetPrec(wp)
	p := new(big.Float).SetPrec(wp).SetInt64(1)
	eps := new(big.Float).SetPrec(wp).SetMantExp(big.NewFloat(1), -int(wp)-4)
	for k := int64(1); k < 100000; k++ {
		p.Quo(p, big.NewFloat(2))
		t := new(big.Float).SetPrec(wp).Quo(p, new(big.Float).SetInt64(k))
		sum.Add(sum, t)
		if t.Cmp(eps) < 0 {
			break
		}
	}
	return sum
}

// mantissa is the coefficient of a finite nonzero x scaled into [1, 10).
func mantissa(x *dnum) float64 {
	s := x.coef.String()
	if len(s) > 17 {
		s = s[:17]
	}
	f, _ := strconv.ParseFloat(s[:1]+"."+s[1:], 64)
	return f
}

// alignedQuoRem divides a's coefficient by b's after bringing both to the
// smaller exponent: the integer quotient and remainder of a / b at that scale,
// and the divisor at that scale.
func alignedQuoRem(a, b *dnum) (q, r, y *big.Int) {
	x, y := a.coef, b.coef
	if a.exp >= b.exp {
		x = new(big.Int).Mul(x, pow10(a.exp-b.exp))
	} else {
		y = new(big.Int).Mul(y, pow10(b.exp-a.exp))
	}
	q, r = new(big.Int).QuoRem(x, y, new(big.Int))
	return q, r, y
}
