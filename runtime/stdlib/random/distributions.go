package random

import (
	"math"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
)

// More of random: getstate/setstate, randbytes and the remaining distributions,
// each the same sequence of operations as CPython 3.12's random.py.

func pyFloatMod(a, b float64) float64 {
	m := math.Mod(a, b)
	if m != 0 {
		if (b < 0) != (m < 0) {
			m += b
		}
	} else {
		m = math.Copysign(0, b)
	}
	return m
}

func (m *mt19937) gammavariate(th *interp.Thread, alpha, beta float64) float64 {
	if alpha <= 0.0 || beta <= 0.0 {
		th.ValueError("gammavariate: alpha and beta must be > 0.0")
	}
	log4 := libm.Log(4.0)
	sgMagic := 1.0 + libm.Log(4.5)
	switch {
	case alpha > 1.0:
		ainv := math.Sqrt(2.0*alpha - 1.0)
		bbb := alpha - log4
		ccc := alpha + ainv
		for {
			u1 := m.random()
			if !(1e-7 < u1 && u1 < 0.9999999) {
				continue
			}
			u2 := 1.0 - m.random()
			v := libm.Log(u1/(1.0-u1)) / ainv
			x := alpha * libm.Exp(v)
			z := float64(u1*u1) * u2
			r := bbb + float64(ccc*v) - x
			if r+sgMagic-float64(4.5*z) >= 0.0 || r >= libm.Log(z) {
				return x * beta
			}
		}
	case alpha == 1.0:
		return -libm.Log(1.0-m.random()) * beta
	}
	var x float64
	for {
		u := m.random()
		b := (math.E + alpha) / math.E
		p := b * u
		if p <= 1.0 {
			x = libm.Pow(p, 1.0/alpha)
		} else {
			x = -libm.Log((b - p) / alpha)
		}
		u1 := m.random()
		if p > 1.0 {
			if u1 <= libm.Pow(x, alpha-1.0) {
				break
			}
		} else if u1 <= libm.Exp(-x) {
			break
		}
	}
	return x * beta
}

func twoFloats(th *interp.Thread, name string, a []interp.Value, kw []interp.KV, n1, n2 string) (float64, float64) {
	p := interp.ParseArgs(th, name, a, kw, n1, n2)
	return interp.ToFloat(th, p[0]), interp.ToFloat(th, p[1])
}

var distributionMethods = map[string]func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value{
	"getstate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		st := make(interp.Tuple, 625)
		for i, w := range r.state {
			st[i] = interp.MakeInt(int64(w))
		}
		st[624] = interp.MakeInt(int64(r.index))
		var g interp.Value = interp.None
		if r.gaussNext != nil {
			g = interp.Float(*r.gaussNext)
		}
		return interp.Tuple{interp.MakeInt(3), st, g}
	},
	"setstate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "setstate", a, kw, "state")
		parts := interp.ToSlice(th, p[0])
		if len(parts) != 3 {
			th.ValueError("state vector must be a 3-tuple")
		}
		if v := interp.ToInt64(th, parts[0]); v != 3 {
			th.ValueError("state with version %d passed to Random.setstate() of version 3", v)
		}
		st := interp.ToSlice(th, parts[1])
		if len(st) != 625 {
			th.ValueError("state vector is the wrong size")
		}
		idx := interp.ToInt64(th, st[624])
		if idx < 0 || idx > 624 {
			th.ValueError("invalid state")
		}
		for i := 0; i < 624; i++ {
			w := interp.ToInt64(th, st[i])
			if w < 0 || w > math.MaxUint32 {
				th.Raise(interp.OverflowErrorClass, "Python int too large to convert to C unsigned long")
			}
			r.state[i] = uint32(w)
		}
		r.index = int(idx)
		r.gaussNext = nil
		if parts[2] != interp.None {
			g := interp.ToFloat(th, parts[2])
			r.gaussNext = &g
		}
		return interp.None
	},
	"randbytes": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "randbytes", a, kw, "n")
		n := interp.ToInt64(th, p[0])
		if n < 0 {
			th.ValueError("number of bits must be non-negative")
		}
		if n == 0 {
			return interp.Bytes("")
		}
		b := r.getrandbits(int(n * 8)).Bytes() // big-endian, minimal
		out := make([]byte, n)
		for i := range b {
			out[i] = b[len(b)-1-i]
		}
		return interp.Bytes(out)
	},
	"gammavariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		alpha, beta := twoFloats(th, "gammavariate", a, kw, "alpha", "beta")
		return interp.Float(r.gammavariate(th, alpha, beta))
	},
	"betavariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		alpha, beta := twoFloats(th, "betavariate", a, kw, "alpha", "beta")
		y := r.gammavariate(th, alpha, 1.0)
		if y != 0 {
			return interp.Float(y / (y + r.gammavariate(th, beta, 1.0)))
		}
		return interp.Float(0.0)
	},
	"lognormvariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := twoFloats(th, "lognormvariate", a, kw, "mu", "sigma")
		return interp.Float(libm.Exp(r.normalvariate(mu, sigma)))
	},
	"vonmisesvariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		mu, kappa := twoFloats(th, "vonmisesvariate", a, kw, "mu", "kappa")
		const twoPi = 2 * math.Pi
		if kappa <= 1e-6 {
			return interp.Float(twoPi * r.random())
		}
		s := 0.5 / kappa
		rr := s + math.Sqrt(1.0+s*s)
		var z float64
		for {
			u1 := r.random()
			z = libm.Cos(math.Pi * u1)
			d := z / (rr + z)
			u2 := r.random()
			if u2 < 1.0-float64(d*d) || u2 <= (1.0-d)*libm.Exp(d) {
				break
			}
		}
		q := 1.0 / rr
		f := (q + z) / (1.0 + float64(q*z))
		if r.random() > 0.5 {
			return interp.Float(pyFloatMod(mu+libm.Acos(f), twoPi))
		}
		return interp.Float(pyFloatMod(mu-libm.Acos(f), twoPi))
	},
	"paretovariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "paretovariate", a, kw, "alpha")
		alpha := interp.ToFloat(th, p[0])
		u := 1.0 - r.random()
		return interp.Float(libm.Pow(u, -1.0/alpha))
	},
	"weibullvariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		alpha, beta := twoFloats(th, "weibullvariate", a, kw, "alpha", "beta")
		u := 1.0 - r.random()
		return interp.Float(alpha * libm.Pow(-libm.Log(u), 1.0/beta))
	},
}

func init() {
	for name, f := range distributionMethods {
		f := f
		randomMethods[name] = f
		interp.DefMethod(randomClass, name, func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
			return f(th, self.(*randomObj), a, kw)
		})
	}
}

// binomialvariate is CPython 3.12's (geometric method for small n*p, BTRS otherwise).
func (m *mt19937) binomialvariate(th *interp.Thread, n int64, p float64) int64 {
	if n < 0 {
		th.ValueError("n must be non-negative")
	}
	if p <= 0.0 || p >= 1.0 {
		if p == 0.0 {
			return 0
		}
		if p == 1.0 {
			return n
		}
		th.ValueError("p must be in the range 0.0 <= p <= 1.0")
	}
	if n == 1 {
		if m.random() < p {
			return 1
		}
		return 0
	}
	if p > 0.5 {
		return n - m.binomialvariate(th, n, 1.0-p)
	}
	if float64(n)*p < 10.0 {
		var x, y int64
		c := libm.Log2(1.0 - p)
		if c == 0 {
			return x
		}
		for {
			y += int64(math.Floor(libm.Log2(m.random())/c)) + 1
			if y > n {
				return x
			}
			x++
		}
	}
	nf := float64(n)
	spq := math.Sqrt(float64(nf*p) * (1.0 - p))
	b := 1.15 + float64(2.53*spq)
	a := -0.0873 + float64(0.0248*b) + float64(0.01*p)
	c := float64(nf*p) + 0.5
	vr := 0.92 - 4.2/b
	setup := false
	var alpha, lpq, mm, h float64
	lg := func(x float64) float64 { r, _ := math.Lgamma(x); return r }
	for {
		u := m.random()
		u -= 0.5
		us := 0.5 - math.Abs(u)
		k := math.Floor(float64((2.0*a/us+b)*u) + c)
		if k < 0 || k > nf {
			continue
		}
		v := m.random()
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if !setup {
			alpha = (2.83 + 5.1/b) * spq
			lpq = libm.Log(p / (1.0 - p))
			mm = math.Floor(float64(nf+1) * p)
			h = lg(mm+1) + lg(nf-mm+1)
			setup = true
		}
		v *= alpha / (a/float64(us*us) + b)
		if libm.Log(v) <= h-lg(k+1)-lg(nf-k+1)+float64((k-mm)*lpq) {
			return int64(k)
		}
	}
}

func init() {
	bin := func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "binomialvariate", a, kw, "n?", "p?")
		n, pr := int64(1), 0.5
		if p[0] != nil {
			n = interp.ToInt64(th, p[0])
		}
		if p[1] != nil {
			pr = interp.ToFloat(th, p[1])
		}
		return interp.MakeInt(r.binomialvariate(th, n, pr))
	}
	randomMethods["binomialvariate"] = bin
	interp.DefMethod(randomClass, "binomialvariate", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		return bin(th, self.(*randomObj), a, kw)
	})
	interp.ExtendModule("random", func(m *interp.Module) {
		m.Set("NV_MAGICCONST", interp.Float(4*libm.Exp(-0.5)/math.Sqrt(2.0)))
		m.Set("TWOPI", interp.Float(2*math.Pi))
		m.Set("LOG4", interp.Float(libm.Log(4.0)))
		m.Set("SG_MAGICCONST", interp.Float(1.0+libm.Log(4.5)))
		m.Set("BPF", interp.MakeInt(53))
		m.Set("RECIP_BPF", interp.Float(1.0/(1<<53)))
		// SystemRandom draws from a generator seeded by the OS (its numbers are not reproducible).
		m.Set("SystemRandom", interp.NewBuiltin("SystemRandom", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			return newRandom(th, interp.None)
		}))
	})
}
