package interp

import "github.com/jacscale/jac/runtime/syntax"

// Loops that unpack each item of zip(...), enumerate(...) or dict.items() into
// a target list of the same length take the item's parts straight from the
// iterator, without building the tuple (which nothing else could see): the
// iterator is checked at run time, so a shadowed zip, an items() of a dict
// subclass that overrides it, or a different target length take the generic
// path (and its ValueError messages).

// zipIter is the iterator zip(...) returns.
type zipIter struct {
	its    []Iterator
	strict bool
}

func (*zipIter) Class() *Class { return IteratorClass }

func (z *zipIter) Next(th *Thread) (Value, bool) {
	if len(z.its) == 0 {
		return nil, false
	}
	t := make(Tuple, len(z.its))
	if !z.fill(th, t) {
		return nil, false
	}
	return t, true
}

// fill takes the next item of every iterator into out (len(out) == len(z.its)),
// reporting false when one ran out.
func (z *zipIter) fill(th *Thread, out []Value) bool {
	for i, it := range z.its {
		v, ok := it.Next(th)
		if !ok {
			if z.strict {
				zipStrictCheck(th, z.its, i)
			}
			return false
		}
		out[i] = v
	}
	return true
}

// enumIter is the iterator enumerate(...) returns.
type enumIter struct {
	it Iterator
	i  int64
}

func (*enumIter) Class() *Class { return IteratorClass }

func (e *enumIter) Next(th *Thread) (Value, bool) {
	v, ok := e.it.Next(th)
	if !ok {
		return nil, false
	}
	e.i++
	return Tuple{MakeInt(e.i - 1), v}, true
}

// unpackTarget is a loop target list without a starred name: each part of an
// item goes to its own target, a local slot directly when it is one.
type unpackTarget struct {
	slots []int // -1: use sets[i]
	sets  []func(*Frame, Value)
}

// unpackTargetOf returns the unpackTarget of a tuple or list target of two or
// more elements, none starred; nil otherwise.
func (c *compiler) unpackTargetOf(t syntax.Expr) *unpackTarget {
	var elts []syntax.Expr
	switch x := t.(type) {
	case *syntax.TupleExpr:
		elts = x.Elts
	case *syntax.ListExpr:
		elts = x.Elts
	default:
		return nil
	}
	if len(elts) < 2 {
		return nil
	}
	for _, e := range elts {
		if _, ok := e.(*syntax.Starred); ok {
			return nil
		}
	}
	u := &unpackTarget{slots: make([]int, len(elts)), sets: make([]func(*Frame, Value), len(elts))}
	for i, e := range elts {
		u.slots[i] = -1
		if slot, ok := c.localSlot(e); ok {
			u.slots[i] = slot
		}
		u.sets[i] = c.assignTo(e)
	}
	return u
}

// assign stores vals in the targets, left to right.
func (u *unpackTarget) assign(fr *Frame, vals []Value) {
	for i, v := range vals {
		if s := u.slots[i]; s >= 0 {
			fr.locals[s] = v
		} else {
			u.sets[i](fr, v)
		}
	}
}

// iterateUnpacked runs each (with the parts of one item, which it must not keep)
// over the items of seq when seq is a zip of n iterables, an enumerate (n == 2)
// or a dict's items() (n == 2), reporting whether it did; each returns false to
// stop.
func iterateUnpacked(th *Thread, seq Value, n int, each func([]Value) bool) bool {
	var buf [4]Value
	switch s := seq.(type) {
	case *zipIter:
		if len(s.its) != n {
			return false
		}
		var vals []Value
		if n <= len(buf) {
			vals = buf[:n]
		} else {
			vals = make([]Value, n)
		}
		for s.fill(th, vals) {
			if !each(vals) {
				return true
			}
			th.Poll()
		}
		return true
	case *enumIter:
		if n != 2 {
			return false
		}
		for {
			v, ok := s.it.Next(th)
			if !ok {
				return true
			}
			s.i++
			buf[0], buf[1] = MakeInt(s.i-1), v
			if !each(buf[:2]) {
				return true
			}
			th.Poll()
		}
	case *DictView:
		if n != 2 || s.kind != 2 {
			return false
		}
		it := dictIter{d: s.d, kind: 2, size: s.d.live, left: s.d.live}
		for {
			e := it.nextEntry(th)
			if e == nil {
				return true
			}
			buf[0], buf[1] = e.key, e.val
			if !each(buf[:2]) {
				return true
			}
		}
	}
	return false
}
