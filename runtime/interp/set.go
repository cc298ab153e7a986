package interp

import (
	"encoding/binary"
	"math"
	"math/big"
	"sort"
)

// Sets are CPython's open-addressing hash table (Objects/setobject.c): the same
// table sizes, probe sequence, resizing and dummy entries. With Python's hash
// values for numbers and tuples, a set of ints iterates (and prints) in the same
// order as in CPython, e.g. {3, 1, 2} prints {1, 2, 3}.

const (
	setMinSize   = 8
	linearProbes = 9
	perturbShift = 5
)

// setEntry is a table slot: unused (key nil, hash 0), dummy (a deleted key: key
// nil, hash dummyHash) or active. 24 bytes: a dummy flag of its own would pad it
// to 32.
type setEntry struct {
	key  Value
	hash uint64
}

// dummyHash marks a dummy slot (an active slot's hash may be anything: only
// with a nil key does it mean dummy).
const dummyHash = 1

// isDummy reports whether e is the slot of a deleted key.
func (e *setEntry) isDummy() bool { return e.key == nil && e.hash == dummyHash }

// Set is a Python set (or frozenset when Frozen).
type Set struct {
	table  []setEntry // length a power of two
	fill   int        // active + dummy slots
	used   int        // active slots
	finger int        // where pop() starts looking
	Frozen bool
}

func (s *Set) Class() *Class {
	if s.Frozen {
		return FrozenSetClass
	}
	return SetClass
}

// NewSet creates an empty set.
func NewSet() *Set { return &Set{table: make([]setEntry, setMinSize)} }

// Add inserts v.
func (s *Set) Add(th *Thread, v Value) { s.add(th, v, Hash(th, v)) }

// Has reports membership.
func (s *Set) Has(th *Thread, v Value) bool { return s.find(th, v, Hash(th, v)) >= 0 }

// Len is the number of elements.
func (s *Set) Len() int { return s.used }

// Elems returns the elements in table order (CPython's iteration order).
func (s *Set) Elems() []Value {
	out := make([]Value, 0, s.used)
	for _, e := range s.table {
		if e.key != nil {
			out = append(out, e.key)
		}
	}
	return out
}

// Remove deletes v, reporting whether it was present.
func (s *Set) Remove(th *Thread, v Value) bool { return s.discard(th, v, Hash(th, v)) }

// Clear empties the set.
func (s *Set) Clear() {
	s.table = make([]setEntry, setMinSize)
	s.fill, s.used = 0, 0
}

// copySet is set.copy(): a new set merged from s.
func (s *Set) copySet() *Set {
	c := NewSet()
	c.Frozen = s.Frozen
	c.merge(nil, s)
	return c
}

func (s *Set) mask() uint64 { return uint64(len(s.table) - 1) }

// probe visits the slots of hash h in CPython's order (runs of linear probes,
// then perturbed jumps) until visit returns false.
func (s *Set) probe(h uint64, visit func(j int) bool) {
	mask := s.mask()
	i, perturb := h&mask, h
	for {
		probes := uint64(0)
		if i+linearProbes <= mask {
			probes = linearProbes
		}
		for j := i; j <= i+probes; j++ {
			if !visit(int(j)) {
				return
			}
		}
		perturb >>= perturbShift
		i = (i*5 + 1 + perturb) & mask
	}
}

// find returns the slot holding key, or -1.
func (s *Set) find(th *Thread, key Value, h uint64) int {
	ks, isStr := key.(Str)
	found := -1
	s.probe(h, func(j int) bool {
		e := &s.table[j]
		if e.key == nil {
			return e.isDummy() // an unused slot ends the search
		}
		if e.hash == h && setKeyEqual(th, e.key, key, ks, isStr) {
			found = j
			return false
		}
		return true
	})
	return found
}

// setKeyEqual is keyEqual as sets compare (Equal, which sees identity itself).
func setKeyEqual(th *Thread, key, k Value, ks Str, isStr bool) bool {
	if isStr {
		return strKeyEqual(th, key, ks)
	}
	return Equal(th, key, k)
}

// add is set_add_entry: the first dummy on the probe path is reused.
func (s *Set) add(th *Thread, key Value, h uint64) {
	free, slot := -1, -1
	s.probe(h, func(j int) bool {
		e := &s.table[j]
		switch {
		case e.key == nil && !e.isDummy():
			slot = j
			return false
		case e.key == nil:
			if free < 0 {
				free = j
			}
			return true
		case e.hash == h && Equal(th, e.key, key):
			return false // present
		}
		return true
	})
	switch {
	case slot < 0:
		return
	case free >= 0:
		s.table[free] = setEntry{key: key, hash: h}
		s.used++
	default:
		s.table[slot] = setEntry{key: key, hash: h}
		s.fill++
		s.used++
		if uint64(s.fill)*5 >= s.mask()*3 {
			s.resize(growth(s.used))
		}
	}
}

func growth(used int) int {
	if used > 50000 {
		return used * 2
	}
	return used * 4
}

// resize moves the active entries into a table of the smallest power of two
// (at least 8) greater than minUsed; dummies are dropped.
func (s *Set) resize(minUsed int) {
	size := setMinSize
	for size <= minUsed {
		size <<= 1
	}
	old := s.table
	s.table = make([]setEntry, size)
	s.fill = s.used
	for _, e := range old {
		if e.key != nil {
			s.insertClean(e.key, e.hash)
		}
	}
}

// insertClean places a key known to be absent in a table without dummies.
func (s *Set) insertClean(key Value, h uint64) {
	mask := s.mask()
	i, perturb := h&mask, h
	for {
		if s.table[i].key == nil {
			s.table[i] = setEntry{key: key, hash: h}
			return
		}
		if i+linearProbes <= mask {
			for j := i + 1; j <= i+linearProbes; j++ {
				if s.table[j].key == nil {
					s.table[j] = setEntry{key: key, hash: h}
					return
				}
			}
		}
		perturb >>= perturbShift
		i = (i*5 + 1 + perturb) & mask
	}
}

func (s *Set) discard(th *Thread, key Value, h uint64) bool {
	i := s.find(th, key, h)
	if i < 0 {
		return false
	}
	s.table[i] = setEntry{hash: dummyHash}
	s.used--
	return true
}

// merge is set_merge: o's entries into s, with CPython's shortcuts for an empty s.
func (s *Set) merge(th *Thread, o *Set) {
	if o.used == 0 {
		return
	}
	if uint64(s.fill+o.used)*5 >= s.mask()*3 {
		s.resize((s.used + o.used) * 2)
	}
	if s.fill == 0 && len(s.table) == len(o.table) && o.fill == o.used {
		copy(s.table, o.table)
		s.fill, s.used = o.fill, o.used
		return
	}
	if s.fill == 0 {
		s.fill, s.used = o.used, o.used
		for _, e := range o.table {
			if e.key != nil {
				s.insertClean(e.key, e.hash)
			}
		}
		return
	}
	for _, e := range o.table {
		if e.key != nil {
			s.add(th, e.key, e.hash)
		}
	}
}

// update is set_update_internal: another set merges, a plain dict's keys are
// added after one resize, anything else is iterated.
func (s *Set) update(th *Thread, v Value) {
	switch x := v.(type) {
	case *Set:
		s.merge(th, x)
		return
	case *Dict:
		if x.cls == nil || x.cls == DictClass {
			if uint64(s.fill+x.Len())*5 >= s.mask()*3 {
				s.resize((s.used + x.Len()) * 2)
			}
			for _, k := range x.Keys() {
				s.Add(th, k)
			}
			return
		}
	}
	Iterate(th, v, func(e Value) bool { s.Add(th, e); return true })
}

// pop removes the element CPython's set.pop() would (scanning from the finger).
func (s *Set) pop(th *Thread) Value {
	if s.used == 0 {
		th.Raise(KeyErrorClass, "pop from an empty set")
	}
	i := s.finger & int(s.mask())
	for s.table[i].key == nil {
		i++
		if i >= len(s.table) {
			i = 0
		}
	}
	v := s.table[i].key
	s.table[i] = setEntry{hash: dummyHash}
	s.used--
	s.finger = i + 1
	return v
}

// newSetFrom is set(iterable) of the class of proto (set or frozenset).
func newSetFrom(th *Thread, frozen bool, v Value) *Set {
	s := NewSet()
	s.Frozen = frozen
	s.update(th, v)
	return s
}

// intersection is set_intersection: iterate the smaller set (or the iterable),
// keeping the keys found in the other.
func (s *Set) intersection(th *Thread, other Value) *Set {
	out := NewSet()
	out.Frozen = s.Frozen
	if o, ok := other.(*Set); ok {
		big, small := s, o
		if o.used > s.used {
			big, small = o, s
		}
		for _, e := range small.table {
			if e.key != nil && big.find(th, e.key, e.hash) >= 0 {
				out.add(th, e.key, e.hash)
			}
		}
		return out
	}
	Iterate(th, other, func(k Value) bool {
		h := Hash(th, k)
		if s.find(th, k, h) >= 0 {
			out.add(th, k, h)
		}
		return true
	})
	return out
}

// difference is set_difference.
func (s *Set) difference(th *Thread, other Value) *Set {
	var contains func(k Value, h uint64) bool
	size := 0
	switch o := other.(type) {
	case *Set:
		size = o.used
		contains = func(k Value, h uint64) bool { return o.find(th, k, h) >= 0 }
	case *Dict:
		if o.cls == nil || o.cls == DictClass {
			size = o.Len()
			contains = func(k Value, _ uint64) bool { _, ok := o.Get(th, k); return ok }
		}
	}
	if contains == nil || s.used>>2 > size {
		out := s.copySet()
		out.differenceUpdate(th, other)
		return out
	}
	out := NewSet()
	out.Frozen = s.Frozen
	for _, e := range s.table {
		if e.key != nil && !contains(e.key, e.hash) {
			out.add(th, e.key, e.hash)
		}
	}
	return out
}

// differenceUpdate is set_difference_update_internal (then dummies are
// resized away when more than a quarter of the table).
func (s *Set) differenceUpdate(th *Thread, other Value) {
	if o, ok := other.(*Set); ok {
		if o == s {
			s.Clear()
			return
		}
		for _, e := range o.table {
			if e.key != nil {
				s.discard(th, e.key, e.hash)
			}
		}
	} else {
		Iterate(th, other, func(k Value) bool { s.Remove(th, k); return true })
	}
	if uint64(s.fill-s.used) > s.mask()/4 {
		s.resize(growth(s.used))
	}
}

// symmetricDifferenceUpdate is set_symmetric_difference_update.
func (s *Set) symmetricDifferenceUpdate(th *Thread, other Value) {
	o, ok := other.(*Set)
	if ok && o == s {
		s.Clear()
		return
	}
	if !ok {
		o = newSetFrom(th, false, other)
	}
	for _, e := range o.table {
		if e.key != nil && !s.discard(th, e.key, e.hash) {
			s.add(th, e.key, e.hash)
		}
	}
}

// symmetricDifference is set_symmetric_difference: a copy of other, updated by s.
func (s *Set) symmetricDifference(th *Thread, other Value) *Set {
	out := newSetFrom(th, s.Frozen, other)
	out.symmetricDifferenceUpdate(th, s)
	return out
}

// union is set_or / set.union: a copy of s updated by other.
func (s *Set) union(th *Thread, other Value) *Set {
	out := s.copySet()
	out.update(th, other)
	return out
}

// marshalOrdered rebuilds s adding its elements in CPython marshal's order for
// sets: sorted by each element's marshal serialization.
func marshalOrdered(th *Thread, s *Set) *Set {
	elems := s.Elems()
	keys := make([]string, len(elems))
	for i, e := range elems {
		keys[i] = string(marshalKey(e, nil))
	}
	idx := make([]int, len(elems))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	out := NewSet()
	out.Frozen = s.Frozen
	for _, i := range idx {
		out.Add(th, elems[i])
	}
	return out
}

// marshalKey appends the bytes CPython's marshal (version 4) writes for a
// constant. Objects with more than one reference get FLAG_REF (0x80) on their
// type byte; measured against the reference, that is the cached small ints
// (-5..256) and ints beyond 32 bits, not other ints, floats or tuples.
func marshalKey(v Value, b []byte) []byte {
	const flagRef = 0x80
	switch x := v.(type) {
	case NoneType:
		return append(b, 'N')
	case Bool:
		if x {
			return append(b, 'T')
		}
		return append(b, 'F')
	case Int:
		n := int64(x)
		if n >= math.MinInt32 && n <= math.MaxInt32 {
			t := byte('i')
			if n >= -5 && n <= 256 {
				t |= flagRef
			}
			return binary.LittleEndian.AppendUint32(append(b, t), uint32(int32(n)))
		}
		return marshalLong(big.NewInt(n), b, flagRef)
	case *BigInt:
		return marshalLong(x.v, b, flagRef)
	case Float:
		return binary.LittleEndian.AppendUint64(append(b, 'g'), math.Float64bits(float64(x)))
	case Str:
		if len(x) < 256 {
			return append(append(b, 'z', byte(len(x))), x...)
		}
		return append(binary.LittleEndian.AppendUint32(append(b, 'a'), uint32(len(x))), x...)
	case Tuple:
		if len(x) < 256 {
			b = append(b, ')', byte(len(x)))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, '('), uint32(len(x)))
		}
		for _, e := range x {
			b = marshalKey(e, b)
		}
		return b
	}
	return b
}

// marshalLong is TYPE_LONG: the count of 15-bit digits (negative for a negative
// number), then the digits, least significant first.
func marshalLong(n *big.Int, b []byte, flag byte) []byte {
	mag := new(big.Int).Abs(n)
	var digits []uint16
	for mag.Sign() > 0 {
		digits = append(digits, uint16(mag.Uint64()&0x7fff))
		mag.Rsh(mag, 15)
	}
	count := int32(len(digits))
	if n.Sign() < 0 {
		count = -count
	}
	b = binary.LittleEndian.AppendUint32(append(b, 'l'|flag), uint32(count))
	for _, d := range digits {
		b = binary.LittleEndian.AppendUint16(b, d)
	}
	return b
}
