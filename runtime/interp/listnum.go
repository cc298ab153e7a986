package interp

import "github.com/jacscale/jac/runtime/syntax"

// Arithmetic on list elements without boxes: `xs[i]` as an operand of an
// arithmetic tree (numeric.go) reads an int or float store unboxed, and
// `xs[i] = <arith>` and `xs[i] op= <value>` write an int or float result
// straight into the store that holds its kind. Any other container, index or
// result takes the boxed path: GetItem, InPlace and SetItem, which generalise
// the list when the stored value is of another kind.

// listSlot is o as a list and k as an in-range index of it, when they are.
func listSlot(o, k Value) (*List, int, bool) {
	l, ok := o.(*List)
	if !ok {
		return nil, 0, false
	}
	i, ok := k.(Int)
	if !ok {
		return nil, 0, false
	}
	j, ok := normIndex(int64(i), int64(l.Len()))
	return l, int(j), ok
}

// elemNum is element j of an int or float store, unboxed.
func (l *List) elemNum(j int) (num, bool) {
	switch l.kind {
	case listInts:
		return intNum(l.words[j]), true
	case listFloats:
		return floatNum(l.reals[j]), true
	}
	return num{}, false
}

// setNum stores n as element j (j < Len()) when l's store holds n's kind
// unboxed, and reports whether it did.
func (l *List) setNum(j int, n num) bool {
	switch {
	case n.kind == numFloat && l.kind == listFloats:
		l.reals[j] = n.f
	case n.kind == numInt && l.kind == listInts:
		l.words[j] = n.i
	default:
		return false
	}
	return true
}

// isItemRead reports whether e is o[k] that numIndex compiles (not a slice,
// not null-safe).
func isItemRead(e syntax.Expr) bool {
	x, ok := e.(*syntax.Index)
	if !ok || x.NullSafe {
		return false
	}
	_, slice := x.Index.(*syntax.Slice)
	return !slice
}

// numIndex is o[k] for an arithmetic consumer.
func (c *compiler) numIndex(x *syntax.Index) numFn {
	obj, key, pos := c.expr(x.X), c.expr(x.Index), x.Start()
	return func(fr *Frame) (num, Value) {
		o, k := obj(fr), key(fr)
		if l, j, ok := listSlot(o, k); ok {
			if n, ok := l.elemNum(j); ok {
				return n, nil
			}
			return unboxNum(l.at(j))
		}
		fr.pos = pos
		return unboxNum(GetItem(fr.th, o, k))
	}
}

// numStoreItem compiles `o[k] = value` for an arithmetic value (no call): the
// value, then o, then k, as Python evaluates them.
func (c *compiler) numStoreItem(t *syntax.Index, value syntax.Expr, pos syntax.Pos) stmtFn {
	val, obj, key := c.numeric(value), c.expr(t.X), c.expr(t.Index)
	return func(fr *Frame) ctrl {
		fr.pos = pos
		n, v := val(fr)
		o, k := obj(fr), key(fr)
		if l, j, ok := listSlot(o, k); ok && l.setNum(j, n) {
			return ctrlNone
		}
		fr.pos = pos
		SetItem(fr.th, o, k, boxed(n, v))
		return ctrlNone
	}
}

// numAugItem compiles `o[k] op= value` for a value without calls: o, k, the
// current item, then the value, as Python evaluates them. An int or float
// item of a typed store and a number value are combined unboxed; the result is
// stored unboxed when the store (which the value may have changed) still
// holds its kind.
func (c *compiler) numAugItem(x *syntax.AugAssign, t *syntax.Index) stmtFn {
	obj, key, val := c.expr(t.X), c.expr(t.Index), c.numeric(x.Value)
	op, pos := x.Op, x.P
	return func(fr *Frame) ctrl {
		fr.pos = pos
		o, k := obj(fr), key(fr)
		var cur Value
		if l, j, ok := listSlot(o, k); ok {
			if n, ok := l.elemNum(j); ok {
				r, rv := val(fr)
				if r.kind != numBoxed {
					if res, ok := rawArith(op, n, r); ok {
						if j < l.Len() && l.setNum(j, res) {
							return ctrlNone
						}
						fr.pos = pos
						SetItem(fr.th, o, k, res.box())
						return ctrlNone
					}
				}
				fr.pos = pos
				SetItem(fr.th, o, k, inPlaceValues(fr.th, op, n.box(), boxed(r, rv)))
				return ctrlNone
			}
			cur = l.at(j)
		} else {
			cur = GetItem(fr.th, o, k)
		}
		r, rv := val(fr)
		fr.pos = pos
		SetItem(fr.th, o, k, inPlaceValues(fr.th, op, cur, boxed(r, rv)))
		return ctrlNone
	}
}
