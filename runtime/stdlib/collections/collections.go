// Package collections implements Python's collections module: Counter,
// OrderedDict, defaultdict, deque, namedtuple, ChainMap and the UserDict,
// UserList and UserString wrappers.
package collections

import (
	"slices"
	"sort"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

var (
	counterClass     = interp.NewBuiltinClass("Counter", interp.DictClass)
	orderedDictClass = interp.NewBuiltinClass("OrderedDict", interp.DictClass)
	dequeClass       = interp.NewBuiltinClass("deque", interp.ObjectClass)
)

func init() {
	counterClass.SetAttr("__missing__", &interp.Builtin{Name: "__missing__", Method: func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(0)
	}})
	interp.DefMethod(counterClass, "most_common", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		items := mostCommon(th, self.(*interp.Dict))
		if len(a) > 0 && a[0] != interp.None {
			if n := int(interp.ToInt64(th, a[0])); n < len(items) {
				items = items[:max(n, 0)]
			}
		}
		out := make([]interp.Value, len(items))
		for i, it := range items {
			out[i] = interp.Tuple{it.Key, it.Value}
		}
		return interp.NewList(out)
	})
	interp.DefMethod(counterClass, "__repr__", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		items := mostCommon(th, self.(*interp.Dict))
		if len(items) == 0 {
			return interp.Str("Counter()")
		}
		var b strings.Builder
		b.WriteString("Counter({")
		for i, it := range items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(interp.Repr(th, it.Key) + ": " + interp.Repr(th, it.Value))
		}
		b.WriteString("})")
		return interp.Str(b.String())
	})
	interp.DefMethod(counterClass, "update", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		counterAdd(th, self.(*interp.Dict), a, 1)
		return interp.None
	})
	interp.DefMethod(counterClass, "subtract", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		counterAdd(th, self.(*interp.Dict), a, -1)
		return interp.None
	})
	interp.DefMethod(counterClass, "total", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		var acc interp.Value = interp.MakeInt(0)
		for _, v := range self.(*interp.Dict).Values() {
			acc = interp.Binary(th, syntax.PLUS, acc, v)
		}
		return acc
	})
	interp.DefMethod(counterClass, "elements", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		var out []interp.Value
		for _, it := range self.(*interp.Dict).Items() {
			for i := int64(0); i < interp.ToInt64(th, it.Value); i++ {
				out = append(out, it.Key)
			}
		}
		return interp.NewSliceIterator(out)
	})
	// Counter arithmetic keeps positive counts only, as in CPython.
	for name, merge := range map[string]func(a, b int64) int64{
		"__add__": func(a, b int64) int64 { return a + b },
		"__sub__": func(a, b int64) int64 { return a - b },
		"__or__":  func(a, b int64) int64 { return max(a, b) },
		"__and__": func(a, b int64) int64 { return min(a, b) },
	} {
		interp.DefMethod(counterClass, name, func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
			other, ok := a[0].(*interp.Dict)
			if !ok || other.Class() != counterClass {
				return interp.NotImplemented
			}
			return counterMerge(th, self.(*interp.Dict), other, name == "__and__", merge)
		})
	}
	interp.DefMethod(orderedDictClass, "move_to_end", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		d := self.(*interp.Dict)
		last := true
		if len(a) > 1 {
			last = interp.Truth(th, a[1])
		} else if v, ok := interp.KwArg(kw, "last"); ok {
			last = interp.Truth(th, v)
		}
		v, ok := d.Delete(th, a[0])
		if !ok {
			th.Raise(interp.KeyErrorClass, "%s", interp.Repr(th, a[0]))
		}
		if last {
			d.Set(th, a[0], v)
			return interp.None
		}
		rest := d.Items()
		d.Clear()
		d.Set(th, a[0], v)
		for _, it := range rest {
			d.Set(th, it.Key, it.Value)
		}
		return interp.None
	})
	interp.DefMethod(orderedDictClass, "popitem", func(th *interp.Thread, self interp.Value, a []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "popitem", a, kw, "last?")
		d := self.(*interp.Dict)
		items := d.Items()
		if len(items) == 0 {
			th.Raise(interp.KeyErrorClass, "dictionary is empty")
		}
		it := items[len(items)-1]
		if p[0] != nil && !interp.Truth(th, p[0]) {
			it = items[0]
		}
		d.Delete(th, it.Key)
		return interp.Tuple{it.Key, it.Value}
	})
	interp.RegisterModule("collections", func() *interp.Module {
		m := interp.NewModule("collections")
		m.Set("Counter", interp.NewBuiltin("Counter", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDictOfClass(counterClass)
			counterAdd(th, d, args, 1)
			for _, a := range kw {
				d.SetStr(a.Name, a.Value)
			}
			return d
		}))
		m.Set("OrderedDict", interp.NewBuiltin("OrderedDict", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := th.Call(interp.DictClass, args, kw).(*interp.Dict)
			o := interp.NewDictOfClass(orderedDictClass)
			for _, it := range d.Items() {
				o.Set(th, it.Key, it.Value)
			}
			return o
		}))
		m.Set("defaultdict", interp.NewBuiltin("defaultdict", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			d.Default = interp.None
			if len(args) > 0 {
				d.Default = args[0]
				args = args[1:]
			}
			if len(args) > 0 || len(kw) > 0 {
				src := th.Call(interp.DictClass, args, kw).(*interp.Dict)
				for _, it := range src.Items() {
					d.Set(th, it.Key, it.Value)
				}
			}
			if d.Default == interp.None {
				d.Default = nil
			}
			return d
		}))
		m.Set("deque", interp.NewBuiltin("deque", newDeque))
		m.Set("namedtuple", interp.NewBuiltin("namedtuple", NamedTuple))
		return m
	})
}

// mostCommon is the Counter's items by count, largest first (ties in insertion order).
func mostCommon(th *interp.Thread, d *interp.Dict) []interp.KVPair {
	items := d.Items()
	sort.SliceStable(items, func(i, j int) bool { return interp.Less(th, items[j].Value, items[i].Value) })
	return items
}

func counterAdd(th *interp.Thread, d *interp.Dict, args []interp.Value, sign int64) {
	if len(args) == 0 || args[0] == interp.None {
		return
	}
	add := func(k, n interp.Value) {
		cur, ok := d.Get(th, k)
		if !ok {
			cur = interp.MakeInt(0)
		}
		if sign < 0 {
			n = interp.Unary(th, syntax.MINUS, n)
		}
		d.Set(th, k, interp.Binary(th, syntax.PLUS, cur, n))
	}
	if src, ok := args[0].(*interp.Dict); ok {
		for _, it := range src.Items() {
			add(it.Key, it.Value)
		}
		return
	}
	one := interp.MakeInt(1)
	interp.Iterate(th, args[0], func(v interp.Value) bool { add(v, one); return true })
}

// counterMerge combines two Counters key by key (keys of a first, then new keys of
// b); onlyShared keeps just the keys both have (&). Results ≤ 0 are dropped.
func counterMerge(th *interp.Thread, a, b *interp.Dict, onlyShared bool, merge func(x, y int64) int64) *interp.Dict {
	out := interp.NewDictOfClass(counterClass)
	count := func(d *interp.Dict, k interp.Value) (int64, bool) {
		v, ok := d.Get(th, k)
		if !ok {
			return 0, false
		}
		return interp.ToInt64(th, v), true
	}
	put := func(k interp.Value) {
		x, inA := count(a, k)
		y, inB := count(b, k)
		if onlyShared && !(inA && inB) {
			return
		}
		if n := merge(x, y); n > 0 {
			out.Set(th, k, interp.MakeInt(n))
		}
	}
	for _, k := range a.Keys() {
		put(k)
	}
	for _, k := range b.Keys() {
		if _, seen := a.Get(th, k); !seen {
			put(k)
		}
	}
	return out
}

// deque is collections.deque.
type deque struct {
	items  []interp.Value
	maxlen int
}

func (*deque) Class() *interp.Class { return dequeClass }

func newDeque(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "deque", args, kw, "iterable?", "maxlen?")
	d := &deque{maxlen: -1}
	if a[1] != nil && a[1] != interp.None {
		d.maxlen = int(interp.ToInt64(th, a[1]))
	}
	if a[0] != nil {
		for _, v := range interp.ToSlice(th, a[0]) {
			d.push(v)
		}
	}
	return d
}

func (d *deque) push(v interp.Value) {
	d.items = append(d.items, v)
	if d.maxlen >= 0 && len(d.items) > d.maxlen {
		d.items = d.items[len(d.items)-d.maxlen:]
	}
}

func (d *deque) pushLeft(v interp.Value) {
	d.items = append([]interp.Value{v}, d.items...)
	if d.maxlen >= 0 && len(d.items) > d.maxlen {
		d.items = d.items[:d.maxlen]
	}
}

// insert is d.insert(i, x): i counts from the end when negative and is
// clamped to the deque, as list.insert does; a full bounded deque refuses.
func (d *deque) insert(th *interp.Thread, i int, x interp.Value) {
	if d.maxlen >= 0 && len(d.items) >= d.maxlen {
		th.Raise(interp.IndexErrorClass, "deque already at its maximum size")
	}
	if i < 0 {
		i += len(d.items)
	}
	i = max(0, min(i, len(d.items)))
	d.items = slices.Insert(d.items, i, x)
}

// Len implements len().
func (d *deque) Len() int { return len(d.items) }

// IterJac iterates a snapshot.
func (d *deque) IterJac(th *interp.Thread) interp.Iterator {
	return interp.NewSliceIterator(append([]interp.Value(nil), d.items...))
}

// GetItemJac is d[i].
func (d *deque) GetItemJac(th *interp.Thread, k interp.Value) interp.Value {
	return interp.GetItem(th, interp.NewList(d.items), k)
}

// ReprJac renders deque([...]).
func (d *deque) ReprJac(th *interp.Thread) string {
	s := "deque(" + interp.Repr(th, interp.NewList(d.items))
	if d.maxlen >= 0 {
		s += ", maxlen=" + interp.Repr(th, interp.MakeInt(int64(d.maxlen)))
	}
	return s + ")"
}

// EqualJac compares contents.
func (d *deque) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	od, ok := o.(*deque)
	if !ok {
		return false, true
	}
	return interp.Equal(th, interp.NewList(d.items), interp.NewList(od.items)), true
}

// ContainsJac tests membership.
func (d *deque) ContainsJac(th *interp.Thread, x interp.Value) bool {
	return interp.Contains(th, interp.NewList(d.items), x)
}

// AttrJac implements the deque methods.
func (d *deque) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	b := func(f native.Func) (interp.Value, bool) { return interp.NewBuiltin(name, f), true }
	empty := func(th *interp.Thread) {
		if len(d.items) == 0 {
			th.Raise(interp.IndexErrorClass, "pop from an empty deque")
		}
	}
	switch name {
	case "append":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d.push(a[0])
			return interp.None
		})
	case "appendleft":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d.pushLeft(a[0])
			return interp.None
		})
	case "extend":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			for _, v := range interp.ToSlice(th, a[0]) {
				d.push(v)
			}
			return interp.None
		})
	case "extendleft":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			for _, v := range interp.ToSlice(th, a[0]) {
				d.pushLeft(v)
			}
			return interp.None
		})
	case "pop":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			empty(th)
			v := d.items[len(d.items)-1]
			d.items = d.items[:len(d.items)-1]
			return v
		})
	case "popleft":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			empty(th)
			v := d.items[0]
			d.items = d.items[1:]
			return v
		})
	case "rotate":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			n := 1
			if len(a) > 0 {
				n = int(interp.ToInt64(th, a[0]))
			}
			if l := len(d.items); l > 0 {
				n = ((n % l) + l) % l
				d.items = append(append([]interp.Value(nil), d.items[l-n:]...), d.items[:l-n]...)
			}
			return interp.None
		})
	case "clear":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d.items = nil
			return interp.None
		})
	case "count":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return interp.CallMethodOf(th, interp.NewList(d.items), "count", a...)
		})
	case "index":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return interp.CallMethodOf(th, interp.NewList(d.items), "index", a...)
		})
	case "copy":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return &deque{items: append([]interp.Value(nil), d.items...), maxlen: d.maxlen}
		})
	case "insert":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			p := interp.ParseArgs(th, "insert", a, kw, "i", "x")
			d.insert(th, int(interp.ToInt64(th, p[0])), p[1])
			return interp.None
		})
	case "remove":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			for i, v := range d.items {
				if interp.Equal(th, v, a[0]) {
					d.items = append(d.items[:i:i], d.items[i+1:]...)
					return interp.None
				}
			}
			th.ValueError("%s is not in deque", interp.Repr(th, a[0]))
			return nil
		})
	case "reverse":
		return b(func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			slices.Reverse(d.items)
			return interp.None
		})
	case "maxlen":
		if d.maxlen < 0 {
			return interp.None, true
		}
		return interp.MakeInt(int64(d.maxlen)), true
	}
	return nil, false
}

// namedtuple builds a class whose instances are tuples with named fields.
func NamedTuple(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "namedtuple", args, kw, "typename", "field_names", "defaults?", "rename?", "module?")
	name := interp.ToStr(th, a[0])
	var fields []string
	if s, ok := a[1].(interp.Str); ok {
		fields = strings.Fields(strings.ReplaceAll(string(s), ",", " "))
	} else {
		for _, f := range interp.ToSlice(th, a[1]) {
			fields = append(fields, interp.ToStr(th, f))
		}
	}
	var defaults []interp.Value
	if a[2] != nil && a[2] != interp.None {
		defaults = interp.ToSlice(th, a[2])
	}
	cls := interp.NewBuiltinClass(name, interp.TupleClass)
	nt := &ntType{cls: cls, fields: fields, defaults: defaults}
	fieldTuple := make(interp.Tuple, len(fields))
	for i, f := range fields {
		fieldTuple[i] = interp.Str(f)
	}
	cls.SetAttr("_fields", fieldTuple)
	interp.SetNewFn(cls, func(th *interp.Thread, c *interp.Class, args []interp.Value, kw []interp.KV) interp.Value {
		return nt.make(th, args, kw)
	})
	cls.SetAttr("_make", interp.NewBuiltin("_make", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return nt.make(th, interp.ToSlice(th, args[0]), nil)
	}))
	return cls
}

type ntType struct {
	cls      *interp.Class
	fields   []string
	defaults []interp.Value
}

func (nt *ntType) make(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	vals := make([]interp.Value, len(nt.fields))
	if len(args) > len(vals) {
		th.TypeError("%s() takes %d positional arguments but %d were given", nt.cls.Name, len(vals)+1, len(args)+1)
	}
	copy(vals, args)
	for _, a := range kw {
		found := false
		for i, f := range nt.fields {
			if f == a.Name {
				vals[i], found = a.Value, true
			}
		}
		if !found {
			th.TypeError("%s() got an unexpected keyword argument '%s'", nt.cls.Name, a.Name)
		}
	}
	first := len(vals) - len(nt.defaults)
	for i := range vals {
		if vals[i] == nil {
			if i >= first {
				vals[i] = nt.defaults[i-first]
			} else {
				th.TypeError("%s() missing required argument: '%s'", nt.cls.Name, nt.fields[i])
			}
		}
	}
	return &NamedTupleValue{t: nt, Values: vals}
}

// ntValue is a namedtuple instance.
type NamedTupleValue struct {
	t      *ntType
	Values []interp.Value
}

func (v *NamedTupleValue) Class() *interp.Class { return v.t.cls }

// Len is the number of fields.
func (v *NamedTupleValue) Len() int { return len(v.Values) }

// IterJac iterates the values.
func (v *NamedTupleValue) IterJac(th *interp.Thread) interp.Iterator {
	return interp.NewSliceIterator(v.Values)
}

// GetItemJac indexes like a tuple.
func (v *NamedTupleValue) GetItemJac(th *interp.Thread, k interp.Value) interp.Value {
	return interp.GetItem(th, interp.Tuple(v.Values), k)
}

// EqualJac compares as tuples.
func (v *NamedTupleValue) EqualJac(th *interp.Thread, o interp.Value) (bool, bool) {
	switch x := o.(type) {
	case *NamedTupleValue:
		return interp.Equal(th, interp.Tuple(v.Values), interp.Tuple(x.Values)), true
	case interp.Tuple:
		return interp.Equal(th, interp.Tuple(v.Values), x), true
	}
	return false, true
}

// CompareJac orders as tuples (against a namedtuple or a plain tuple), so
// namedtuples sort and compare with < like the tuples they are in Python.
func (v *NamedTupleValue) CompareJac(th *interp.Thread, o interp.Value) (int, bool) {
	var other interp.Tuple
	switch x := o.(type) {
	case *NamedTupleValue:
		other = x.Values
	case interp.Tuple:
		other = x
	default:
		return 0, false
	}
	mine := interp.Tuple(v.Values)
	switch {
	case interp.Less(th, mine, other):
		return -1, true
	case interp.Less(th, other, mine):
		return 1, true
	}
	return 0, true
}

// HashJac hashes as a tuple.
func (v *NamedTupleValue) HashJac(th *interp.Thread) uint64 {
	return interp.Hash(th, interp.Tuple(v.Values))
}

// ReprJac renders P(x=1, y=2).
func (v *NamedTupleValue) ReprJac(th *interp.Thread) string {
	parts := make([]string, len(v.Values))
	for i, f := range v.t.fields {
		parts[i] = f + "=" + interp.Repr(th, v.Values[i])
	}
	return v.t.cls.Name + "(" + strings.Join(parts, ", ") + ")"
}

// AttrJac exposes fields and the namedtuple helpers.
func (v *NamedTupleValue) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	for i, f := range v.t.fields {
		if f == name {
			return v.Values[i], true
		}
	}
	switch name {
	case "_asdict":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			d := interp.NewDict()
			for i, f := range v.t.fields {
				d.SetStr(f, v.Values[i])
			}
			return d
		}), true
	case "_replace":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			nv := &NamedTupleValue{t: v.t, Values: append([]interp.Value(nil), v.Values...)}
			for _, k := range kw {
				for i, f := range v.t.fields {
					if f == k.Name {
						nv.Values[i] = k.Value
					}
				}
			}
			return nv
		}), true
	case "_fields":
		t := make(interp.Tuple, len(v.t.fields))
		for i, f := range v.t.fields {
			t[i] = interp.Str(f)
		}
		return t, true
	case "count", "index":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			return interp.CallMethodOf(th, interp.Tuple(v.Values), name, a...)
		}), true
	}
	return nil, false
}
