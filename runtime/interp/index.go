package interp

import (
	"strings"
)

// normIndex resolves a possibly negative index against n.
func normIndex(i, n int64) (int64, bool) {
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}

// sliceIndices computes Python slice bounds for a sequence of length n.
func sliceIndices(th *Thread, s *SliceObj, n int64) (start, stop, step int64) {
	step = 1
	if s.Step != None && s.Step != nil {
		step = toInt64(th, s.Step)
		if step == 0 {
			th.ValueError("slice step cannot be zero")
		}
	}
	clamp := func(v Value, def int64) int64 {
		if v == None || v == nil {
			return def
		}
		i := toInt64(th, v)
		if i < 0 {
			i += n
			if i < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		}
		if i >= n {
			if step < 0 {
				return n - 1
			}
			return n
		}
		return i
	}
	if step > 0 {
		start, stop = clamp(s.Start, 0), clamp(s.Stop, n)
	} else {
		start, stop = clamp(s.Start, n-1), clamp(s.Stop, -1)
	}
	return
}

func sliceElems(th *Thread, elems []Value, s *SliceObj) []Value {
	start, stop, step := sliceIndices(th, s, int64(len(elems)))
	return sliceStore(elems, start, stop, step)
}

// GetItem is Python's v[k].
func GetItem(th *Thread, v, k Value) Value {
	switch x := v.(type) {
	case *List:
		if s, ok := k.(*SliceObj); ok {
			start, stop, step := sliceIndices(th, s, int64(x.Len()))
			return x.slice(start, stop, step)
		}
		j, ok := normIndex(indexOf(th, k, "list"), int64(x.Len()))
		if !ok {
			th.Raise(IndexErrorClass, "list index out of range")
		}
		return x.at(int(j))
	case Tuple:
		if s, ok := k.(*SliceObj); ok {
			return Tuple(sliceElems(th, x, s))
		}
		j, ok := normIndex(indexOf(th, k, "tuple"), int64(len(x)))
		if !ok {
			th.Raise(IndexErrorClass, "tuple index out of range")
		}
		return x[j]
	case *Dict:
		if r, ok := x.Get(th, k); ok {
			return r
		}
		if x.Default != nil {
			d := th.Call(x.Default, nil, nil)
			x.Set(th, k, d)
			return d
		}
		if x.cls != nil {
			if m, _ := x.cls.Lookup("__missing__"); m != nil {
				return th.callMethod(x, m, []Value{k}, nil)
			}
		}
		panic(keyError(th, k))
	case Str:
		return strIndex(th, string(x), k)
	case Bytes:
		if s, ok := k.(*SliceObj); ok {
			b := []byte(x)
			start, stop, step := sliceIndices(th, s, int64(len(b)))
			var out []byte
			for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
				out = append(out, b[i])
			}
			return Bytes(out)
		}
		j, ok := normIndex(indexOf(th, k, "bytes"), int64(len(x)))
		if !ok {
			th.Raise(IndexErrorClass, "index out of range")
		}
		return MakeInt(int64(x[j]))
	case *Range:
		if s, ok := k.(*SliceObj); ok {
			start, stop, step := sliceIndices(th, s, x.Len())
			return &Range{start: x.At(start), stop: x.At(stop), step: x.step * step}
		}
		j, ok := normIndex(indexOf(th, k, "range"), x.Len())
		if !ok {
			th.Raise(IndexErrorClass, "range object index out of range")
		}
		return MakeInt(x.At(j))
	case *Instance:
		if m, _ := x.cls.Lookup("__getitem__"); m != nil {
			return th.callMethod(x, m, []Value{k}, nil)
		}
	case *Class:
		if x.Kind == KindEnum {
			if s, ok := k.(Str); ok {
				for _, m := range x.members {
					if n, _ := m.getExtra("name"); n == Value(s) {
						return m
					}
				}
			}
			panic(keyError(th, k))
		}
		// list[int], dict[str, int]: generic aliases
		return &GenericAlias{Origin: x, Args: k}
	case ItemGetter:
		return x.GetItemJac(th, k)
	}
	th.TypeError("'%s' object is not subscriptable", TypeName(v))
	return nil
}

// GenericAlias is list[int] and friends (used for request typing).
type GenericAlias struct {
	Origin *Class
	Args   Value
}

func (*GenericAlias) Class() *Class { return TypeClass }

// ReprJac renders list[int].
func (g *GenericAlias) ReprJac(th *Thread) string {
	var args []string
	if t, ok := g.Args.(Tuple); ok {
		for _, a := range t {
			args = append(args, typeRepr(th, a))
		}
	} else {
		args = append(args, typeRepr(th, g.Args))
	}
	return g.Origin.Name + "[" + strings.Join(args, ", ") + "]"
}

func typeRepr(th *Thread, v Value) string {
	if c, ok := v.(*Class); ok {
		return c.Name
	}
	return Repr(th, v)
}

// ItemGetter is implemented by library values supporting v[k].
type ItemGetter interface {
	GetItemJac(th *Thread, k Value) Value
}

// ItemSetter is implemented by library values supporting v[k] = x.
type ItemSetter interface {
	SetItemJac(th *Thread, k, v Value)
}

func keyError(th *Thread, k Value) *Instance {
	e := NewInstance(KeyErrorClass)
	d := e.excData()
	d.args = Tuple{k}
	d.trace = th.stack()
	return e
}

func indexOf(th *Thread, k Value, what string) int64 {
	switch i := k.(type) {
	case Int:
		return int64(i)
	case Bool:
		return b2i(i)
	case *Instance:
		if m, _ := i.cls.Lookup("__index__"); m != nil {
			return toInt64(th, th.callMethod(i, m, nil, nil))
		}
	}
	th.TypeError("%s indices must be integers or slices, not %s", what, TypeName(k))
	return 0
}

// SetItem is Python's v[k] = val.
func SetItem(th *Thread, v, k, val Value) {
	switch x := v.(type) {
	case *List:
		if i, ok := k.(Int); ok { // the common case first: no index conversion
			if j, ok := normIndex(int64(i), int64(x.Len())); ok {
				x.setAt(int(j), val)
				return
			}
		}
		if s, ok := k.(*SliceObj); ok {
			setSlice(th, x, s, val)
			return
		}
		j, ok := normIndex(indexOf(th, k, "list"), int64(x.Len()))
		if !ok {
			th.Raise(IndexErrorClass, "list assignment index out of range")
		}
		x.setAt(int(j), val)
		return
	case *Dict:
		x.Set(th, k, val)
		return
	case *Instance:
		if m, _ := x.cls.Lookup("__setitem__"); m != nil {
			th.callMethod(x, m, []Value{k, val}, nil)
			return
		}
	case ItemSetter:
		x.SetItemJac(th, k, val)
		return
	}
	th.TypeError("'%s' object does not support item assignment", TypeName(v))
}

func setSlice(th *Thread, l *List, s *SliceObj, val Value) {
	var src *List
	if o, ok := val.(*List); ok {
		src = o.clone() // a snapshot: val may be l itself
	} else {
		src = newListOf(ToSlice(th, val))
	}
	start, stop, step := sliceIndices(th, s, int64(l.Len()))
	if step == 1 {
		stop = max(stop, start)
		l.replaceRange(int(start), int(stop), src)
		return
	}
	var idx []int64
	for i := start; step > 0 && i < stop || step < 0 && i > stop; i += step {
		idx = append(idx, i)
	}
	if len(idx) != src.Len() {
		th.ValueError("attempt to assign sequence of size %d to extended slice of size %d", src.Len(), len(idx))
	}
	for i, j := range idx {
		l.setAt(int(j), src.at(i))
	}
}

// DelItem is Python's del v[k].
func DelItem(th *Thread, v, k Value) {
	switch x := v.(type) {
	case *List:
		if s, ok := k.(*SliceObj); ok {
			start, stop, step := sliceIndices(th, s, int64(x.Len()))
			x.deleteSlice(start, stop, step)
			return
		}
		j, ok := normIndex(indexOf(th, k, "list"), int64(x.Len()))
		if !ok {
			th.Raise(IndexErrorClass, "list assignment index out of range")
		}
		x.removeAt(int(j))
		return
	case *Dict:
		if _, ok := x.Delete(th, k); !ok {
			panic(keyError(th, k))
		}
		return
	case *Instance:
		if m, _ := x.cls.Lookup("__delitem__"); m != nil {
			th.callMethod(x, m, []Value{k}, nil)
			return
		}
	}
	th.TypeError("'%s' object doesn't support item deletion", TypeName(v))
}

// Len is Python's len(v).
func Len(th *Thread, v Value) int {
	switch x := v.(type) {
	case *List:
		return x.Len()
	case Tuple:
		return len(x)
	case Str:
		return th.strRunes(string(x))
	case *Dict:
		return x.live
	case *Set:
		return x.Len()
	case Bytes:
		return len(x)
	case *Range:
		return int(x.Len())
	case *Instance:
		if m, _ := x.cls.Lookup("__len__"); m != nil {
			return int(toInt64(th, th.callMethod(x, m, nil, nil)))
		}
	case *Class:
		if x.Kind == KindEnum {
			return len(x.members)
		}
	case Lener:
		return x.Len()
	}
	th.TypeError("object of type '%s' has no len()", TypeName(v))
	return 0
}
