package interp

import (
	"cmp"
	"math"
	"slices"
)

// List storage strategies (as PyPy's): a list whose elements are all ints keeps
// them unboxed in words, an []int64 the garbage collector never scans (8 bytes
// an element, no box per int); a list of floats keeps them in reals, a list of
// bools in flags, a byte each. The arithmetic paths (numeric.go) read and write
// reals without boxing.
// The first element of another kind moves the list, once and for good, to vals,
// the generic []Value store. An empty list picks its store afresh on its next
// append. Reading an int back boxes it: free for the small-int table (value.go),
// an allocation past it, so a list read more than written moves to the generic
// store (boxLarge); a float read boxed always allocates, and counts the same
// way.
//
// Every operation inside the package goes through the methods below or switches
// on kind; code outside calls Elems, which generalises the list.

// listKind says which store holds a list's elements.
type listKind uint8

const (
	listValues listKind = iota // vals: any values
	listInts                   // words: the int64 of each Int
	listBools                  // flags
	listFloats                 // reals: the float64 of each Float
)

// List is a mutable sequence. Only the store of its kind is set; the others are
// nil.
type List struct {
	vals  []Value   // the store when kind is listValues
	words []int64   // the store when kind is listInts
	flags []bool    // the store when kind is listBools
	reals []float64 // the store when kind is listFloats
	kind  listKind
	// largeReads counts boxed reads that allocate: ints outside the small-int
	// table, floats (boxLarge).
	largeReads uint32
}

func (*List) Class() *Class { return ListClass }

// NewList wraps elems (not copied) in a list with the generic store.
func NewList(elems []Value) *List {
	if elems == nil {
		elems = []Value{}
	}
	return &List{vals: elems}
}

// newListOf makes a list of vals (owned by the list from now on), unboxed into a
// typed store when they are all ints, all floats or all bools.
func newListOf(vals []Value) *List {
	if len(vals) == 0 {
		return NewList(vals)
	}
	switch vals[0].(type) {
	case Int:
		words := make([]int64, len(vals))
		for i, v := range vals {
			x, ok := v.(Int)
			if !ok {
				return NewList(vals)
			}
			words[i] = int64(x)
		}
		return &List{words: words, kind: listInts}
	case Bool:
		flags := make([]bool, len(vals))
		for i, v := range vals {
			x, ok := v.(Bool)
			if !ok {
				return NewList(vals)
			}
			flags[i] = bool(x)
		}
		return &List{flags: flags, kind: listBools}
	case Float:
		reals := make([]float64, len(vals))
		for i, v := range vals {
			x, ok := v.(Float)
			if !ok {
				return NewList(vals)
			}
			reals[i] = float64(x)
		}
		return newFloatList(reals)
	}
	return NewList(vals)
}

// newIntList is a list of the ints in words (owned by the list).
func newIntList(words []int64) *List { return &List{words: words, kind: listInts} }

// newFloatList is a list of the floats in reals (owned by the list).
func newFloatList(reals []float64) *List { return &List{reals: reals, kind: listFloats} }

// become makes l hold o's elements (o is dropped).
func (l *List) become(o *List) { *l = *o }

// Elems returns the list's elements as its generic store, moving a typed list to
// it for good (callers must not keep the slice across mutations).
func (l *List) Elems() []Value {
	l.generalize()
	return l.vals
}

// items is the elements for reading only: the generic store itself, or a boxed
// copy of a typed one. The list keeps its store.
func (l *List) items() []Value {
	if l.kind == listValues {
		return l.vals
	}
	return l.appendBoxed(make([]Value, 0, l.Len()))
}

// appendBoxed appends the elements of a typed store, boxed, to out.
func (l *List) appendBoxed(out []Value) []Value {
	for _, w := range l.words {
		out = append(out, MakeInt(w))
	}
	for _, f := range l.flags {
		out = append(out, Bool(f))
	}
	for _, f := range l.reals {
		out = append(out, Float(f))
	}
	return out
}

// generalize moves a typed list to the generic store.
func (l *List) generalize() {
	if l.kind == listValues {
		return
	}
	vals := l.appendBoxed(make([]Value, 0, max(cap(l.words), cap(l.flags), cap(l.reals))))
	*l = List{vals: vals}
}

// Len is the number of elements.
func (l *List) Len() int {
	switch l.kind {
	case listInts:
		return len(l.words)
	case listBools:
		return len(l.flags)
	case listFloats:
		return len(l.reals)
	}
	return len(l.vals)
}

// at is element i (0 <= i < Len()).
func (l *List) at(i int) Value {
	if l.kind == listValues {
		return l.vals[i] // inlined: the generic store is read as fast as a slice
	}
	return l.typedAt(i)
}

// typedAt is element i of a typed store, boxed.
func (l *List) typedAt(i int) Value {
	switch l.kind {
	case listInts:
		if w := l.words[i]; uint64(w-smallIntMin) >= uint64(len(smallIntVals)) {
			return l.boxLarge(w)
		}
		return MakeInt(l.words[i])
	case listBools:
		return Bool(l.flags[i])
	case listFloats:
		f := l.reals[i]
		l.countBoxedRead()
		return Float(f)
	}
	return l.vals[i]
}

// setAt stores v as element i (0 <= i < Len()).
func (l *List) setAt(i int, v Value) {
	if l.kind == listValues {
		l.vals[i] = v
		return
	}
	l.setTyped(i, v)
}

// setTyped stores v as element i of a typed store, generalising it when v is
// of another kind.
func (l *List) setTyped(i int, v Value) {
	switch l.kind {
	case listInts:
		if x, ok := v.(Int); ok {
			l.words[i] = int64(x)
			return
		}
	case listBools:
		if x, ok := v.(Bool); ok {
			l.flags[i] = bool(x)
			return
		}
	case listFloats:
		if x, ok := v.(Float); ok {
			l.reals[i] = float64(x)
			return
		}
	}
	l.generalize()
	l.vals[i] = v
}

// Append adds v at the end.
func (l *List) Append(v Value) {
	switch l.kind {
	case listInts:
		if x, ok := v.(Int); ok {
			l.words = append(l.words, int64(x))
			return
		}
	case listBools:
		if x, ok := v.(Bool); ok {
			l.flags = append(l.flags, bool(x))
			return
		}
	case listFloats:
		if x, ok := v.(Float); ok {
			l.reals = append(l.reals, float64(x))
			return
		}
	}
	if l.Len() == 0 {
		l.restartWith(v)
		return
	}
	l.generalize()
	l.vals = append(l.vals, v)
}

// appendBuilding appends v to a list that a comprehension is building: a full
// store of fewer than maxPresize elements doubles its capacity (append's
// growth falls to 1.25x past 256 elements, which for a list built item by
// item copies it about five times over instead of twice); a longer one grows
// as append grows it, so that a large result does not overshoot by half.
func (l *List) appendBuilding(v Value) {
	switch n := l.Len(); {
	case n >= maxPresize:
	case l.kind == listInts && n == cap(l.words):
		l.words = doubled(l.words)
	case l.kind == listFloats && n == cap(l.reals):
		l.reals = doubled(l.reals)
	case l.kind == listValues && n == cap(l.vals):
		l.vals = doubled(l.vals)
	}
	l.Append(v)
}

// doubled is s moved to a store of twice its capacity (at least 8).
func doubled[E any](s []E) []E {
	out := make([]E, len(s), max(2*cap(s), 8))
	copy(out, s)
	return out
}

// restartWith makes the empty list l hold just v, in the store v fits, keeping
// the capacity reserved in any store.
func (l *List) restartWith(v Value) {
	n := max(cap(l.vals), cap(l.words), cap(l.flags), cap(l.reals), 1)
	switch x := v.(type) {
	case Int:
		words := l.words
		if cap(words) == 0 {
			words = make([]int64, 0, n)
		}
		*l = List{words: append(words[:0], int64(x)), kind: listInts}
	case Bool:
		flags := l.flags
		if cap(flags) == 0 {
			flags = make([]bool, 0, n)
		}
		*l = List{flags: append(flags[:0], bool(x)), kind: listBools}
	case Float:
		reals := l.reals
		if cap(reals) == 0 {
			reals = make([]float64, 0, n)
		}
		*l = List{reals: append(reals[:0], float64(x)), kind: listFloats}
	default:
		vals := l.vals
		if cap(vals) == 0 {
			vals = make([]Value, 0, n)
		}
		*l = List{vals: append(vals[:0], v)}
	}
}

// reserve makes room for n more elements. An empty list reserves ints, the
// store most lists built by a comprehension need; restartWith carries the
// capacity over to another store.
func (l *List) reserve(n int) {
	switch {
	case l.Len() == 0:
		*l = List{words: make([]int64, 0, n), kind: listInts}
	case l.kind == listInts:
		l.words = slices.Grow(l.words, n)
	case l.kind == listBools:
		l.flags = slices.Grow(l.flags, n)
	case l.kind == listFloats:
		l.reals = slices.Grow(l.reals, n)
	default:
		l.vals = slices.Grow(l.vals, n)
	}
}

// extend appends the elements of o (which may be l itself).
func (l *List) extend(o *List) {
	switch {
	case o.Len() == 0:
	case l.Len() == 0:
		l.become(o.clone())
	case l.kind == listInts && o.kind == listInts:
		l.words = append(l.words, o.words...)
	case l.kind == listBools && o.kind == listBools:
		l.flags = append(l.flags, o.flags...)
	case l.kind == listFloats && o.kind == listFloats:
		l.reals = append(l.reals, o.reals...)
	default:
		vals := o.items()
		l.generalize()
		l.vals = append(l.vals, vals...)
	}
}

// appendValues appends vals.
func (l *List) appendValues(vals []Value) {
	for _, v := range vals {
		l.Append(v)
	}
}

// concat is l + o.
func (l *List) concat(o *List) *List {
	switch {
	case l.Len() == 0:
		return o.clone()
	case o.Len() == 0:
		return l.clone()
	case l.kind == listInts && o.kind == listInts:
		return newIntList(slices.Concat(l.words, o.words))
	case l.kind == listBools && o.kind == listBools:
		return &List{flags: slices.Concat(l.flags, o.flags), kind: listBools}
	case l.kind == listFloats && o.kind == listFloats:
		return newFloatList(slices.Concat(l.reals, o.reals))
	}
	return NewList(slices.Concat(l.items(), o.items()))
}

// clone is a shallow copy of l, in the same store.
func (l *List) clone() *List {
	switch l.kind {
	case listInts:
		return newIntList(slices.Clone(l.words))
	case listBools:
		return &List{flags: slices.Clone(l.flags), kind: listBools}
	case listFloats:
		return newFloatList(slices.Clone(l.reals))
	}
	return NewList(append([]Value(nil), l.vals...))
}

// repeated is l * n as a new list.
func (l *List) repeated(th *Thread, n int64) *List {
	switch l.kind {
	case listInts:
		th.reserveRepeat(len(l.words), n, 8, "")
		return newIntList(repeatStore(l.words, n))
	case listBools:
		th.reserveRepeat(len(l.flags), n, 1, "")
		return &List{flags: repeatStore(l.flags, n), kind: listBools}
	case listFloats:
		th.reserveRepeat(len(l.reals), n, 8, "")
		return newFloatList(repeatStore(l.reals, n))
	}
	return NewList(repeatSeq(th, l.vals, n))
}

// repeatStore is n copies of s, one after the other.
func repeatStore[E any](s []E, n int64) []E {
	if n <= 0 || len(s) == 0 {
		return []E{}
	}
	out := make([]E, len(s)*int(n))
	copy(out, s)
	for filled := len(s); filled < len(out); filled *= 2 {
		copy(out[filled:], out[:filled])
	}
	return out
}

// slice is l[start:stop:step] for bounds from sliceIndices.
func (l *List) slice(start, stop, step int64) *List {
	switch l.kind {
	case listInts:
		return newIntList(sliceStore(l.words, start, stop, step))
	case listBools:
		return &List{flags: sliceStore(l.flags, start, stop, step), kind: listBools}
	case listFloats:
		return newFloatList(sliceStore(l.reals, start, stop, step))
	}
	return NewList(sliceStore(l.vals, start, stop, step))
}

// sliceStore copies s[start:stop:step] for bounds from sliceIndices.
func sliceStore[E any](s []E, start, stop, step int64) []E {
	if step == 1 {
		if start >= stop {
			return []E{}
		}
		return append([]E(nil), s[start:stop]...)
	}
	out := []E{}
	if step > 0 {
		for i := start; i < stop; i += step {
			out = append(out, s[i])
		}
	} else {
		for i := start; i > stop; i += step {
			out = append(out, s[i])
		}
	}
	return out
}

// insert puts v before element i (0 <= i <= Len()).
func (l *List) insert(i int, v Value) {
	switch x := v.(type) {
	case Int:
		if l.kind == listInts {
			l.words = slices.Insert(l.words, i, int64(x))
			return
		}
	case Bool:
		if l.kind == listBools {
			l.flags = slices.Insert(l.flags, i, bool(x))
			return
		}
	case Float:
		if l.kind == listFloats {
			l.reals = slices.Insert(l.reals, i, float64(x))
			return
		}
	}
	if l.Len() == 0 {
		l.restartWith(v)
		return
	}
	l.generalize()
	l.vals = slices.Insert(l.vals, i, v)
}

// removeAt deletes element i (0 <= i < Len()) and returns it.
func (l *List) removeAt(i int) Value {
	v := l.at(i)
	l.deleteRange(i, i+1)
	return v
}

// deleteRange deletes elements [i, j).
func (l *List) deleteRange(i, j int) {
	switch l.kind {
	case listInts:
		l.words = slices.Delete(l.words, i, j)
	case listBools:
		l.flags = slices.Delete(l.flags, i, j)
	case listFloats:
		l.reals = slices.Delete(l.reals, i, j)
	default:
		l.vals = slices.Delete(l.vals, i, j)
	}
}

// reverse reverses l in place.
func (l *List) reverse() {
	switch l.kind {
	case listInts:
		slices.Reverse(l.words)
	case listBools:
		slices.Reverse(l.flags)
	case listFloats:
		slices.Reverse(l.reals)
	default:
		slices.Reverse(l.vals)
	}
}

// clear empties l.
func (l *List) clear() { *l = List{vals: []Value{}} }

// setAll replaces l's elements with vals (owned by l from now on).
func (l *List) setAll(vals []Value) { l.become(newListOf(vals)) }

// find is the first index in [start, end) whose element is x (or equal to it),
// -1 when there is none. The bounds are clamped to the list as it changes
// (an element's __eq__ may mutate it).
func (l *List) find(th *Thread, x Value, start, end int) int {
	if f, ok := x.(Float); ok && l.kind == listFloats {
		if end = min(end, l.Len()); start < end {
			if i := slices.Index(l.reals[start:end], float64(f)); i >= 0 {
				return start + i
			}
		}
		return -1
	}
	if w, ok := wordMatching(x); ok && (l.kind == listInts || l.kind == listBools) {
		end = min(end, l.Len())
		if start >= end {
			return -1
		}
		i := -1
		if l.kind == listInts {
			i = slices.Index(l.words[start:end], w)
		} else if w == 0 || w == 1 {
			i = slices.Index(l.flags[start:end], w == 1)
		}
		if i >= 0 {
			return start + i
		}
		return -1
	}
	for i := start; i < end && i < l.Len(); i++ {
		e := l.at(i)
		if Identical(e, x) || Equal(th, e, x) {
			return i
		}
	}
	return -1
}

// wordMatching is the int64 that an element of an int or bool store equals x
// at, when x is an int or a bool (True == 1 and 1 == True).
func wordMatching(x Value) (int64, bool) {
	switch v := x.(type) {
	case Int:
		return int64(v), true
	case Bool:
		return b2i(v), true
	}
	return 0, false
}

// count is how many elements are x or equal to it.
func (l *List) count(th *Thread, x Value) int {
	n := 0
	for i := l.find(th, x, 0, l.Len()); i >= 0; i = l.find(th, x, i+1, l.Len()) {
		n++
	}
	return n
}

// equalTyped reports, for two lists of the same typed kind, whether they are
// equal; ok is false when the comparison needs the generic path.
func equalTyped(x, y *List) (eq, ok bool) {
	switch {
	case x.kind == listInts && y.kind == listInts:
		return slices.Equal(x.words, y.words), true
	case x.kind == listBools && y.kind == listBools:
		return slices.Equal(x.flags, y.flags), true
	case x.kind == listFloats && y.kind == listFloats:
		// == as Equal compares floats: NaN equals nothing, -0.0 equals 0.0.
		return slices.Equal(x.reals, y.reals), true
	}
	return false, false
}

// cmpTyped orders two int lists as Python's list ordering does; ok is false
// when the comparison needs the generic path.
func cmpTyped(x, y *List) (c int, ok bool) {
	if x.kind == listInts && y.kind == listInts {
		return slices.Compare(x.words, y.words), true
	}
	return 0, false
}

// sort is list.sort. A typed list without a key sorts its store directly: equal
// ints (or bools) cannot be told apart, so an unstable sort gives Python's
// stable result.
func (l *List) sort(th *Thread, key Value, reverse bool) {
	hasKey := key != nil && key != None
	switch {
	case l.kind == listValues:
		sortValues(th, l.vals, key, reverse)
	case hasKey:
		items := l.items()
		sortValues(th, items, key, reverse)
		l.setAll(items)
	case l.kind == listInts:
		slices.Sort(l.words)
		if reverse {
			slices.Reverse(l.words)
		}
	case l.kind == listFloats:
		sortReals(th, l, reverse)
	default:
		sortFlags(l.flags, reverse)
	}
}

// sortReals sorts a float list without a key. Equal floats can be told apart
// (-0.0 and 0.0), so the sort is stable, reversed by its comparison as Python's
// reverse=True keeps equal items in their order; a NaN, unordered, takes the
// generic sort.
func sortReals(th *Thread, l *List, reverse bool) {
	if slices.ContainsFunc(l.reals, math.IsNaN) {
		items := l.items()
		sortValues(th, items, nil, reverse)
		l.setAll(items)
		return
	}
	if reverse {
		slices.SortStableFunc(l.reals, func(a, b float64) int { return cmp.Compare(b, a) })
	} else {
		slices.SortStableFunc(l.reals, cmp.Compare[float64])
	}
}

// sortFlags sorts bools: the Falses, then the Trues (reversed: the other way).
func sortFlags(flags []bool, reverse bool) {
	trues := 0
	for _, f := range flags {
		if f {
			trues++
		}
	}
	first, n := false, len(flags)-trues
	if reverse {
		first, n = true, trues
	}
	for i := range flags {
		flags[i] = first == (i < n)
	}
}

// sumInts adds an int list's elements to acc; rest is the index of the first
// element not added (the sum would overflow int64 there).
func sumInts(words []int64, acc int64) (sum int64, rest int) {
	for i, w := range words {
		s := acc + w
		if (s > acc) != (w > 0) {
			return acc, i
		}
		acc = s
	}
	return acc, len(words)
}

// extremeInt is the index of the smallest (largest when op is opGT) int, the
// first one on ties, as Python's min and max.
func extremeInt(words []int64, op cmpKind) int {
	best := 0
	for i, w := range words[1:] {
		if op == opGT && w > words[best] || op != opGT && w < words[best] {
			best = i + 1
		}
	}
	return best
}

// replaceRange replaces elements [start, stop) with those of src (not l).
func (l *List) replaceRange(start, stop int, src *List) {
	switch {
	case start == 0 && stop == l.Len():
		l.become(src.clone())
	case src.Len() == 0:
		l.deleteRange(start, stop)
	case l.kind == listInts && src.kind == listInts:
		l.words = slices.Replace(l.words, start, stop, src.words...)
	case l.kind == listBools && src.kind == listBools:
		l.flags = slices.Replace(l.flags, start, stop, src.flags...)
	case l.kind == listFloats && src.kind == listFloats:
		l.reals = slices.Replace(l.reals, start, stop, src.reals...)
	default:
		l.generalize()
		l.vals = slices.Replace(l.vals, start, stop, src.items()...)
	}
}

// deleteSlice deletes the elements of l[start:stop:step], bounds from sliceIndices.
func (l *List) deleteSlice(start, stop, step int64) {
	if step < 0 { // the same elements, visited upwards
		if start <= stop {
			return
		}
		n := (start - stop - 1) / -step
		start, stop, step = start+n*step, start+1, -step
	}
	if start >= stop {
		return
	}
	if step == 1 {
		l.deleteRange(int(start), int(stop))
		return
	}
	keep := func(i int) bool { return int64(i) < start || int64(i) >= stop || (int64(i)-start)%step != 0 }
	switch l.kind {
	case listInts:
		l.words = compactKept(l.words, keep)
	case listBools:
		l.flags = compactKept(l.flags, keep)
	case listFloats:
		l.reals = compactKept(l.reals, keep)
	default:
		l.vals = compactKept(l.vals, keep)
	}
}

// compactKept keeps, in place, the elements of s whose index keep accepts.
func compactKept[E any](s []E, keep func(int) bool) []E {
	out := s[:0]
	for i, e := range s {
		if keep(i) {
			out = append(out, e)
		}
	}
	clear(s[len(out):])
	return out
}

// listFrom is list(v): a copy of v's items, unboxed when they allow it.
func listFrom(th *Thread, v Value) *List {
	switch x := v.(type) {
	case *List:
		return x.clone()
	case *Range:
		n := x.Len()
		if n == 0 {
			break
		}
		th.Reserve(n, 8)
		words := make([]int64, n)
		for i := range words {
			words[i] = x.At(int64(i))
		}
		return newIntList(words)
	}
	return newListOf(ToSlice(th, v))
}

// sumIntList starts sum(src, acc): an int list is added without boxing its
// elements, as far as int64 holds. What is left to add is returned as rest.
func sumIntList(acc, src Value) (sum, rest Value) {
	l, ok := src.(*List)
	x, isInt := acc.(Int)
	if !ok || !isInt || l.kind != listInts {
		return acc, src
	}
	s, done := sumInts(l.words, int64(x))
	return MakeInt(s), newIntList(l.words[done:])
}

// soleIntList is args' only argument when it is an int list, nil otherwise.
func soleIntList(args []Value) *List {
	if len(args) != 1 {
		return nil
	}
	if l, ok := args[0].(*List); ok && l.kind == listInts {
		return l
	}
	return nil
}

// boxLarge boxes w, an int outside the small-int table read from l's int store
// (an allocation, counted by countBoxedRead).
func (l *List) boxLarge(w int64) Value {
	l.countBoxedRead()
	return Int(w)
}

// countBoxedRead counts a read of l's typed store that allocates a box. Once l
// has paid for as many of them as it has elements, it is read more than it is
// written, and it moves to the generic store, where its boxes are made once and
// kept.
func (l *List) countBoxedRead() {
	l.largeReads++
	if int(l.largeReads) > l.Len() {
		l.generalize()
	}
}
