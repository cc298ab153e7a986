package interp

// Dict is an insertion-ordered hash map with Python key semantics (1 == 1.0 == True).
//
// As CPython's dict, it keeps its entries in insertion order and finds them
// through a separate open-addressing table of entry positions (index), probed
// as CPython probes. A small dict has no table: up to dictLinear entries are
// scanned, comparing hashes first.
type Dict struct {
	entries []dictEntry // insertion order; a deleted entry has a nil key
	index   []int32     // power-of-two table of entry position+1 (0: empty); nil while small
	live    int
	Default Value // defaultdict factory (nil for a plain dict)
	cls     *Class
}

type dictEntry struct {
	key, val Value
	hash     uint64
}

// deleted reports whether the entry was removed (its slot stays until compaction).
func (e *dictEntry) deleted() bool { return e.key == nil }

// dictLinear is the most entries a dict scans without an index table.
const dictLinear = 8

func (d *Dict) Class() *Class {
	if d.cls != nil {
		return d.cls
	}
	return DictClass
}

// NewDict creates an empty dict.
func NewDict() *Dict { return &Dict{} }

// NewDictOfClass creates an empty dict whose class is cls (a dict subclass).
func NewDictOfClass(cls *Class) *Dict { d := NewDict(); d.cls = cls; return d }

// Len is the number of keys.
func (d *Dict) Len() int { return d.live }

// find returns the position of key k (with hash h) in entries, or -1. A str
// key, the common case, is compared with str entries as Go strings
// (strKeyEqual), without Identical and Equal.
func (d *Dict) find(th *Thread, k Value, h uint64) int {
	ks, isStr := k.(Str)
	if d.index == nil {
		for i := range d.entries {
			if e := &d.entries[i]; e.hash == h && e.key != nil && keyEqual(th, e.key, k, ks, isStr) {
				return i
			}
		}
		return -1
	}
	mask := uint64(len(d.index) - 1)
	slot, perturb := h&mask, h
	for {
		p := d.index[slot]
		if p == 0 {
			return -1
		}
		if e := &d.entries[p-1]; e.hash == h && e.key != nil && keyEqual(th, e.key, k, ks, isStr) {
			return int(p - 1)
		}
		perturb >>= perturbShift
		slot = (slot*5 + 1 + perturb) & mask
	}
}

// keyEqual reports whether the table key key (not nil) equals k; ks and isStr
// are k as a str, when it is one.
func keyEqual(th *Thread, key, k Value, ks Str, isStr bool) bool {
	if isStr {
		return strKeyEqual(th, key, ks)
	}
	return Identical(key, k) || Equal(th, key, k)
}

// strKeyEqual reports whether the table key key (not nil) equals the str k.
func strKeyEqual(th *Thread, key Value, k Str) bool {
	if s, ok := key.(Str); ok {
		return s == k
	}
	return Equal(th, key, k)
}

// indexEntry records entry position pos (hash h) in the first free slot of its
// probe sequence.
func (d *Dict) indexEntry(pos int, h uint64) {
	mask := uint64(len(d.index) - 1)
	slot, perturb := h&mask, h
	for d.index[slot] != 0 {
		perturb >>= perturbShift
		slot = (slot*5 + 1 + perturb) & mask
	}
	d.index[slot] = int32(pos + 1)
}

// reindex builds the index table for the current entries, at most a third full,
// or drops it when the dict is small enough to scan.
func (d *Dict) reindex() {
	n := len(d.entries)
	if n <= dictLinear {
		d.index = nil
		return
	}
	size := 16
	for size < 3*n {
		size <<= 1
	}
	d.index = make([]int32, size)
	for i := range d.entries {
		if !d.entries[i].deleted() {
			d.indexEntry(i, d.entries[i].hash)
		}
	}
}

// Get looks a key up.
func (d *Dict) Get(th *Thread, k Value) (Value, bool) {
	h := Hash(th, k)
	if i := d.find(th, k, h); i >= 0 {
		return d.entries[i].val, true
	}
	return nil, false
}

// GetStr looks a string key up.
func (d *Dict) GetStr(k string) (Value, bool) { return d.Get(nil, Str(k)) }

// Set inserts or replaces a key.
func (d *Dict) Set(th *Thread, k, v Value) {
	h := Hash(th, k)
	if i := d.find(th, k, h); i >= 0 {
		d.entries[i].val = v
		return
	}
	d.entries = append(d.entries, dictEntry{key: k, val: v, hash: h})
	d.live++
	switch n := len(d.entries); {
	case d.index == nil && n <= dictLinear:
	case d.index == nil || 3*n > 2*len(d.index):
		d.reindex()
	default:
		d.indexEntry(n-1, h)
	}
}

// SetStr sets a string key.
func (d *Dict) SetStr(k string, v Value) { d.Set(nil, Str(k), v) }

// Delete removes a key, reporting whether it was there. The entry's table slot
// keeps pointing at it, so probes pass over it, until the dict is compacted.
func (d *Dict) Delete(th *Thread, k Value) (Value, bool) {
	h := Hash(th, k)
	i := d.find(th, k, h)
	if i < 0 {
		return nil, false
	}
	e := &d.entries[i]
	v := e.val
	e.key, e.val = nil, nil
	d.live--
	if len(d.entries) > 32 && d.live < len(d.entries)/2 {
		d.compact()
	}
	return v, true
}

// compact drops the deleted entries and rebuilds the index.
func (d *Dict) compact() {
	old := d.entries
	d.entries = make([]dictEntry, 0, d.live)
	for _, e := range old {
		if !e.deleted() {
			d.entries = append(d.entries, e)
		}
	}
	d.reindex()
}

// Clear removes every key.
func (d *Dict) Clear() {
	d.entries = nil
	d.index = nil
	d.live = 0
}

// Items returns the key/value pairs in order.
func (d *Dict) Items() []KVPair {
	out := make([]KVPair, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted() {
			out = append(out, KVPair{e.key, e.val})
		}
	}
	return out
}

// Keys returns the keys in order.
func (d *Dict) Keys() []Value {
	out := make([]Value, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted() {
			out = append(out, e.key)
		}
	}
	return out
}

// Values returns the values in order.
func (d *Dict) Values() []Value {
	out := make([]Value, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted() {
			out = append(out, e.val)
		}
	}
	return out
}

// Copy returns a shallow copy.
func (d *Dict) Copy() *Dict {
	n := &Dict{Default: d.Default, cls: d.cls, live: d.live}
	n.entries = make([]dictEntry, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted() {
			n.entries = append(n.entries, e)
		}
	}
	n.reindex()
	return n
}

// popLast removes the last inserted item.
func (d *Dict) popLast(th *Thread) (KVPair, bool) {
	for i := len(d.entries) - 1; i >= 0; i-- {
		if !d.entries[i].deleted() {
			p := KVPair{d.entries[i].key, d.entries[i].val}
			d.Delete(th, p.Key)
			return p, true
		}
	}
	return KVPair{}, false
}

// KVPair is a dict item.
type KVPair struct{ Key, Value Value }

// reserve makes room in an empty dict for n entries: a comprehension over a
// source of known length builds it without regrowing entries or table.
func (d *Dict) reserve(n int) {
	if len(d.entries) > 0 || n <= dictLinear {
		return
	}
	d.entries = make([]dictEntry, 0, n)
	size := 16
	for 2*size < 3*n {
		size <<= 1
	}
	d.index = make([]int32, size)
}

// fitReserved gives back the room reserve made when the keys turned out to be
// far fewer than the source's items (a comprehension whose keys repeat).
func (d *Dict) fitReserved() {
	if cap(d.entries) <= 64 || cap(d.entries) < 4*len(d.entries) {
		return
	}
	d.entries = append([]dictEntry(nil), d.entries...)
	d.reindex()
}
