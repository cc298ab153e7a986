// Package random implements Python's random module with CPython's Mersenne
// Twister and algorithms, so that seeded sequences match Python's.
package random

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"math"
	"math/big"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/libm"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
)

// The random module, with CPython's generator (MT19937) and CPython's algorithms
// on top of it, so that random.seed(N) gives the same numbers as in Python.

// mt19937 is the Mersenne Twister as CPython's _randommodule.c seeds and runs it.
type mt19937 struct {
	state [624]uint32
	index int
	// gaussNext is the second value of the last Box-Muller pair (random.gauss).
	gaussNext *float64
}

func (m *mt19937) initGenrand(s uint32) {
	m.state[0] = s
	for i := 1; i < 624; i++ {
		m.state[i] = 1812433253*(m.state[i-1]^(m.state[i-1]>>30)) + uint32(i)
	}
	m.index = 624
}

func (m *mt19937) initByArray(key []uint32) {
	m.initGenrand(19650218)
	i, j := 1, 0
	k := max(624, len(key))
	for ; k > 0; k-- {
		m.state[i] = (m.state[i] ^ ((m.state[i-1] ^ (m.state[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			m.state[0] = m.state[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = 623; k > 0; k-- {
		m.state[i] = (m.state[i] ^ ((m.state[i-1] ^ (m.state[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			m.state[0] = m.state[623]
			i = 1
		}
	}
	m.state[0] = 0x80000000
}

func (m *mt19937) uint32() uint32 {
	const upper, lower = 0x80000000, 0x7fffffff
	mag := [2]uint32{0, 0x9908b0df}
	if m.index >= 624 {
		var kk int
		for ; kk < 624-397; kk++ {
			y := m.state[kk]&upper | m.state[kk+1]&lower
			m.state[kk] = m.state[kk+397] ^ (y >> 1) ^ mag[y&1]
		}
		for ; kk < 623; kk++ {
			y := m.state[kk]&upper | m.state[kk+1]&lower
			m.state[kk] = m.state[kk+(397-624)] ^ (y >> 1) ^ mag[y&1]
		}
		y := m.state[623]&upper | m.state[0]&lower
		m.state[623] = m.state[396] ^ (y >> 1) ^ mag[y&1]
		m.index = 0
	}
	y := m.state[m.index]
	m.index++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// seedInt seeds from a non-negative integer: its 32-bit words, least significant first.
func (m *mt19937) seedInt(n *big.Int) {
	n = new(big.Int).Abs(n)
	var key []uint32
	words := new(big.Int).Set(n)
	mask := big.NewInt(0xffffffff)
	for words.Sign() > 0 {
		key = append(key, uint32(new(big.Int).And(words, mask).Uint64()))
		words.Rsh(words, 32)
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	m.initByArray(key)
	m.gaussNext = nil
}

// seed follows random.seed(a) (version 2): None → OS entropy; int → itself;
// str/bytes → the int of their bytes followed by their SHA-512; other → hash(a).
func (m *mt19937) seed(th *interp.Thread, a interp.Value) {
	var n *big.Int
	switch x := a.(type) {
	case nil, interp.NoneType:
		var b [32]byte
		rand.Read(b[:])
		n = new(big.Int).SetBytes(b[:])
	case interp.Str, interp.Bytes:
		var b []byte
		if s, ok := x.(interp.Str); ok {
			b = []byte(s)
		} else {
			b = []byte(x.(interp.Bytes))
		}
		sum := sha512.Sum512(b)
		n = new(big.Int).SetBytes(append(b, sum[:]...))
	default:
		if native.IsInt(a) {
			n = native.BigInt(th, a)
		} else {
			n = big.NewInt(int64(interp.Hash(th, a)))
		}
	}
	m.seedInt(n)
}

// random is a float in [0, 1) with 53 random bits.
func (m *mt19937) random() float64 {
	a, b := m.uint32()>>5, m.uint32()>>6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// getrandbits is an int of k random bits (32-bit words, least significant first).
func (m *mt19937) getrandbits(k int) *big.Int {
	if k <= 32 {
		return big.NewInt(int64(m.uint32() >> (32 - k)))
	}
	words := (k-1)/32 + 1
	buf := make([]byte, 4*words)
	for i := 0; i < words; i++ {
		r := m.uint32()
		if k < 32 {
			r >>= 32 - k
		}
		binary.BigEndian.PutUint32(buf[4*(words-1-i):], r)
		k -= 32
	}
	return new(big.Int).SetBytes(buf)
}

// below is an int in [0, n) for n > 0 (CPython's _randbelow_with_getrandbits).
func (m *mt19937) below(n int64) int64 {
	k := 0
	for v := n; v > 0; v >>= 1 {
		k++
	}
	r := m.getrandbits(k).Int64()
	for r >= n {
		r = m.getrandbits(k).Int64()
	}
	return r
}

func (m *mt19937) randrange(th *interp.Thread, start int64, stop interp.Value, step int64) int64 {
	if stop == nil || stop == interp.None {
		if start > 0 {
			return m.below(start)
		}
		th.ValueError("empty range for randrange()")
	}
	end := interp.ToInt64(th, stop)
	width := end - start
	if step == 1 {
		if width > 0 {
			return start + m.below(width)
		}
		th.ValueError("empty range in randrange(%d, %d)", start, end)
	}
	if step == 0 {
		th.ValueError("zero step for randrange()")
	}
	var n int64
	if step > 0 {
		n = (width + step - 1) / step
	} else {
		n = (width + step + 1) / step
	}
	if n <= 0 {
		th.ValueError("empty range in randrange(%d, %d, %d)", start, end, step)
	}
	return start + step*m.below(n)
}

func (m *mt19937) gauss(mu, sigma float64) float64 {
	z := m.gaussNext
	m.gaussNext = nil
	if z == nil {
		x2pi := m.random() * 2 * math.Pi
		g2rad := math.Sqrt(-2.0 * libm.Log(1.0-m.random()))
		v := libm.Cos(x2pi) * g2rad
		next := libm.Sin(x2pi) * g2rad
		m.gaussNext = &next
		z = &v
	}
	return mu + *z*sigma
}

func (m *mt19937) normalvariate(mu, sigma float64) float64 {
	magic := 4 * libm.Exp(-0.5) / math.Sqrt(2.0)
	for {
		u1 := m.random()
		u2 := 1.0 - m.random()
		z := magic * (u1 - 0.5) / u2
		if z*z/4.0 <= -libm.Log(u2) {
			return mu + z*sigma
		}
	}
}

// sample picks k distinct positions of n as CPython does (pool or set method).
func (m *mt19937) sample(n, k int) []int {
	out := make([]int, k)
	setsize := 21
	if k > 5 {
		setsize += int(math.Pow(4, math.Ceil(libm.Log(float64(k*3))/libm.Log(4))))
	}
	if n <= setsize {
		pool := make([]int, n)
		for i := range pool {
			pool[i] = i
		}
		for i := 0; i < k; i++ {
			j := int(m.below(int64(n - i)))
			out[i] = pool[j]
			pool[j] = pool[n-i-1]
		}
		return out
	}
	selected := map[int]bool{}
	for i := 0; i < k; i++ {
		j := int(m.below(int64(n)))
		for selected[j] {
			j = int(m.below(int64(n)))
		}
		selected[j] = true
		out[i] = j
	}
	return out
}

// randomObj is a random.Random instance; the module's functions use one of them.
type randomObj struct{ mt19937 }

var randomClass = interp.NewBuiltinClass("Random", interp.ObjectClass)

func (*randomObj) Class() *interp.Class { return randomClass }

func newRandom(th *interp.Thread, seed interp.Value) *randomObj {
	r := &randomObj{}
	r.seed(th, seed)
	return r
}

// randomMethods are the functions of the module, and the methods of Random.
var randomMethods = map[string]func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value{
	"seed": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "seed", a, kw, "a?", "version?")
		r.seed(th, p[0])
		return interp.None
	},
	"random": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		return interp.Float(r.random())
	},
	"getrandbits": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		k := int(interp.ToInt64(th, a[0]))
		if k < 0 {
			th.ValueError("number of bits must be non-negative")
		}
		if k == 0 {
			return interp.MakeInt(0)
		}
		return interp.MakeBigInt(r.getrandbits(k))
	},
	"uniform": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "uniform", a, kw, "a", "b")
		lo, hi := interp.ToFloat(th, p[0]), interp.ToFloat(th, p[1])
		return interp.Float(lo + (hi-lo)*r.random())
	},
	"randint": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "randint", a, kw, "a", "b")
		return interp.MakeInt(r.randrange(th, interp.ToInt64(th, p[0]), interp.MakeInt(interp.ToInt64(th, p[1])+1), 1))
	},
	"randrange": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "randrange", a, kw, "start", "stop?", "step?")
		step := int64(1)
		if p[2] != nil {
			step = interp.ToInt64(th, p[2])
		}
		return interp.MakeInt(r.randrange(th, interp.ToInt64(th, p[0]), p[1], step))
	},
	"choice": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		items := interp.ToSlice(th, a[0])
		if len(items) == 0 {
			th.Raise(interp.IndexErrorClass, "Cannot choose from an empty sequence")
		}
		return items[r.below(int64(len(items)))]
	},
	"choices": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "choices", a, kw, "population", "weights?", "cum_weights?", "k?")
		items := interp.ToSlice(th, p[0])
		k := 1
		if p[3] != nil {
			k = int(interp.ToInt64(th, p[3]))
		}
		out := make([]interp.Value, k)
		var cum []float64
		switch {
		case p[2] != nil && p[2] != interp.None:
			for _, w := range interp.ToSlice(th, p[2]) {
				cum = append(cum, interp.ToFloat(th, w))
			}
		case p[1] != nil && p[1] != interp.None:
			acc := 0.0
			for _, w := range interp.ToSlice(th, p[1]) {
				acc += interp.ToFloat(th, w)
				cum = append(cum, acc)
			}
		default:
			if len(items) == 0 {
				th.Raise(interp.IndexErrorClass, "list index out of range")
			}
			for i := range out {
				out[i] = items[int(math.Floor(r.random()*float64(len(items))))]
			}
			return interp.NewList(out)
		}
		if len(cum) != len(items) {
			th.ValueError("The number of weights does not match the population")
		}
		total := cum[len(cum)-1]
		if total <= 0 {
			th.ValueError("Total of weights must be greater than zero")
		}
		for i := range out {
			x := r.random() * total
			lo, hi := 0, len(cum)-1 // bisect_right(cum, x, 0, hi)
			for lo < hi {
				mid := (lo + hi) / 2
				if x < cum[mid] {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			out[i] = items[lo]
		}
		return interp.NewList(out)
	},
	"shuffle": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		l, ok := a[0].(*interp.List)
		if !ok {
			th.TypeError("'%s' object does not support item assignment", interp.TypeName(a[0]))
		}
		x := l.Elems()
		for i := len(x) - 1; i > 0; i-- {
			j := r.below(int64(i + 1))
			x[i], x[j] = x[j], x[i]
		}
		return interp.None
	},
	"sample": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "sample", a, kw, "population", "k")
		items := interp.ToSlice(th, p[0])
		k := int(interp.ToInt64(th, p[1]))
		if k < 0 || k > len(items) {
			th.ValueError("Sample larger than population or is negative")
		}
		out := make([]interp.Value, k)
		for i, j := range r.sample(len(items), k) {
			out[i] = items[j]
		}
		return interp.NewList(out)
	},
	"gauss": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := floatArgs(th, "gauss", a, kw)
		return interp.Float(r.gauss(mu, sigma))
	},
	"normalvariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		mu, sigma := floatArgs(th, "normalvariate", a, kw)
		return interp.Float(r.normalvariate(mu, sigma))
	},
	"expovariate": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "expovariate", a, kw, "lambd?")
		lambd := 1.0
		if p[0] != nil {
			lambd = interp.ToFloat(th, p[0])
		}
		return interp.Float(-libm.Log(1.0-r.random()) / lambd)
	},
	"triangular": func(th *interp.Thread, r *randomObj, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "triangular", a, kw, "low?", "high?", "mode?")
		low, high, c := 0.0, 1.0, 0.5
		if p[0] != nil {
			low = interp.ToFloat(th, p[0])
		}
		if p[1] != nil {
			high = interp.ToFloat(th, p[1])
		}
		u := r.random()
		if p[2] != nil && p[2] != interp.None {
			if high == low {
				return interp.Float(low)
			}
			c = (interp.ToFloat(th, p[2]) - low) / (high - low)
		}
		if u > c {
			u, c, low, high = 1-u, 1-c, high, low
		}
		return interp.Float(low + (high-low)*math.Sqrt(u*c))
	},
}

// floatArgs parses (mu=0.0, sigma=1.0).
func floatArgs(th *interp.Thread, name string, a []interp.Value, kw []interp.KV) (float64, float64) {
	p := interp.ParseArgs(th, name, a, kw, "mu?", "sigma?")
	mu, sigma := 0.0, 1.0
	if p[0] != nil {
		mu = interp.ToFloat(th, p[0])
	}
	if p[1] != nil {
		sigma = interp.ToFloat(th, p[1])
	}
	return mu, sigma
}

func init() {
	for name, f := range randomMethods {
		interp.DefMethod(randomClass, name, func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
			return f(th, self.(*randomObj), a, kw)
		})
	}
	interp.RegisterModule("random", func() *interp.Module {
		m := interp.NewModule("random")
		shared := newRandom(nil, interp.None)
		for name, f := range randomMethods {
			m.Set(name, interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
				return f(th, shared, a, kw)
			}))
		}
		m.Set("Random", interp.NewBuiltin("Random", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "Random", a, kw, "x?")
			return newRandom(th, p[0])
		}))
		return m
	})
}
