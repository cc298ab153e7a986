package interp

// Dicts and sets are iterated live, as CPython does: an iteration that sees the
// container change size raises RuntimeError at its next step, and a dict that
// has the same size but other keys (one deleted, one added) raises when the
// iteration finds more keys than it started with. Assigning to an existing key
// during the iteration is allowed. Without these checks a loop that adds a key
// for every key it visits never ends.

// dictIter iterates a dict's keys (kind 0), values (1) or (key, value) items (2).
type dictIter struct {
	d     *Dict
	kind  uint8
	pos   int // next entry to look at
	size  int // the dict's size when the iteration started
	left  int // keys not yet visited of those
	state dictIterState
}

type dictIterState uint8

const (
	dictIterRunning dictIterState = iota
	dictIterDone                  // exhausted: StopIteration from now on
	dictIterBroken                // the dict changed size: RuntimeError from now on
)

func newDictIter(d *Dict, kind uint8) *dictIter {
	return &dictIter{d: d, kind: kind, size: d.live, left: d.live}
}

func (*dictIter) Class() *Class { return IteratorClass }

// Next returns the next key, value or item, raising RuntimeError if the dict
// changed size since the iteration started or has keys it did not start with.
func (it *dictIter) Next(th *Thread) (Value, bool) {
	if it.state == dictIterDone {
		return nil, false
	}
	e := it.nextEntry(th)
	if e == nil {
		it.state = dictIterDone
		return nil, false
	}
	switch it.kind {
	case 0:
		return e.key, true
	case 1:
		return e.val, true
	}
	return Tuple{e.key, e.val}, true
}

// nextEntry is the next live entry, or nil at the end.
func (it *dictIter) nextEntry(th *Thread) *dictEntry {
	d := it.d
	if d.live != it.size || it.state == dictIterBroken {
		it.state = dictIterBroken
		th.Raise(RuntimeErrorClass, "dictionary changed size during iteration")
	}
	for ; it.pos < len(d.entries); it.pos++ {
		if e := &d.entries[it.pos]; !e.deleted() {
			if it.left == 0 {
				it.state = dictIterDone
				th.Raise(RuntimeErrorClass, "dictionary keys changed during iteration")
			}
			it.pos++
			it.left--
			return e
		}
	}
	return nil
}

// iterateDict calls fn with each key, value or item of d (kind as dictIter's)
// until fn returns false: Iterate's loop for dicts and their views, without an
// iterator object.
func iterateDict(th *Thread, d *Dict, kind uint8, fn func(Value) bool) {
	it := dictIter{d: d, kind: kind, size: d.live, left: d.live}
	for {
		e := it.nextEntry(th)
		if e == nil {
			return
		}
		var v Value
		switch kind {
		case 0:
			v = e.key
		case 1:
			v = e.val
		default:
			v = Tuple{e.key, e.val}
		}
		if !fn(v) {
			return
		}
	}
}

// setIter iterates a set's table in place.
type setIter struct {
	s    *Set
	pos  int
	size int
	done bool
}

func newSetIter(s *Set) *setIter { return &setIter{s: s, size: s.used} }

func (*setIter) Class() *Class { return IteratorClass }

// Next returns the next element, raising RuntimeError if the set changed size
// since the iteration started.
func (it *setIter) Next(th *Thread) (Value, bool) {
	if it.done {
		return nil, false
	}
	if it.s.used != it.size {
		it.done = true
		th.Raise(RuntimeErrorClass, "Set changed size during iteration")
	}
	for table := it.s.table; it.pos < len(table); it.pos++ {
		if k := table[it.pos].key; k != nil {
			it.pos++
			return k, true
		}
	}
	it.done = true
	return nil, false
}
