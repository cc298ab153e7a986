package interp

import "math"

// summer is sum()'s running total. While it is an int or a float it is kept
// unboxed (an int total past the small-int table would otherwise allocate a box
// per item, a float total always); any other total, and the step that leaves
// those, goes through Python's `+`.
type summer struct {
	th   *Thread
	mode sumMode
	i    int64   // the total in sumInt
	f    float64 // the total in sumFloat
	comp float64 // Neumaier compensation of f, as CPython 3.12 adds floats
	// compensated: a float was added since the total became a float
	compensated bool
	boxed       Value // the total in sumBoxed
}

type sumMode uint8

const (
	sumBoxed sumMode = iota
	sumInt
	sumFloat
)

func newSummer(th *Thread, start Value) *summer {
	s := &summer{th: th}
	s.set(start)
	return s
}

// set makes v the total, unboxed when it is an int or a float.
func (s *summer) set(v Value) {
	switch x := v.(type) {
	case Int:
		s.mode, s.i = sumInt, int64(x)
	case Float:
		s.mode, s.f, s.comp, s.compensated = sumFloat, float64(x), 0, false
	default:
		s.mode, s.boxed = sumBoxed, v
	}
}

// add adds one item to the total.
func (s *summer) add(v Value) {
	switch s.mode {
	case sumInt:
		if y, ok := v.(Int); ok {
			if r := s.i + int64(y); (r > s.i) == (y > 0) {
				s.i = r
				return
			}
		}
	case sumFloat:
		switch yv := v.(type) {
		case Float:
			s.addToFloat(float64(yv))
			return
		case Int:
			s.addToFloat(float64(yv))
			return
		}
	}
	s.addBoxed(v)
}

// addReals adds the items of a float store.
func (s *summer) addReals(reals []float64) {
	for _, y := range reals {
		if s.mode == sumFloat {
			s.addToFloat(y)
		} else {
			s.addBoxed(Float(y))
		}
	}
}

// addToFloat adds y to a float total, compensated as CPython 3.12 does.
func (s *summer) addToFloat(y float64) {
	s.compensated = true
	t := s.f + y
	if math.Abs(s.f) >= math.Abs(y) {
		s.comp += (s.f - t) + y
	} else {
		s.comp += (y - t) + s.f
	}
	s.f = t
}

// addBoxed adds v to the boxed total with Python's `+`.
func (s *summer) addBoxed(v Value) {
	s.set(Binary(s.th, tokPLUS, s.value(), v))
}

// value is the total as a Jac value.
func (s *summer) value() Value {
	switch s.mode {
	case sumInt:
		return MakeInt(s.i)
	case sumFloat:
		if s.compensated && s.comp != 0 && !math.IsInf(s.comp, 0) {
			return Float(s.f + s.comp)
		}
		return Float(s.f)
	}
	return s.boxed
}

// isNumber reports whether v is an int or a float: adding one of them to a
// float calls no user code.
func isNumber(v Value) bool {
	switch v.(type) {
	case Int, Float:
		return true
	}
	return false
}
