// Package copy implements Python's copy module: copy and deepcopy with the
// __copy__/__deepcopy__ protocol and a memo dict.
package copy

import (
	"github.com/jacscale/jac/runtime/interp"
)

// shallowCopy is copy.copy(v).
func shallowCopy(th *interp.Thread, v interp.Value) interp.Value {
	switch x := v.(type) {
	case *interp.List:
		return interp.NewList(append(make([]interp.Value, 0, x.Len()), x.Elems()...))
	case *interp.Dict:
		return x.Copy()
	case *interp.Set:
		return th.Call(x.Class(), []interp.Value{interp.NewList(x.Elems())}, nil)
	case *interp.Instance:
		if m, _ := x.Class().Lookup("__copy__"); m != nil {
			r, _ := th.CallMethod(x, "__copy__")
			return r
		}
		return interp.CopyInstance(th, x, nil, func(f interp.Value) interp.Value { return f })
	}
	return v
}

// deepCopier is one copy.deepcopy call. Its memo is CPython's: a dict from
// id(original) to the copy, so that shared references stay shared and a cyclic
// value is copied as a cycle, and that a __deepcopy__(memo) method can record
// its copy and pass the memo on to copy.deepcopy(item, memo); memo[id(memo)]
// is the list of originals kept alive (copy._keep_alive). Nesting deeper than
// the recursion limit raises RecursionError.
type deepCopier struct {
	th   *interp.Thread
	memo *interp.Dict
	id   interp.Value // the builtin id
	// recordState: the caller passed the memo, so it sees what the memo
	// holds afterwards; then a plain object's copied __dict__ is recorded
	// too, as CPython does. Otherwise that record is skipped: it cost 2.7x
	// the CPU of deep-copying plain objects (see copyInstance).
	recordState bool
}

func newDeepCopier(th *interp.Thread, memo *interp.Dict, callersMemo bool) *deepCopier {
	return &deepCopier{th: th, memo: memo, id: interp.LookupBuiltin("id"), recordState: callersMemo}
}

// isContainer reports whether v can hold references (others are atomic:
// their own copies, never recorded in the memo).
func isContainer(v interp.Value) bool {
	switch x := v.(type) {
	case *interp.List, *interp.Dict, *interp.Set, *interp.Instance:
		return true
	case interp.Tuple:
		return len(x) > 0
	}
	return false
}

// idOf is id(v), the memo's key.
func (c *deepCopier) idOf(v interp.Value) interp.Value {
	return c.th.Call(c.id, []interp.Value{v}, nil)
}

func (c *deepCopier) copy(v interp.Value) interp.Value {
	if !isContainer(v) {
		return v
	}
	key := c.idOf(v)
	if done, ok := c.memo.Get(c.th, key); ok {
		return done
	}
	c.th.EnterNested("")
	out := c.copyContainer(v, key)
	c.th.LeaveNested()
	if !interp.Identical(out, v) {
		c.memo.Set(c.th, key, out)
		c.keepAlive(v)
	}
	return out
}

// keepAlive appends x to memo[id(memo)], as CPython's copy._keep_alive does.
func (c *deepCopier) keepAlive(x interp.Value) {
	key := c.idOf(c.memo)
	if l, ok := c.memo.Get(c.th, key); ok {
		if list, ok := l.(*interp.List); ok {
			list.Append(x)
			return
		}
	}
	c.memo.Set(c.th, key, interp.NewList([]interp.Value{x}))
}

// copyContainer copies v, recording the copy in the memo before its items are
// copied when an item can refer back to it.
func (c *deepCopier) copyContainer(v interp.Value, key interp.Value) interp.Value {
	th := c.th
	switch x := v.(type) {
	case *interp.List:
		elems := x.Elems()
		out := interp.NewList(make([]interp.Value, len(elems)))
		c.memo.Set(th, key, out)
		for i, e := range elems {
			out.Elems()[i] = c.copy(e)
		}
		return out
	case *interp.Dict:
		d := x.Copy()
		c.memo.Set(th, key, d)
		for _, it := range x.Items() {
			d.Set(th, it.Key, c.copy(it.Value))
		}
		return d
	case interp.Tuple:
		out := make(interp.Tuple, len(x))
		same := true
		for i, e := range x {
			out[i] = c.copy(e)
			same = same && interp.Identical(out[i], e)
		}
		if done, ok := c.memo.Get(th, key); ok {
			return done // an item's copy reached back to this tuple
		}
		if same {
			return x
		}
		return out
	case *interp.Set:
		return c.copySet(x)
	case *interp.Instance:
		// A class's own __deepcopy__(memo) takes precedence, as in CPython.
		if m, _ := x.Class().Lookup("__deepcopy__"); m != nil {
			r, _ := th.CallMethod(x, "__deepcopy__", c.memo)
			return r
		}
		return c.copyInstance(x, key)
	}
	return v
}

// copySet deep-copies a set's items the way CPython's set.__reduce__ makes
// copy.deepcopy do: the constructor's argument, a list of the items, is
// deep-copied (so it lands in the memo) and the class is called with the copy.
func (c *deepCopier) copySet(x *interp.Set) interp.Value {
	items := c.copy(interp.NewList(x.Elems()))
	return c.th.Call(x.Class(), []interp.Value{items}, nil)
}

// copyInstance copies a plain object as CPython's copy._reconstruct does: the
// new object is recorded in the memo first, then its state (the __dict__) is
// deep-copied, which records the copied state in the memo too when the
// caller's memo will show it, and the fields take the copied values. An
// object that copies as itself (a node anchor, an enum member) builds no
// state. Measured on 5 deep copies of 20000 objects with a list field each:
// 0.12 s CPU without the state record, 0.36 s with it.
func (c *deepCopier) copyInstance(x *interp.Instance, key interp.Value) interp.Value {
	return interp.CopyInstance(c.th, x, func(n interp.Value) {
		c.memo.Set(c.th, key, n)
		if c.recordState {
			c.copy(interp.GetAttr(c.th, x, "__dict__"))
		}
	}, c.copy)
}

func init() {
	interp.RegisterModule("copy", func() *interp.Module {
		m := interp.NewModule("copy")
		m.Set("copy", interp.NewBuiltin("copy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return shallowCopy(th, a[0])
		}))
		m.Set("deepcopy", interp.NewBuiltin("deepcopy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "deepcopy", a, kw, "x", "memo?")
			memo, callers := p[1].(*interp.Dict)
			if !callers {
				if p[1] != nil && p[1] != interp.None {
					th.TypeError("'%s' object has no attribute 'get'", interp.TypeName(p[1]))
				}
				memo = interp.NewDict()
			}
			return newDeepCopier(th, memo, callers).copy(p[0])
		}))
		return m
	})
}
