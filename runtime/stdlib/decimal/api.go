package decimal

import (
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
)

// What other modules (statistics) need of Decimals, as Go values.

// Rat is the exact value of the Decimal v: r is nil for a NaN or an infinity;
// ok is false when v is not a Decimal.
func Rat(v interp.Value) (r *big.Rat, ok bool) {
	d, ok := decimalOf(v)
	if !ok || d.kind != dFinite {
		return nil, ok
	}
	r = finiteRat(d)
	if d.neg {
		r.Neg(r)
	}
	return r, true
}

// finiteRat is |d| for a finite d.
func finiteRat(d *dnum) *big.Rat {
	r := new(big.Rat).SetInt(d.coef)
	if d.exp >= 0 {
		return r.Mul(r, new(big.Rat).SetInt(pow10(d.exp)))
	}
	return r.Quo(r, new(big.Rat).SetInt(pow10(-d.exp)))
}

// FromRat is the Decimal r rounded in the current context (statistics'
// _convert: Decimal(numerator) / Decimal(denominator)).
func FromRat(th *interp.Thread, r *big.Rat) interp.Value {
	n, d := r.Num(), r.Denom()
	c := currentContext(th)
	return newDecimal(c.div(th, dFin(n.Sign() < 0, new(big.Int).Abs(n), 0), dFin(false, new(big.Int).Set(d), 0)))
}

// Float is float(v) for a Decimal v; ok is false when v is not a Decimal.
func Float(th *interp.Thread, v interp.Value) (f float64, ok bool) {
	d, ok := decimalOf(v)
	if !ok {
		return 0, false
	}
	return toFloat(th, d), true
}

// SqrtOfFraction is statistics._decimal_sqrt_of_frac: sqrt(n/m) as a Decimal
// correctly rounded in the current context.
func SqrtOfFraction(th *interp.Thread, n, m *big.Int) interp.Value {
	c := currentContext(th)
	if n.Sign() <= 0 {
		if n.Sign() == 0 {
			return newDecimal(dFin(false, bigZero, -1))
		}
		n, m = new(big.Int).Neg(n), new(big.Int).Neg(m)
	}
	root := c.sqrt(th, c.div(th, dFin(false, n, 0), dFin(false, m, 0)))
	ratio := func(x *dnum) (*big.Int, *big.Int) {
		r := finiteRat(x)
		return r.Num(), r.Denom()
	}
	sq := func(x *big.Int) *big.Int { return new(big.Int).Mul(x, x) }
	mul := func(xs ...*big.Int) *big.Int {
		p := big.NewInt(1)
		for _, x := range xs {
			p = new(big.Int).Mul(p, x)
		}
		return p
	}
	nr, dr := ratio(root)
	plus := c.nextPlus(th, root)
	np, dp := ratio(plus)
	if mul(big.NewInt(4), n, sq(mul(dr, dp))).Cmp(mul(m, sq(new(big.Int).Add(mul(dr, np), mul(dp, nr))))) > 0 {
		return newDecimal(plus)
	}
	minus := c.nextMinus(th, root)
	nm, dm := ratio(minus)
	if mul(big.NewInt(4), n, sq(mul(dr, dm))).Cmp(mul(m, sq(new(big.Int).Add(mul(dr, nm), mul(dm, nr))))) < 0 {
		return newDecimal(minus)
	}
	return newDecimal(root)
}
