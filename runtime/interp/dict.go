package interp

// Dict is an insertion-ordered hash map with Python key semantics (1 == 1.0 == True).
type Dict struct {
	entries []dictEntry
	index   map[uint64][]int32 // hash -> entry positions
	live    int
	Default Value // defaultdict factory (nil for a plain dict)
	cls     *Class
}

type dictEntry struct {
	key, val Value
	hash     uint64
	deleted  bool
}

func (d *Dict) Class() *Class {
	if d.cls != nil {
		return d.cls
	}
	return DictClass
}

// NewDict creates an empty dict.
func NewDict() *Dict { return &Dict{index: map[uint64][]int32{}} }

// NewDictOfClass creates an empty dict whose class is cls (a dict subclass).
func NewDictOfClass(cls *Class) *Dict { d := NewDict(); d.cls = cls; return d }

// Len is the number of keys.
func (d *Dict) Len() int { return d.live }

func (d *Dict) find(th *Thread, k Value, h uint64) int {
	for _, i := range d.index[h] {
		e := &d.entries[i]
		if !e.deleted && (Identical(e.key, k) || Equal(th, e.key, k)) {
			return int(i)
		}
	}
	return -1
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
	d.index[h] = append(d.index[h], int32(len(d.entries)))
	d.entries = append(d.entries, dictEntry{key: k, val: v, hash: h})
	d.live++
}

// SetStr sets a string key.
func (d *Dict) SetStr(k string, v Value) { d.Set(nil, Str(k), v) }

// Delete removes a key, reporting whether it was there.
func (d *Dict) Delete(th *Thread, k Value) (Value, bool) {
	h := Hash(th, k)
	i := d.find(th, k, h)
	if i < 0 {
		return nil, false
	}
	e := &d.entries[i]
	v := e.val
	e.deleted = true
	e.key, e.val = nil, nil
	pos := d.index[h]
	for j, p := range pos {
		if int(p) == i {
			pos = append(pos[:j], pos[j+1:]...)
			break
		}
	}
	if len(pos) == 0 {
		delete(d.index, h)
	} else {
		d.index[h] = pos
	}
	d.live--
	if len(d.entries) > 32 && d.live < len(d.entries)/2 {
		d.compact()
	}
	return v, true
}

func (d *Dict) compact() {
	old := d.entries
	d.entries = make([]dictEntry, 0, d.live)
	d.index = make(map[uint64][]int32, d.live)
	for _, e := range old {
		if !e.deleted {
			d.index[e.hash] = append(d.index[e.hash], int32(len(d.entries)))
			d.entries = append(d.entries, e)
		}
	}
}

// Clear removes every key.
func (d *Dict) Clear() {
	d.entries = nil
	d.index = map[uint64][]int32{}
	d.live = 0
}

// Items returns the key/value pairs in order.
func (d *Dict) Items() []KVPair {
	out := make([]KVPair, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted {
			out = append(out, KVPair{e.key, e.val})
		}
	}
	return out
}

// Keys returns the keys in order.
func (d *Dict) Keys() []Value {
	out := make([]Value, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted {
			out = append(out, e.key)
		}
	}
	return out
}

// Values returns the values in order.
func (d *Dict) Values() []Value {
	out := make([]Value, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted {
			out = append(out, e.val)
		}
	}
	return out
}

// Copy returns a shallow copy.
func (d *Dict) Copy() *Dict {
	n := &Dict{index: make(map[uint64][]int32, d.live), Default: d.Default, cls: d.cls}
	n.entries = make([]dictEntry, 0, d.live)
	for _, e := range d.entries {
		if !e.deleted {
			n.index[e.hash] = append(n.index[e.hash], int32(len(n.entries)))
			n.entries = append(n.entries, e)
		}
	}
	n.live = d.live
	return n
}

// popLast removes the last inserted item.
func (d *Dict) popLast(th *Thread) (KVPair, bool) {
	for i := len(d.entries) - 1; i >= 0; i-- {
		if !d.entries[i].deleted {
			p := KVPair{d.entries[i].key, d.entries[i].val}
			d.Delete(th, p.Key)
			return p, true
		}
	}
	return KVPair{}, false
}

// KVPair is a dict item.
type KVPair struct{ Key, Value Value }
