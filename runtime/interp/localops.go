package interp

import "github.com/jacscale/jac/runtime/syntax"

// Closures specialized for operands that are local variables or int literals:
// `n < 2`, `i + 1`, `x == w`, `self.x` read the frame slot in place instead of
// calling the operand's closure. Each falls back to the generic closure of the
// same expression when an operand is not an int (or the local is unbound, or the
// result overflows), so errors and results are the generic ones.

// localSlot returns the frame slot of e when it is a plain local variable.
func (c *compiler) localSlot(e syntax.Expr) (int, bool) {
	id, ok := e.(*syntax.Ident)
	if !ok {
		return 0, false
	}
	b := c.lookup(id.Name)
	return b.slot, b.kind == bindLocal
}

// smallIntConst returns the value of e when it is an int literal in the small-int
// range (no box is ever made for it).
func (c *compiler) smallIntConst(e syntax.Expr) (int64, bool) {
	k, ok := e.(*syntax.Const)
	if !ok || k.Kind != syntax.INT {
		return 0, false
	}
	i, ok := c.constant(k).(Int)
	return int64(i), ok && i >= smallIntMin && i < smallIntMax
}

// localCond specializes a one-operator int comparison of a local with a small
// int literal or with another local; slow is the generic closure.
func (c *compiler) localCond(cmp *syntax.Compare, slow func(*Frame) bool) func(*Frame) bool {
	a, ok := c.localSlot(cmp.Elts[0])
	if !ok {
		return slow
	}
	if k, ok := c.smallIntConst(cmp.Elts[1]); ok {
		return localConstCond(a, k, cmp.Ops[0], slow)
	}
	b, ok := c.localSlot(cmp.Elts[1])
	if !ok {
		return slow
	}
	op := cmp.Ops[0]
	if _, ok := compareOrdered(op, int64(0), 0); !ok {
		return slow
	}
	return func(fr *Frame) bool {
		if x, ok := fr.locals[a].(Int); ok {
			if y, ok := fr.locals[b].(Int); ok {
				r, _ := compareOrdered(op, int64(x), int64(y))
				return r
			}
		}
		return slow(fr)
	}
}

func localConstCond(slot int, k int64, op syntax.CmpOp, slow func(*Frame) bool) func(*Frame) bool {
	switch op {
	case syntax.CmpLT:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) < k
			}
			return slow(fr)
		}
	case syntax.CmpLE:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) <= k
			}
			return slow(fr)
		}
	case syntax.CmpGT:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) > k
			}
			return slow(fr)
		}
	case syntax.CmpGE:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) >= k
			}
			return slow(fr)
		}
	case syntax.CmpEQ:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) == k
			}
			return slow(fr)
		}
	case syntax.CmpNE:
		return func(fr *Frame) bool {
			if x, ok := fr.locals[slot].(Int); ok {
				return int64(x) != k
			}
			return slow(fr)
		}
	}
	return slow
}

// localBinary specializes `local + k` and `local - k` for a small int literal k;
// slow is the generic closure.
func (c *compiler) localBinary(x *syntax.Binary, slow exprFn) exprFn {
	slot, ok := c.localSlot(x.X)
	if !ok {
		return slow
	}
	k, ok := c.smallIntConst(x.Y)
	if !ok {
		return slow
	}
	switch x.Op {
	case syntax.PLUS:
		return func(fr *Frame) Value {
			if v, ok := fr.locals[slot].(Int); ok {
				if s := int64(v) + k; (s > int64(v)) == (k > 0) {
					return MakeInt(s)
				}
			}
			return slow(fr)
		}
	case syntax.MINUS:
		return func(fr *Frame) Value {
			if v, ok := fr.locals[slot].(Int); ok {
				if s := int64(v) - k; (s < int64(v)) == (k > 0) {
					return MakeInt(s)
				}
			}
			return slow(fr)
		}
	}
	return slow
}

// localNum is a numeric leaf that is a local variable.
func localNum(slot int, slow exprFn) numFn {
	return func(fr *Frame) (num, Value) {
		if v := fr.locals[slot]; v != nil {
			return unboxNum(v)
		}
		return unboxNum(slow(fr))
	}
}

// localFieldRead is `v.name` for a local v: an archetype field is read through a
// per-site cache of the class's field slot; anything else is GetAttr. obj is the
// generic load of v (it raises for an unbound local).
func localFieldRead(slot int, name string, pos syntax.Pos, obj exprFn) exprFn {
	site := &fieldSite{name: name}
	return func(fr *Frame) Value {
		o := fr.locals[slot]
		if inst, ok := o.(*Instance); ok {
			if v, ok := site.read(inst); ok {
				return v
			}
		} else if o == nil {
			o = obj(fr)
		}
		fr.pos = pos
		return GetAttr(fr.th, o, name)
	}
}

// localIndex specializes `xs[i]` for two locals: a list and an int index in
// range are read in place; generic is the closure for everything else.
func (c *compiler) localIndex(x *syntax.Index, generic exprFn) exprFn {
	o, ok := c.localSlot(x.X)
	if !ok {
		return generic
	}
	k, ok := c.localSlot(x.Index)
	if !ok {
		return generic
	}
	return func(fr *Frame) Value {
		if v, ok := listItem(fr.locals[o], fr.locals[k]); ok {
			return v
		}
		return generic(fr)
	}
}
