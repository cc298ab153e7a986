// Package libm computes the elementary functions correctly rounded, as far as
// double-double arithmetic (about 104 bits) allows: the result is the float64
// nearest the exact value except in astronomically rare cases.
//
// Why: CPython's math module calls the C library, whose exp, log, pow, sin and
// cos are within about 0.52 ULP of the exact value, so they almost always
// return the correctly rounded result. Go's math package is accurate to about
// 1 ULP and differs from them in the last digit for a few percent of inputs
// (log10 and cos for up to a quarter), which shows when a Jac program prints
// a float. Arguments outside the ranges handled here fall back to Go's math.
package libm

import "math"

// dd is a double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) (float64, float64) {
	s := a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func quickTwoSum(a, b float64) (float64, float64) {
	s := a + b
	return s, b - (s - a)
}

func twoProd(a, b float64) (float64, float64) {
	p := a * b
	return p, math.FMA(a, b, -p)
}

func add(a, b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	t, f := twoSum(a.lo, b.lo)
	e += t
	s, e = quickTwoSum(s, e)
	e += f
	s, e = quickTwoSum(s, e)
	return dd{s, e}
}

func neg(a dd) dd             { return dd{-a.hi, -a.lo} }
func sub(a, b dd) dd          { return add(a, neg(b)) }
func addF(a dd, b float64) dd { return add(a, dd{b, 0}) }

func mul(a, b dd) dd {
	p, e := twoProd(a.hi, b.hi)
	e += a.hi*b.lo + a.lo*b.hi
	p, e = quickTwoSum(p, e)
	return dd{p, e}
}

func mulF(a dd, b float64) dd {
	p, e := twoProd(a.hi, b)
	e += a.lo * b
	p, e = quickTwoSum(p, e)
	return dd{p, e}
}

// divF is a / b for a float64 b (exact coefficients such as n!).
func divF(a dd, b float64) dd {
	q := a.hi / b
	p, e := twoProd(q, b)
	r := (a.hi - p - e + a.lo) / b
	q, r = quickTwoSum(q, r)
	return dd{q, r}
}

func div(a, b dd) dd {
	q1 := a.hi / b.hi
	r := sub(a, mulF(b, q1))
	q2 := r.hi / b.hi
	r = sub(r, mulF(b, q2))
	q3 := r.hi / b.hi
	q1, q2 = quickTwoSum(q1, q2)
	return add(dd{q1, q2}, dd{q3, 0})
}

func sqrtDD(a dd) dd {
	if a.hi <= 0 {
		return dd{}
	}
	s := math.Sqrt(a.hi)
	// one Newton step: s + (a - s²) / 2s
	p, e := twoProd(s, s)
	r := sub(a, dd{p, e})
	return add(dd{s, 0}, dd{r.hi / (2 * s), 0})
}

// round is the float64 nearest hi + lo.
func (a dd) round() float64 { return a.hi + a.lo }

var (
	ln2    = dd{0.6931471805599453, 2.3190468138462996e-17}
	ln2lo2 = 5.707708438416212e-34
	invLn2 = dd{1.4426950408889634, 2.0355273740931033e-17}
	pi     = dd{3.141592653589793, 1.2246467991473532e-16}
	pio2   = [4]float64{1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33, 5.562271104316826e-50}
)

// expDD is e**x for |x| <= 709 as a double-double.
func expDD(x dd) dd {
	k := math.Round(x.hi / ln2.hi)
	r := sub(x, mulF(ln2, k))
	r = addF(r, -k*ln2lo2)
	// e**r = (e**(r/256))**256; the Taylor series of e**(r/256) converges fast
	const squarings = 8
	r = mulF(r, 1.0/(1<<squarings))
	sum := dd{1, 0}
	term := dd{1, 0}
	for n := 1; n <= 14; n++ {
		term = divF(mul(term, r), float64(n))
		sum = add(sum, term)
		if math.Abs(term.hi) < 1e-36 {
			break
		}
	}
	for range squarings {
		sum = mul(sum, sum)
	}
	return dd{math.Ldexp(sum.hi, int(k)), math.Ldexp(sum.lo, int(k))}
}

// logDD is the natural logarithm of x > 0 (finite, normal) as a double-double:
// Go's estimate refined by one Newton step on e**y = x.
func logDD(x float64) dd {
	y := math.Log(x)
	e := expDD(dd{y, 0})
	// y + (x - e)/e
	t := div(sub(dd{x, 0}, e), e)
	return add(dd{y, 0}, t)
}

// Exp is e**x.
func Exp(x float64) float64 {
	if math.IsNaN(x) || x > 709 || x < -708 {
		return math.Exp(x)
	}
	return expDD(dd{x, 0}).round()
}

// normal reports whether x is finite, positive and not subnormal.
func normal(x float64) bool { return x >= 0x1p-1022 && x <= math.MaxFloat64 }

// Log is the natural logarithm.
func Log(x float64) float64 {
	if !normal(x) {
		return math.Log(x)
	}
	if x == 1 {
		return 0
	}
	return logDD(x).round()
}

// Log10 is the base-10 logarithm, computed as glibc computes it (from a
// logarithm of the mantissa), so that it matches CPython's math.log10.
func Log10(x float64) float64 {
	if !normal(x) {
		return math.Log10(x)
	}
	const (
		ivln10   = 4.34294481903251816668e-01
		log102hi = 3.01029995663611771306e-01
		log102lo = 3.69423907715893078616e-13
	)
	bits := math.Float64bits(x)
	k := int(bits>>52) - 1023
	i := 0
	if k < 0 {
		i = 1
	}
	m := math.Float64frombits(bits&(1<<52-1) | uint64(0x3ff-i)<<52)
	y := float64(k + i)
	z := y*log102lo + ivln10*Log(m)
	return z + y*log102hi
}

// Log2 is the base-2 logarithm.
func Log2(x float64) float64 {
	if !normal(x) {
		return math.Log2(x)
	}
	if frac, exp := math.Frexp(x); frac == 0.5 {
		return float64(exp - 1)
	}
	return mul(logDD(x), invLn2).round()
}

// LogDD is the natural logarithm as hi + lo, for log(x, base) = log(x)/log(base)
// computed without an intermediate rounding. ok is false outside its range.
func LogDD(x float64) (hi, lo float64, ok bool) {
	if !normal(x) {
		return 0, 0, false
	}
	if x == 1 {
		return 0, 0, true
	}
	r := logDD(x)
	return r.hi, r.lo, true
}

// DivDD is (ahi+alo) / (bhi+blo) rounded.
func DivDD(ahi, alo, bhi, blo float64) float64 { return div(dd{ahi, alo}, dd{bhi, blo}).round() }

// Pow is x**y for finite x > 0 (and negative x with integral y); other
// cases are Go's math.Pow, which follows C99 like the C library.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case y == 2:
		return x * x // one rounding: correctly rounded
	case y == -1:
		return 1 / x
	case y == 0.5 && x > 0 && x <= math.MaxFloat64:
		return math.Sqrt(x)
	}
	sign := 1.0
	ax := x
	if x < 0 {
		if y != math.Trunc(y) {
			return math.Pow(x, y)
		}
		ax = -x
		if math.Mod(y, 2) != 0 {
			sign = -1
		}
	}
	if !normal(ax) || math.IsInf(y, 0) || math.IsNaN(y) {
		return math.Pow(x, y)
	}
	l := mulF(logDD(ax), y)
	if l.hi > 709 || l.hi < -708 {
		return math.Pow(x, y)
	}
	return sign * expDD(l).round()
}

// reduce returns r = x - k·π/2 (|r| <= π/4) and k mod 4, for |x| < 2**20.
func reduce(x float64) (dd, int) {
	k := math.Round(x / pio2[0])
	r := sub(dd{x, 0}, mulF(dd{pio2[0], pio2[1]}, k))
	r = add(r, dd{-k * pio2[2], -k * pio2[3]})
	return r, int(math.Mod(k, 4)+4) % 4
}

// sincos of |r| <= π/4 by their Taylor series.
func sincos(r dd) (s, c dd) {
	r2 := mul(r, r)
	s, c = r, dd{1, 0}
	ts, tc := r, dd{1, 0}
	for n := 1; n <= 16; n++ {
		ts = divF(mul(ts, r2), -float64((2*n)*(2*n+1)))
		tc = divF(mul(tc, r2), -float64((2*n-1)*(2*n)))
		s = add(s, ts)
		c = add(c, tc)
		if math.Abs(tc.hi) < 1e-36 {
			break
		}
	}
	return s, c
}

// sincosDD is (sin x, cos x) as double-doubles; ok is false when |x| is too
// large for the reduction used here.
func sincosDD(x float64) (s, c dd, ok bool) {
	if math.IsNaN(x) || math.Abs(x) >= 1<<20 {
		return dd{}, dd{}, false
	}
	r, q := reduce(x)
	s, c = sincos(r)
	switch q {
	case 1:
		s, c = c, neg(s)
	case 2:
		s, c = neg(s), neg(c)
	case 3:
		s, c = neg(c), s
	}
	return s, c, true
}

// Sin is the sine of x (radians).
func Sin(x float64) float64 {
	if x == 0 {
		return x
	}
	s, _, ok := sincosDD(x)
	if !ok {
		return math.Sin(x)
	}
	return s.round()
}

// Cos is the cosine of x (radians).
func Cos(x float64) float64 {
	_, c, ok := sincosDD(x)
	if !ok {
		return math.Cos(x)
	}
	return c.round()
}

// Tan is the tangent of x (radians).
func Tan(x float64) float64 {
	if x == 0 {
		return x
	}
	s, c, ok := sincosDD(x)
	if !ok {
		return math.Tan(x)
	}
	return div(s, c).round()
}

// atanDD refines Go's atan(q) by a Newton step on tan y = q.
func atanDD(q dd) dd {
	y := math.Atan(q.hi)
	s, c, ok := sincosDD(y)
	if !ok {
		return dd{y, 0}
	}
	// y + c·(q·c - s)
	return add(dd{y, 0}, mul(c, sub(mul(q, c), s)))
}

// Atan is the arctangent.
func Atan(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e300 || math.Abs(x) < 1e-300 {
		return math.Atan(x)
	}
	return atanDD(dd{x, 0}).round()
}

// Atan2 is the angle of (x, y).
func Atan2(y, x float64) float64 {
	if y == 0 || x == 0 || math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Atan2(y, x)
	}
	ay, ax := math.Abs(y), math.Abs(x)
	if ay/ax > 1e300 || ay/ax < 1e-300 {
		return math.Atan2(y, x)
	}
	var a dd
	if ay <= ax {
		a = atanDD(div(dd{ay, 0}, dd{ax, 0}))
	} else {
		a = sub(mulF(pi, 0.5), atanDD(div(dd{ax, 0}, dd{ay, 0})))
	}
	if x < 0 {
		a = sub(pi, a)
	}
	if y < 0 {
		a = neg(a)
	}
	return a.round()
}

// Asin is the arcsine.
func Asin(x float64) float64 {
	if math.IsNaN(x) || math.Abs(x) >= 1 || math.Abs(x) < 1e-150 {
		return math.Asin(x)
	}
	// atan(x / sqrt(1 - x²))
	c := sqrtDD(sub(dd{1, 0}, mul(dd{x, 0}, dd{x, 0})))
	return atanDD(div(dd{x, 0}, c)).round()
}

// Acos is the arccosine.
func Acos(x float64) float64 {
	if math.IsNaN(x) || math.Abs(x) >= 1 {
		return math.Acos(x)
	}
	if x == 0 {
		return mulF(pi, 0.5).round()
	}
	s := sqrtDD(sub(dd{1, 0}, mul(dd{x, 0}, dd{x, 0})))
	a := atanDD(div(s, dd{math.Abs(x), 0}))
	if x < 0 {
		a = sub(pi, a)
	}
	return a.round()
}

// Sinh, Cosh and Tanh follow glibc's formulas (fdlibm's) over exp and expm1,
// so that they match CPython's results; they are not correctly rounded. Go's
// math.Expm1 is the same fdlibm algorithm as glibc's expm1.

// Sinh is the hyperbolic sine.
func Sinh(x float64) float64 {
	ax := math.Abs(x)
	if math.IsNaN(x) || ax < 0x1p-28 || ax >= 709.78 {
		return math.Sinh(x)
	}
	h := 0.5
	if x < 0 {
		h = -h
	}
	if ax < 22 {
		t := math.Expm1(ax)
		if ax < 1 {
			return h * (2.0*t - t*t/(t+1))
		}
		return h * (t + t/(t+1))
	}
	return h * Exp(ax)
}

// Cosh is the hyperbolic cosine.
func Cosh(x float64) float64 {
	ax := math.Abs(x)
	if math.IsNaN(x) || ax >= 709.78 {
		return math.Cosh(x)
	}
	switch {
	case ax < 0x1p-55:
		return 1
	case ax < 0.5*math.Ln2:
		t := math.Expm1(ax)
		w := 1 + t
		return 1 + (t*t)/(w+w)
	case ax < 22:
		t := Exp(ax)
		return 0.5*t + 0.5/t
	}
	return 0.5 * Exp(ax)
}

// Tanh is the hyperbolic tangent.
func Tanh(x float64) float64 {
	ax := math.Abs(x)
	if math.IsNaN(x) || ax < 0x1p-55 {
		return math.Tanh(x)
	}
	var z float64
	switch {
	case ax >= 22:
		z = 1
	case ax >= 1:
		t := math.Expm1(2 * ax)
		z = 1 - 2/(t+2)
	default:
		t := math.Expm1(-2 * ax)
		z = -t / (t + 2)
	}
	if x < 0 {
		return -z
	}
	return z
}

// Exp2 is 2**x.
func Exp2(x float64) float64 {
	if x == math.Trunc(x) && math.Abs(x) <= 1022 {
		return math.Ldexp(1, int(x))
	}
	if math.IsNaN(x) || x > 1023 || x < -1021 {
		return math.Exp2(x)
	}
	return expDD(mulF(ln2, x)).round()
}

// Asinh is the inverse hyperbolic sine, fdlibm's algorithm (as glibc) over a
// correctly rounded logarithm.
func Asinh(x float64) float64 {
	ax := math.Abs(x)
	if math.IsNaN(x) || math.IsInf(x, 0) || ax < 0x1p-28 || ax > 0x1p28 {
		return math.Asinh(x)
	}
	var w float64
	if ax > 2 {
		w = Log(2*ax + 1/(math.Sqrt(x*x+1)+ax))
	} else {
		t := x * x
		w = math.Log1p(ax + t/(1+math.Sqrt(1+t)))
	}
	if x < 0 {
		return -w
	}
	return w
}

// Acosh is the inverse hyperbolic cosine, fdlibm's algorithm (as glibc) over a
// correctly rounded logarithm.
func Acosh(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < 1 || x > 0x1p28:
		return math.Acosh(x)
	case x == 1:
		return 0
	case x > 2:
		t := x * x
		return Log(2*x - 1/(x+math.Sqrt(t-1)))
	}
	t := x - 1
	return math.Log1p(t + math.Sqrt(2*t+t*t))
}

// Cbrt is the cube root, computed as glibc computes it (a polynomial estimate
// and one rational correction step), so that it matches CPython's math.cbrt.
func Cbrt(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	const cbrt2, sqrCbrt2 = 1.2599210498948731648, 1.5874010519681994748
	factor := [5]float64{1.0 / sqrCbrt2, 1.0 / cbrt2, 1.0, cbrt2, sqrCbrt2}
	xm, xe := math.Frexp(math.Abs(x))
	// explicit float64 conversions keep the compiler from fusing multiply-adds
	u := float64(0.354895765043919860 + float64((1.50819193781584896+
		float64((-2.11499494167371287+
			float64((2.44693122563534430+
				float64((-1.83469277483613086+
					float64((0.784932344976639262-float64(0.145263899385486377*xm))*xm))*xm))*xm))*xm))*xm))
	t2 := float64(u*u) * u
	ym := float64(u*float64(t2+float64(2.0*xm))) / float64(float64(2.0*t2)+xm) * factor[2+xe%3]
	return math.Copysign(math.Ldexp(ym, xe/3), x)
}
