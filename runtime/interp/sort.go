package interp

import "slices"

// Sorting: Python's stable sort with an optional key. The items are not moved
// while sorting; a permutation of their indexes is (4 bytes an element and no
// pointer writes, so no write barriers while the GC runs), compared through
// the keys: unboxed when they are all ints, directly when all floats or strs,
// element by element when all tuples, with Python's < otherwise.

// sortValues sorts items in place, stably, with an optional key function.
func sortValues(th *Thread, items []Value, key Value, reverse bool) {
	keys := items
	if key != nil && key != None {
		keys = make([]Value, len(items))
		for i := range items {
			keys[i] = th.callStack(key, items[i:i+1])
		}
	}
	if len(items) < 2 {
		return
	}
	less := sortLess(th, keys)
	if reverse {
		fwd := less
		less = func(a, b int32) bool { return fwd(b, a) }
	}
	perm := make([]int32, len(items))
	for i := range perm {
		perm[i] = int32(i)
	}
	mergeSort(th, perm, make([]int32, len(perm)), less)
	permute(items, perm)
}

// permute rearranges items in place so that items[i] is the old items[perm[i]],
// one cycle of the permutation at a time; perm is used up.
func permute(items []Value, perm []int32) {
	for i := range perm {
		if perm[i] < 0 {
			continue
		}
		first, j := items[i], i
		for {
			k := int(perm[j])
			perm[j] = -1
			if k == i {
				items[j] = first
				break
			}
			items[j], j = items[k], k
		}
	}
}

// sortLess picks the comparison of keys[a] and keys[b]: direct when the keys
// are all ints, all floats or all strs, element-wise when all tuples, Python's
// < otherwise.
func sortLess(th *Thread, keys []Value) func(a, b int32) bool {
	switch keys[0].(type) {
	case Int:
		if ks, ok := unboxAll[Int](keys); ok {
			return func(a, b int32) bool { return ks[a] < ks[b] }
		}
	case Str:
		if ks, ok := unboxAll[Str](keys); ok {
			return func(a, b int32) bool { return ks[a] < ks[b] }
		}
	case Float: // NaN compares false both ways, as Python's < does
		if ks, ok := unboxAll[Float](keys); ok {
			return func(a, b int32) bool { return ks[a] < ks[b] }
		}
	case Tuple:
		if ks, ok := unboxAll[Tuple](keys); ok {
			if cols, ok := tupleColumns(ks); ok {
				return cols.less
			}
			return func(a, b int32) bool { return tupleLess(th, ks[a], ks[b]) }
		}
	case *Instance:
		return instanceLess(th, keys)
	}
	return func(a, b int32) bool { return Less(th, keys[a], keys[b]) }
}

// instanceLess is Python's < for keys that are instances: the class's __lt__ is
// looked up once for a run of left operands of the same class (again when the
// class differs or a class attribute was set since: classEpoch) and, when it is
// a plain Jac function, called through the fast path. NotImplemented goes on to
// the reflected __gt__ and TypeError as Compare does; other left operands take
// Less.
func instanceLess(th *Thread, keys []Value) func(a, b int32) bool {
	var cls *Class
	var epoch uint64
	var lt *Function // nil: cls has no __lt__ that fastCallOf takes
	return func(a, b int32) bool {
		x, ok := keys[a].(*Instance)
		if !ok {
			return Less(th, keys[a], keys[b])
		}
		if e := classEpoch.Load(); x.cls != cls || e != epoch {
			cls, epoch, lt = x.cls, e, nil
			m, _ := cls.Lookup("__lt__")
			if f, ok := fastCallOf(m, 2); ok {
				lt = f
			}
		}
		if lt == nil {
			return Less(th, x, keys[b])
		}
		fr := th.newFrame(lt, lt.code)
		fr.locals[0], fr.locals[1] = x, keys[b]
		if r := th.valueOrThrow(th.invokeFast(fr)); r != NotImplemented {
			return Truth(th, r)
		}
		return compareReflected(th, x, keys[b], opLT)
	}
}

// unboxAll is the keys as Ts, ok false when one of them is not a T.
func unboxAll[T Value](keys []Value) ([]T, bool) {
	out := make([]T, len(keys))
	for i, k := range keys {
		x, ok := k.(T)
		if !ok {
			return nil, false
		}
		out[i] = x
	}
	return out, true
}

// tupleLess is Python's a < b for tuples: the first elements that differ decide,
// compared directly when they are ints, floats or strs of the same type.
func tupleLess(th *Thread, a, b Tuple) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		c, ok := cmpScalar(a[i], b[i])
		if !ok {
			return Less(th, a[i:], b[i:])
		}
		if c != 0 {
			return c < 0
		}
	}
	return len(a) < len(b)
}

// keyColumns are tuple keys of one length taken apart by position, each position
// holding ints, floats (no NaN) or strs only: compared without boxes.
type keyColumns []keyColumn

// keyColumn is one position of the tuple keys; one of its slices is set.
type keyColumn struct {
	ints   []Int
	floats []Float
	strs   []Str
}

// tupleColumns takes keys apart by position; ok is false when their lengths
// differ or a position mixes types (or holds a NaN, a bool, anything else).
func tupleColumns(keys []Tuple) (keyColumns, bool) {
	width := len(keys[0])
	cols := make(keyColumns, width)
	for _, k := range keys {
		if len(k) != width {
			return nil, false
		}
	}
	for j := range cols {
		switch keys[0][j].(type) {
		case Int:
			var ok bool
			if cols[j].ints, ok = unboxColumn[Int](keys, j); !ok {
				return nil, false
			}
		case Float:
			var ok bool
			cols[j].floats, ok = unboxColumn[Float](keys, j)
			if !ok || slices.ContainsFunc(cols[j].floats, func(f Float) bool { return f != f }) {
				return nil, false
			}
		case Str:
			var ok bool
			if cols[j].strs, ok = unboxColumn[Str](keys, j); !ok {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return cols, true
}

// unboxColumn is position j of every key as a T, ok false when one is not a T.
func unboxColumn[T Value](keys []Tuple, j int) ([]T, bool) {
	out := make([]T, len(keys))
	for i, k := range keys {
		x, ok := k[j].(T)
		if !ok {
			return nil, false
		}
		out[i] = x
	}
	return out, true
}

// less is Python's keys[a] < keys[b] for the tuples: the first position that
// differs decides.
func (cols keyColumns) less(a, b int32) bool {
	for j := range cols {
		c := &cols[j]
		switch {
		case c.ints != nil:
			if x, y := c.ints[a], c.ints[b]; x != y {
				return x < y
			}
		case c.floats != nil:
			if x, y := c.floats[a], c.floats[b]; x != y {
				return x < y
			}
		default:
			if x, y := c.strs[a], c.strs[b]; x != y {
				return x < y
			}
		}
	}
	return false
}

// insertionSortRun is the run length mergeSort sorts by insertion first.
const insertionSortRun = 12

// pollEvery is how many merged elements a long sort goes between polls (request
// deadline, cancellation, memory), as a comparison may not call Jac code.
const pollEvery = 4096

// mergeSort sorts xs stably with about n·log2(n) comparisons (Python's sort
// makes as many: each comparison may call Jac code). tmp has xs's length.
// Runs that are already in order merge without comparisons beyond one check.
func mergeSort(th *Thread, xs, tmp []int32, less func(a, b int32) bool) {
	n := len(xs)
	for lo := 0; lo < n; lo += insertionSortRun {
		hi := min(lo+insertionSortRun, n)
		for i := lo + 1; i < hi; i++ {
			for j := i; j > lo && less(xs[j], xs[j-1]); j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		if lo%pollEvery == 0 {
			th.Poll()
		}
	}
	src, dst := xs, tmp
	for width := insertionSortRun; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			mergeRuns(th, dst[lo:hi], src[lo:mid], src[mid:hi], less)
		}
		src, dst = dst, src
	}
	if &src[0] != &xs[0] {
		copy(xs, src)
	}
}

// mergeRuns merges the sorted runs a and b into out, taking from a on ties.
func mergeRuns(th *Thread, out, a, b []int32, less func(x, y int32) bool) {
	if len(b) == 0 || len(a) == 0 || !less(b[0], a[len(a)-1]) {
		copy(out, a)
		copy(out[len(a):], b)
		return
	}
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if less(b[j], a[i]) {
			out[k] = b[j]
			j++
		} else {
			out[k] = a[i]
			i++
		}
		k++
		if k%pollEvery == 0 {
			th.Poll()
		}
	}
	k += copy(out[k:], a[i:])
	copy(out[k:], b[j:])
}
