package interp

import (
	"math"
	"math/rand"
	"testing"
)

// TestFmodAgainstMathMod checks the FMA-based fmod bit for bit against math.Mod
// on edge values (zeros, infinities, NaN, subnormals, 2^52..2^53) and random
// operands over 40 decades.
func TestFmodAgainstMathMod(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 3, 7, 1e300, -1e300, 5e-324, math.Inf(1), math.Inf(-1), math.NaN(), 2.5, 1e16, 4503599627370496, 9007199254740993}
	check := func(x, y float64) {
		if y == 0 {
			return
		}
		a, b := fmod(x, y), math.Mod(x, y)
		if math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Fatalf("fmod(%v, %v) = %v, math.Mod = %v", x, y, a, b)
		}
	}
	for _, x := range vals {
		for _, y := range vals {
			check(x, y)
		}
	}
	for i := 0; i < 200000; i++ {
		x := (r.Float64() - 0.5) * math.Pow(10, float64(r.Intn(40)-20))
		y := (r.Float64() - 0.5) * math.Pow(10, float64(r.Intn(40)-20))
		check(x, y)
		check(math.Round(x), math.Round(y*1000)/1000)
		check(float64(r.Int63n(1<<53)), float64(r.Int63n(1000)+1))
	}
}
