package decimal

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal arithmetic (the decimal module's numeric core), following the General
// Decimal Arithmetic specification as CPython's _pydecimal implements it.

type numberKind uint8

const (
	dFinite numberKind = iota
	dInf
	dNaN
	dSNaN
)

// dnum is a decimal number: (-1)**neg * coef * 10**exp when finite; for NaNs
// coef is the diagnostic payload.
type dnum struct {
	neg  bool
	kind numberKind
	coef *big.Int
	exp  int64
}

const (
	rHalfEven = "ROUND_HALF_EVEN"
	rHalfUp   = "ROUND_HALF_UP"
	rHalfDown = "ROUND_HALF_DOWN"
	rUp       = "ROUND_UP"
	rDown     = "ROUND_DOWN"
	rCeiling  = "ROUND_CEILING"
	rFloor    = "ROUND_FLOOR"
	r05Up     = "ROUND_05UP"
)

var roundings = []string{rCeiling, rDown, rFloor, rHalfDown, rHalfEven, rHalfUp, rUp, r05Up}

var bigZero, bigOne, bigTen = big.NewInt(0), big.NewInt(1), big.NewInt(10)

var pow10Cache [64]*big.Int

func init() {
	p := big.NewInt(1)
	for i := range pow10Cache {
		pow10Cache[i] = new(big.Int).Set(p)
		p.Mul(p, bigTen)
	}
}

func pow10(n int64) *big.Int {
	if n < int64(len(pow10Cache)) {
		return pow10Cache[n]
	}
	return new(big.Int).Exp(bigTen, big.NewInt(n), nil)
}

// ndig is the number of decimal digits of c (1 for zero).
func ndig(c *big.Int) int64 {
	if c.IsInt64() {
		v := c.Int64()
		if v < 0 {
			v = -v
		}
		n := int64(1)
		for v >= 10 {
			v /= 10
			n++
		}
		return n
	}
	// Estimate from the bit length, then correct.
	n := int64(float64(c.BitLen()-1)*0.30102999566398120) + 1
	a := new(big.Int).Abs(c)
	for a.Cmp(pow10(n)) >= 0 {
		n++
	}
	for n > 1 && a.Cmp(pow10(n-1)) < 0 {
		n--
	}
	return n
}

func dFin(neg bool, coef *big.Int, exp int64) *dnum {
	return &dnum{neg: neg, coef: coef, exp: exp}
}

func dInt(n int64) *dnum {
	return dFin(n < 0, new(big.Int).Abs(big.NewInt(n)), 0)
}

func dInfinity(neg bool) *dnum { return &dnum{neg: neg, kind: dInf, coef: bigZero} }

func dNaNv() *dnum { return &dnum{kind: dNaN, coef: bigZero} }

func (x *dnum) special() bool { return x.kind != dFinite }

func (x *dnum) isNaN() bool { return x.kind == dNaN || x.kind == dSNaN }

func (x *dnum) isZero() bool { return x.kind == dFinite && x.coef.Sign() == 0 }

func (x *dnum) adjusted() int64 {
	if x.kind != dFinite {
		return 0
	}
	return x.exp + ndig(x.coef) - 1
}

func (x *dnum) isInteger() bool {
	if x.kind != dFinite {
		return false
	}
	if x.exp >= 0 || x.coef.Sign() == 0 {
		return true
	}
	if -x.exp > ndig(x.coef) {
		return false
	}
	return new(big.Int).Rem(x.coef, pow10(-x.exp)).Sign() == 0
}

func (x *dnum) negate() *dnum { y := *x; y.neg = !y.neg; return &y }

func (x *dnum) abs() *dnum { y := *x; y.neg = false; return &y }

// roundCoef drops the last drop digits of c (drop ≥ 1) by rounding mode; it
// returns the new coefficient and whether anything nonzero was dropped.
func roundCoef(c *big.Int, drop int64, neg bool, mode string) (*big.Int, bool) {
	p := pow10(drop)
	q, r := new(big.Int).QuoRem(c, p, new(big.Int))
	if r.Sign() == 0 {
		return q, false
	}
	up := false
	switch mode {
	case rUp:
		up = true
	case rDown:
	case rCeiling:
		up = !neg
	case rFloor:
		up = neg
	case r05Up:
		d := new(big.Int).Rem(q, bigTen).Int64()
		up = d == 0 || d == 5
	default:
		cmp := new(big.Int).Lsh(r, 1).Cmp(p)
		switch mode {
		case rHalfUp:
			up = cmp >= 0
		case rHalfDown:
			up = cmp > 0
		default:
			up = cmp > 0 || cmp == 0 && q.Bit(0) == 1
		}
	}
	if up {
		q.Add(q, bigOne)
	}
	return q, true
}

// rescale gives x with exponent exp, rounding if digits are lost (no context).
func (x *dnum) rescale(exp int64, mode string) (*dnum, bool) {
	if x.kind != dFinite {
		return x, false
	}
	if x.coef.Sign() == 0 {
		return dFin(x.neg, bigZero, exp), false
	}
	if x.exp >= exp {
		return dFin(x.neg, new(big.Int).Mul(x.coef, pow10(x.exp-exp)), exp), false
	}
	c, e := x.coef, x.exp
	if ndig(c)+e-exp < 0 {
		c, e = bigOne, exp-1
	}
	q, changed := roundCoef(c, exp-e, x.neg, mode)
	return dFin(x.neg, q, exp), changed
}

// roundPlaces rounds x to places significant digits.
func (x *dnum) roundPlaces(places int64, mode string) *dnum {
	if x.kind != dFinite || x.coef.Sign() == 0 {
		return x
	}
	ans, _ := x.rescale(x.adjusted()+1-places, mode)
	if ans.adjusted() != x.adjusted() {
		ans, _ = ans.rescale(ans.adjusted()+1-places, mode)
	}
	return ans
}

// cmp compares two non-NaN numbers.
func dCmp(a, b *dnum) int {
	if a.kind == dInf || b.kind == dInf {
		ia, ib := 0, 0
		if a.kind == dInf {
			ia = 1
			if a.neg {
				ia = -1
			}
		}
		if b.kind == dInf {
			ib = 1
			if b.neg {
				ib = -1
			}
		}
		switch {
		case ia == ib:
			return 0
		case ia < ib:
			return -1
		}
		return 1
	}
	az, bz := a.coef.Sign() == 0, b.coef.Sign() == 0
	if az || bz {
		switch {
		case az && bz:
			return 0
		case az:
			if b.neg {
				return 1
			}
			return -1
		default:
			if a.neg {
				return -1
			}
			return 1
		}
	}
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	s := 1
	if a.neg {
		s = -1
	}
	aa, ba := a.adjusted(), b.adjusted()
	if aa != ba {
		if aa > ba {
			return s
		}
		return -s
	}
	ca, cb := a.coef, b.coef
	if a.exp > b.exp {
		ca = new(big.Int).Mul(ca, pow10(a.exp-b.exp))
	} else if b.exp > a.exp {
		cb = new(big.Int).Mul(cb, pow10(b.exp-a.exp))
	}
	return s * ca.Cmp(cb)
}

// fromFloat converts a float exactly.
func fromFloat(f float64) *dnum {
	switch {
	case math.IsNaN(f):
		return dNaNv()
	case math.IsInf(f, 0):
		return dInfinity(f < 0)
	}
	neg := math.Signbit(f)
	f = math.Abs(f)
	if f == 0 {
		return dFin(neg, bigZero, 0)
	}
	r := new(big.Rat).SetFloat64(f)
	n, d := r.Num(), r.Denom()
	k := int64(d.BitLen() - 1)
	c := new(big.Int).Mul(n, new(big.Int).Exp(big.NewInt(5), big.NewInt(k), nil))
	return dFin(neg, c, -k)
}

// parse parses a decimal string; ok false on a syntax error.
func parse(s string) (*dnum, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "_") {
		if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
			return nil, false
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	low := strings.ToLower(s)
	switch low {
	case "inf", "infinity":
		return dInfinity(neg), true
	}
	if strings.HasPrefix(low, "nan") || strings.HasPrefix(low, "snan") {
		kind := dNaN
		rest := low[3:]
		if low[0] == 's' {
			kind, rest = dSNaN, low[4:]
		}
		payload := bigZero
		if rest != "" {
			for _, ch := range rest {
				if ch < '0' || ch > '9' {
					return nil, false
				}
			}
			payload, _ = new(big.Int).SetString(rest, 10)
		}
		return &dnum{neg: neg, kind: kind, coef: payload}, true
	}
	mant, expPart := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, expPart = s[:i], s[i+1:]
		if expPart == "" {
			return nil, false
		}
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" {
		return nil, false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return nil, false
			}
		}
	}
	var exp int64
	if expPart != "" {
		t := expPart
		if t[0] == '+' || t[0] == '-' {
			t = t[1:]
		}
		if t == "" {
			return nil, false
		}
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return nil, false
			}
		}
		e, err := strconv.ParseInt(expPart, 10, 64)
		if err != nil {
			return nil, false
		}
		exp = e
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	c := new(big.Int)
	if digits != "" {
		c.SetString(digits, 10)
	}
	return dFin(neg, c, exp-int64(len(frac))), true
}

// stringOf is Decimal.__str__ (eng selects to_eng_string).
func stringOf(x *dnum, eng bool, capitals bool) string {
	sign := ""
	if x.neg {
		sign = "-"
	}
	switch x.kind {
	case dInf:
		return sign + "Infinity"
	case dNaN, dSNaN:
		p := ""
		if x.coef.Sign() != 0 {
			p = x.coef.String()
		}
		if x.kind == dSNaN {
			return sign + "sNaN" + p
		}
		return sign + "NaN" + p
	}
	digits := x.coef.String()
	n := int64(len(digits))
	left := x.exp + n
	var dot int64
	switch {
	case x.exp <= 0 && left > -6:
		dot = left
	case !eng:
		dot = 1
	case x.coef.Sign() == 0:
		dot = (left+1)%3 - 1
		if dot < -1 {
			dot += 3
		}
	default:
		dot = (left-1)%3 + 1
		if dot <= 0 {
			dot += 3
		}
	}
	var ip, fp string
	switch {
	case dot <= 0:
		ip, fp = "0", "."+strings.Repeat("0", int(-dot))+digits
	case dot >= n:
		ip = digits + strings.Repeat("0", int(dot-n))
	default:
		ip, fp = digits[:dot], "."+digits[dot:]
	}
	e := ""
	if left != dot {
		ec := "e"
		if capitals {
			ec = "E"
		}
		d := left - dot
		if d >= 0 {
			e = ec + "+" + strconv.FormatInt(d, 10)
		} else {
			e = ec + strconv.FormatInt(d, 10)
		}
	}
	return sign + ip + fp + e
}

// truncate is the integer part of a finite x.
func truncate(x *dnum) *big.Int {
	var r *big.Int
	if x.exp >= 0 {
		r = new(big.Int).Mul(x.coef, pow10(x.exp))
	} else if -x.exp > ndig(x.coef) {
		r = new(big.Int)
	} else {
		r = new(big.Int).Quo(x.coef, pow10(-x.exp))
	}
	if x.neg {
		r.Neg(r)
	}
	return r
}

// hashOf is CPython's hash of a finite Decimal (consistent with int/float).
func hashOf(x *dnum) int64 {
	const mod = (1 << 61) - 1
	m := big.NewInt(mod)
	var eh *big.Int
	if x.exp >= 0 {
		eh = new(big.Int).Exp(bigTen, big.NewInt(x.exp), m)
	} else {
		inv := new(big.Int).Exp(bigTen, big.NewInt(mod-2), m)
		eh = new(big.Int).Exp(inv, big.NewInt(-x.exp), m)
	}
	h := new(big.Int).Mul(x.coef, eh)
	h.Mod(h, m)
	v := h.Int64()
	if x.neg {
		v = -v
	}
	if v == -1 {
		v = -2
	}
	return v
}
