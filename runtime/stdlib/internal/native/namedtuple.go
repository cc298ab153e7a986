package native

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// NamedTuple is a small read-only named tuple (CacheInfo, ParseResult, ...):
// a tuple whose items are also attributes named by Fields.
type NamedTuple struct {
	Name   string
	Fields []string
	Vals   interp.Tuple
}

func (*NamedTuple) Class() *interp.Class { return interp.TupleClass }

func (n *NamedTuple) ReprJac(th *interp.Thread) string {
	parts := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		parts[i] = f + "=" + interp.Repr(th, n.Vals[i])
	}
	return n.Name + "(" + strings.Join(parts, ", ") + ")"
}

func (n *NamedTuple) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	for i, f := range n.Fields {
		if f == name {
			return n.Vals[i], true
		}
	}
	return nil, false
}

func (n *NamedTuple) GetItemJac(th *interp.Thread, k interp.Value) interp.Value {
	return interp.GetItem(th, n.Vals, k)
}

func (n *NamedTuple) IterJac(th *interp.Thread) interp.Iterator {
	return interp.NewSliceIterator(n.Vals)
}

func (n *NamedTuple) Len() int { return len(n.Vals) }

func (n *NamedTuple) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	if m, ok := o.(*NamedTuple); ok {
		return interp.Equal(th, n.Vals, m.Vals), true
	}
	return interp.Equal(th, n.Vals, o), true
}

// CompareJac orders as tuples (against a named tuple or a plain tuple), so that
// `sys.version_info >= (3, 8)` compares as it does in Python.
func (n *NamedTuple) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	var other interp.Tuple
	switch x := o.(type) {
	case *NamedTuple:
		other = x.Vals
	case interp.Tuple:
		other = x
	default:
		return 0, false
	}
	switch {
	case interp.Less(th, n.Vals, other):
		return -1, true
	case interp.Less(th, other, n.Vals):
		return 1, true
	}
	return 0, true
}
