// Package copy implements Python's copy module: copy and deepcopy with the
// __copy__/__deepcopy__ protocol and a memo dict.
package copy

import (
	"github.com/jacscale/jac/runtime/interp"
)

// The copy module: copy.copy and copy.deepcopy.

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

// deepCopier is one copy.deepcopy call: its memo maps each container already
// copied to its copy, so that shared references stay shared and a cyclic value
// is copied as a cycle (as CPython's memo does). Nesting deeper than the
// recursion limit raises RecursionError.
type deepCopier struct {
	th   *interp.Thread
	memo map[any]interp.Value
}

func newDeepCopier(th *interp.Thread) *deepCopier {
	return &deepCopier{th: th, memo: map[any]interp.Value{}}
}

// memoKey identifies a container by identity: its pointer, or for a tuple the
// address of its first item.
func memoKey(v interp.Value) (any, bool) {
	switch x := v.(type) {
	case *interp.List, *interp.Dict, *interp.Set, *interp.Instance:
		return x, true
	case interp.Tuple:
		if len(x) > 0 {
			return &x[0], true
		}
	}
	return nil, false
}

func (c *deepCopier) copy(v interp.Value) interp.Value {
	key, ok := memoKey(v)
	if !ok {
		return v // immutable scalars are their own copies
	}
	if done, ok := c.memo[key]; ok {
		return done
	}
	c.th.EnterNested("")
	out := c.copyContainer(v, key)
	c.th.LeaveNested()
	c.memo[key] = out
	return out
}

// copyContainer copies v, recording the copy in the memo before its items are
// copied when an item can refer back to it.
func (c *deepCopier) copyContainer(v interp.Value, key any) interp.Value {
	th := c.th
	switch x := v.(type) {
	case *interp.List:
		elems := x.Elems()
		out := interp.NewList(make([]interp.Value, len(elems)))
		c.memo[key] = out
		for i, e := range elems {
			out.Elems()[i] = c.copy(e)
		}
		return out
	case *interp.Dict:
		d := x.Copy()
		c.memo[key] = d
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
		if done, ok := c.memo[key]; ok {
			return done // an item's copy reached back to this tuple
		}
		if same {
			return x
		}
		return out
	case *interp.Set:
		return th.Call(x.Class(), []interp.Value{interp.NewList(x.Elems())}, nil)
	case *interp.Instance:
		// A class's own __deepcopy__(memo) takes precedence, as in CPython.
		if m, _ := x.Class().Lookup("__deepcopy__"); m != nil {
			r, _ := th.CallMethod(x, "__deepcopy__", interp.NewDict())
			return r
		}
		return interp.CopyInstance(th, x, func(n interp.Value) { c.memo[key] = n }, c.copy)
	}
	return v
}

func init() {
	interp.RegisterModule("copy", func() *interp.Module {
		m := interp.NewModule("copy")
		m.Set("copy", interp.NewBuiltin("copy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return shallowCopy(th, a[0])
		}))
		m.Set("deepcopy", interp.NewBuiltin("deepcopy", func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return newDeepCopier(th).copy(a[0])
		}))
		return m
	})
}
