package statistics

import (
	"math"
	"math/big"
	"sort"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/stdlib/collections"
	"github.com/jacscale/jac/runtime/stdlib/decimal"
	"github.com/jacscale/jac/runtime/stdlib/fractions"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	pymath "github.com/jacscale/jac/runtime/stdlib/math"
	"github.com/jacscale/jac/runtime/syntax"
)

// fsum is math.fsum of the values (correctly rounded).
func fsum(th *interp.Thread, vals []interp.Value) float64 {
	sum := new(big.Rat)
	special, has := 0.0, false
	for _, v := range vals {
		f := toFloat(th, v)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			if has {
				special += f
			} else {
				special, has = f, true
			}
			continue
		}
		sum.Add(sum, new(big.Rat).SetFloat64(f))
	}
	if has {
		return special
	}
	f, _ := sum.Float64()
	return f
}

// toFloat is float(v) for numbers, Fractions and Decimals.
func toFloat(th *interp.Thread, v interp.Value) float64 {
	if f, ok := v.(*fractions.Fraction); ok {
		return f.Float()
	}
	if f, ok := decimal.Float(th, v); ok {
		return f
	}
	return interp.ToFloat(th, v)
}

func pair(th *interp.Thread, name string, a, b interp.Value) ([]interp.Value, []interp.Value) {
	x, y := interp.ToSlice(th, a), interp.ToSlice(th, b)
	if len(x) != len(y) {
		raiseError(th, name+" requires that both inputs have same number of data points")
	}
	if len(x) < 2 {
		raiseError(th, name+" requires at least two data points")
	}
	return x, y
}

func centered(th *interp.Thread, x []interp.Value) []interp.Value {
	bar := interp.Float(fsum(th, x) / float64(len(x)))
	out := make([]interp.Value, len(x))
	for i, v := range x {
		out[i] = interp.Binary(th, syntax.MINUS, v, bar)
	}
	return out
}

// rank is statistics._rank with average ties.
func rank(th *interp.Thread, data []interp.Value, start float64) []interp.Value {
	idx := make([]int, len(data))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return interp.Less(th, data[idx[a]], data[idx[b]]) })
	out := make([]interp.Value, len(data))
	i := 0
	for i < len(idx) {
		j := i
		for j < len(idx) && interp.Equal(th, data[idx[j]], data[idx[i]]) {
			j++
		}
		size := j - i
		rank := float64(i) + start + float64(size-1)/2
		for k := i; k < j; k++ {
			out[idx[k]] = interp.Float(rank)
		}
		i = j
	}
	return out
}

// floatSqrtOfFrac is statistics._float_sqrt_of_frac (correctly rounded sqrt(n/m)).
func floatSqrtOfFrac(n, m *big.Int) float64 {
	const width = 2*53 + 3
	q := (n.BitLen() - m.BitLen() - width)
	if q < 0 {
		q = -((-q + 1) / 2)
	} else {
		q /= 2
	}
	rto := func(n, m *big.Int) *big.Int {
		a := new(big.Int).Sqrt(new(big.Int).Quo(n, m))
		t := new(big.Int).Mul(a, a)
		t.Mul(t, m)
		if t.Cmp(n) != 0 {
			a.SetBit(a, 0, 1)
		}
		return a
	}
	var num *big.Int
	den := big.NewInt(1)
	if q >= 0 {
		num = rto(n, new(big.Int).Lsh(m, uint(2*q)))
		num.Lsh(num, uint(q))
	} else {
		num = rto(new(big.Int).Lsh(n, uint(-2*q)), m)
		den.Lsh(den, uint(-q))
	}
	f, _ := new(big.Rat).SetFrac(num, den).Float64()
	return f
}

func extendStatistics(m *interp.Module) {
	def := func(name string, fn func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value) {
		m.Set(name, interp.NewBuiltin(name, fn))
	}
	def("quantiles", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "quantiles", args, kw, "data", "n?", "method?")
		n := int64(4)
		if a[1] != nil {
			n = interp.ToInt64(th, a[1])
		}
		method := "exclusive"
		if a[2] != nil {
			method = interp.ToStr(th, a[2])
		}
		if n < 1 {
			raiseError(th, "n must be at least 1")
		}
		data := sorted(th, a[0])
		ld := int64(len(data))
		if ld < 2 {
			raiseError(th, "must have at least two data points")
		}
		mk := interp.MakeInt
		var out []interp.Value
		switch method {
		case "inclusive":
			mm := ld - 1
			for i := int64(1); i < n; i++ {
				j, delta := i*mm/n, i*mm%n
				v := interp.Binary(th, syntax.PLUS, interp.Binary(th, syntax.STAR, data[j], mk(n-delta)), interp.Binary(th, syntax.STAR, data[j+1], mk(delta)))
				out = append(out, interp.Binary(th, syntax.SLASH, v, mk(n)))
			}
		case "exclusive":
			mm := ld + 1
			for i := int64(1); i < n; i++ {
				j := i * mm / n
				if j < 1 {
					j = 1
				} else if j > ld-1 {
					j = ld - 1
				}
				delta := i*mm - j*n
				v := interp.Binary(th, syntax.PLUS, interp.Binary(th, syntax.STAR, data[j-1], mk(n-delta)), interp.Binary(th, syntax.STAR, data[j], mk(delta)))
				out = append(out, interp.Binary(th, syntax.SLASH, v, mk(n)))
			}
		default:
			th.ValueError("Unknown method: %s", interp.Repr(th, a[2]))
		}
		return interp.NewList(out)
	})
	def("covariance", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "covariance", args, kw, "x", "y")
		x, y := pair(th, "covariance", a[0], a[1])
		sxy := pymath.Sumprod(th, centered(th, x), centered(th, y))
		return interp.Binary(th, syntax.SLASH, sxy, interp.MakeInt(int64(len(x)-1)))
	})
	def("correlation", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "correlation", args, kw, "x", "y", "method?")
		x, y := pair(th, "correlation", a[0], a[1])
		method := "linear"
		if a[2] != nil {
			method = interp.ToStr(th, a[2])
		}
		switch method {
		case "ranked":
			start := float64(len(x)-1) / -2
			x, y = rank(th, x, start), rank(th, y, start)
		case "linear":
			x, y = centered(th, x), centered(th, y)
		default:
			th.ValueError("Unknown method: %s", interp.Repr(th, a[2]))
		}
		sxy := interp.ToFloat(th, pymath.Sumprod(th, x, y))
		sxx := interp.ToFloat(th, pymath.Sumprod(th, x, x))
		syy := interp.ToFloat(th, pymath.Sumprod(th, y, y))
		d := math.Sqrt(sxx * syy)
		if d == 0 {
			raiseError(th, "at least one of the inputs is constant")
		}
		return interp.Float(sxy / d)
	})
	lrClass := func(th *interp.Thread) interp.Value {
		return collections.NamedTuple(th, []interp.Value{interp.Str("LinearRegression"), interp.Tuple{interp.Str("slope"), interp.Str("intercept")}}, nil)
	}
	def("linear_regression", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "linear_regression", args, kw, "x", "y", "proportional?")
		x, y := pair(th, "linear regression", a[0], a[1])
		prop := a[2] != nil && interp.Truth(th, a[2])
		var xbar, ybar float64
		if !prop {
			xbar = fsum(th, x) / float64(len(x))
			ybar = fsum(th, y) / float64(len(y))
			x, y = centered(th, x), centered(th, y)
		}
		sxy := interp.ToFloat(th, interp.Binary(th, syntax.PLUS, pymath.Sumprod(th, x, y), interp.Float(0)))
		sxx := pymath.Sumprod(th, x, x)
		if !interp.Truth(th, sxx) {
			raiseError(th, "x is constant")
		}
		slope := sxy / interp.ToFloat(th, sxx)
		intercept := 0.0
		if !prop {
			intercept = ybar - float64(slope*xbar)
		}
		return th.Call(lrClass(th), []interp.Value{interp.Float(slope), interp.Float(intercept)}, nil)
	})
	def("median_grouped", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "median_grouped", args, kw, "data", "interval?")
		data := sorted(th, a[0])
		n := len(data)
		if n == 0 {
			raiseError(th, "no median for empty data")
		}
		x := data[n/2]
		i := sort.Search(n, func(k int) bool { return !interp.Less(th, data[k], x) })
		j := i + sort.Search(n-i, func(k int) bool { return interp.Less(th, x, data[i+k]) })
		interval := 1.0
		if a[1] != nil {
			interval = interp.ToFloat(th, th.Call(interp.FloatClass, []interp.Value{a[1]}, nil))
		}
		xf := interp.ToFloat(th, th.Call(interp.FloatClass, []interp.Value{x}, nil))
		l := xf - interval/2.0
		return interp.Float(l + interval*(float64(n)/2-float64(i))/float64(j-i))
	})
	m.Set("NormalDist", normalDistClass)
	m.Set("LinearRegression", lrClass(nil))
}

// ---- NormalDist ----

var normalDistClass = native.NewClass("NormalDist", "statistics")

func ndParams(th *interp.Thread, v interp.Value) (float64, float64) {
	mu, _ := interp.LookupAttr(th, v, "_mu")
	sigma, _ := interp.LookupAttr(th, v, "_sigma")
	return interp.ToFloat(th, mu), interp.ToFloat(th, sigma)
}

func ndNew(th *interp.Thread, cls interp.Value, mu, sigma float64) interp.Value {
	return th.Call(cls, []interp.Value{interp.Float(mu), interp.Float(sigma)}, nil)
}

func ndIs(v interp.Value) bool {
	o, ok := v.(*interp.Instance)
	return ok && o.Class().IsSubclass(normalDistClass)
}

// hypot2 is a correctly rounded sqrt(a*a + b*b).
func hypot2(a, b float64) float64 {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return math.Inf(1)
	}
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	x := new(big.Float).SetPrec(4400).SetFloat64(a)
	y := new(big.Float).SetPrec(4400).SetFloat64(b)
	x.Mul(x, x)
	y.Mul(y, y)
	x.Add(x, y)
	x.Sqrt(x)
	f, _ := x.Float64()
	return f
}

// horner evaluates ((c0*r + c1)*r + ...) + cn without fused multiply-adds.
func horner(r float64, c ...float64) float64 {
	acc := c[0]
	for _, k := range c[1:] {
		acc = float64(acc*r) + k
	}
	return acc
}

// ndInvCDF is statistics._normal_dist_inv_cdf (Wichura's AS241).
func ndInvCDF(p, mu, sigma float64) float64 {
	q := p - 0.5
	var num, den float64
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - float64(q*q)
		num = float64(horner(r, 2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4,
			4.5921953931549871457e+4, 1.3731693765509461125e+4, 1.9715909503065514427e+3,
			1.3314166789178437745e+2, 3.3871328727963666080e+0) * q)
		den = horner(r, 5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4,
			2.1213794301586595867e+4, 5.3941960214247511077e+3, 6.8718700749205790830e+2,
			4.2313330701600911252e+1, 1.0)
		x := num / den
		return mu + float64(x*sigma)
	}
	r := p
	if q > 0.0 {
		r = 1.0 - p
	}
	r = math.Sqrt(-libm.Log(r))
	if r <= 5.0 {
		r = r - 1.6
		num = horner(r, 7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
			1.27045825245236838258e+0, 3.64784832476320460504e+0, 5.76949722146069140550e+0,
			4.63033784615654529590e+0, 1.42343711074968357734e+0)
		den = horner(r, 1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
			1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e+0,
			2.05319162663775882187e+0, 1.0)
	} else {
		r = r - 5.0
		num = horner(r, 2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
			2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e+0,
			5.46378491116411436990e+0, 6.65790464350110377720e+0)
		den = horner(r, 2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
			7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
			5.99832206555887937690e-1, 1.0)
	}
	x := num / den
	if q < 0.0 {
		x = -x
	}
	return mu + float64(x*sigma)
}

func ndCDF(mu, sigma, x float64) float64 {
	return 0.5 * (1.0 + math.Erf((x-mu)/float64(sigma*math.Sqrt2)))
}

func registerNormalDist() {
	c := normalDistClass
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "NormalDist", args, kw, "mu?", "sigma?")
		mu, sigma := 0.0, 1.0
		if a[0] != nil {
			mu = interp.ToFloat(th, th.Call(interp.FloatClass, []interp.Value{a[0]}, nil))
		}
		if a[1] != nil {
			sigma = interp.ToFloat(th, th.Call(interp.FloatClass, []interp.Value{a[1]}, nil))
			if sigma < 0 {
				raiseError(th, "sigma must be non-negative")
			}
		}
		native.SetAttr(self, "_mu", interp.Float(mu))
		native.SetAttr(self, "_sigma", interp.Float(sigma))
		return interp.None
	})
	prop := func(name string, fn func(mu, sigma float64) float64) {
		c.SetAttr(name, &interp.Property{Get: interp.NewBuiltin(name, func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			mu, sigma := ndParams(th, args[0])
			return interp.Float(fn(mu, sigma))
		})})
	}
	prop("mean", func(mu, sigma float64) float64 { return mu })
	prop("median", func(mu, sigma float64) float64 { return mu })
	prop("mode", func(mu, sigma float64) float64 { return mu })
	prop("stdev", func(mu, sigma float64) float64 { return sigma })
	prop("variance", func(mu, sigma float64) float64 { return sigma * sigma })
	def("pdf", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "pdf", args, kw, "x")
		mu, sigma := ndParams(th, self)
		variance := sigma * sigma
		if variance == 0 {
			raiseError(th, "pdf() not defined when sigma is zero")
		}
		diff := interp.ToFloat(th, a[0]) - mu
		return interp.Float(libm.Exp(float64(diff*diff)/(-2.0*variance)) / math.Sqrt(2*math.Pi*variance))
	})
	def("cdf", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "cdf", args, kw, "x")
		mu, sigma := ndParams(th, self)
		if sigma == 0 {
			raiseError(th, "cdf() not defined when sigma is zero")
		}
		return interp.Float(ndCDF(mu, sigma, interp.ToFloat(th, a[0])))
	})
	def("inv_cdf", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "inv_cdf", args, kw, "p")
		p := interp.ToFloat(th, a[0])
		if p <= 0.0 || p >= 1.0 {
			raiseError(th, "p must be in the range 0.0 < p < 1.0")
		}
		mu, sigma := ndParams(th, self)
		return interp.Float(ndInvCDF(p, mu, sigma))
	})
	def("quantiles", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "quantiles", args, kw, "n?")
		n := int64(4)
		if a[0] != nil {
			n = interp.ToInt64(th, a[0])
		}
		mu, sigma := ndParams(th, self)
		var out []interp.Value
		for i := int64(1); i < n; i++ {
			out = append(out, interp.Float(ndInvCDF(float64(i)/float64(n), mu, sigma)))
		}
		return interp.NewList(out)
	})
	def("zscore", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "zscore", args, kw, "x")
		mu, sigma := ndParams(th, self)
		if sigma == 0 {
			raiseError(th, "zscore() not defined when sigma is zero")
		}
		return interp.Float((interp.ToFloat(th, a[0]) - mu) / sigma)
	})
	def("overlap", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "overlap", args, kw, "other")
		if !ndIs(a[0]) {
			th.TypeError("Expected another NormalDist instance")
		}
		xm, xs := ndParams(th, self)
		ym, ys := ndParams(th, a[0])
		if ys < xs || ys == xs && ym < xm {
			xm, xs, ym, ys = ym, ys, xm, xs
		}
		xv, yv := xs*xs, ys*ys
		if xv == 0 || yv == 0 {
			raiseError(th, "overlap() not defined when sigma is zero")
		}
		dv := yv - xv
		dm := math.Abs(ym - xm)
		if dv == 0 {
			return interp.Float(2.0 * ndCDF(dm, 2.0*xs, 0))
		}
		av := float64(xm*yv) - float64(ym*xv)
		b := float64(xs*ys) * math.Sqrt(float64(dm*dm)+float64(dv*libm.Log(yv/xv)))
		x1 := (av + b) / dv
		x2 := (av - b) / dv
		return interp.Float(1.0 - (math.Abs(ndCDF(ym, ys, x1)-ndCDF(xm, xs, x1)) + math.Abs(ndCDF(ym, ys, x2)-ndCDF(xm, xs, x2))))
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := ndParams(th, self)
		return interp.Str(self.Class().Name + "(mu=" + interp.Repr(th, interp.Float(mu)) + ", sigma=" + interp.Repr(th, interp.Float(sigma)) + ")")
	})
	def("__eq__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__eq__", args, 1)
		if !ndIs(args[0]) {
			return interp.NotImplemented
		}
		m1, s1 := ndParams(th, self)
		m2, s2 := ndParams(th, args[0])
		return interp.MakeBool(m1 == m2 && s1 == s2)
	})
	def("__hash__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := ndParams(th, self)
		return interp.MakeInt(int64(interp.Hash(th, interp.Tuple{interp.Float(mu), interp.Float(sigma)}) >> 1))
	})
	arith := func(name string, fn func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value) {
		def(name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, name, args, 1)
			mu, sigma := ndParams(th, self)
			return fn(th, self, mu, sigma, args[0])
		})
	}
	cls := func(self interp.Value) interp.Value { return self.Class() }
	add := func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value {
		if ndIs(o) {
			m2, s2 := ndParams(th, o)
			return ndNew(th, cls(self), mu+m2, hypot2(sigma, s2))
		}
		return ndNew(th, cls(self), mu+interp.ToFloat(th, o), sigma)
	}
	arith("__add__", add)
	arith("__radd__", add)
	arith("__sub__", func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value {
		if ndIs(o) {
			m2, s2 := ndParams(th, o)
			return ndNew(th, cls(self), mu-m2, hypot2(sigma, s2))
		}
		return ndNew(th, cls(self), mu-interp.ToFloat(th, o), sigma)
	})
	arith("__rsub__", func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value {
		return ndNew(th, cls(self), -(mu - interp.ToFloat(th, o)), sigma)
	})
	mul := func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value {
		k := interp.ToFloat(th, o)
		return ndNew(th, cls(self), mu*k, sigma*math.Abs(k))
	}
	arith("__mul__", mul)
	arith("__rmul__", mul)
	arith("__truediv__", func(th *interp.Thread, self interp.Value, mu, sigma float64, o interp.Value) interp.Value {
		k := interp.ToFloat(th, o)
		if k == 0 {
			th.Raise(interp.ZeroDivisionErrorClass, "float division by zero")
		}
		return ndNew(th, cls(self), mu/k, sigma/math.Abs(k))
	})
	def("__pos__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := ndParams(th, self)
		return ndNew(th, cls(self), mu, sigma)
	})
	def("__neg__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := ndParams(th, self)
		return ndNew(th, cls(self), -mu, sigma)
	})
	c.SetAttr("from_samples", interp.NewBuiltin("from_samples", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "from_samples", args, kw, "data")
		rats, _, _ := data(th, a[0])
		if len(rats) < 2 {
			raiseError(th, "stdev requires at least two data points")
		}
		if hasSpecial(rats) {
			return ndNew(th, c, math.NaN(), math.NaN())
		}
		ss, mean := sumSquares(rats)
		mss := new(big.Rat).Quo(ss, new(big.Rat).SetInt64(int64(len(rats)-1)))
		mf, _ := mean.Float64()
		return ndNew(th, c, mf, floatSqrtOfFrac(mss.Num(), mss.Denom()))
	}))
}

func init() {
	registerNormalDist()
	interp.ExtendModule("statistics", extendStatistics)
}
