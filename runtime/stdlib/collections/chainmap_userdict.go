package collections

import (
	"strings"

	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// collections.ChainMap, UserDict, UserList, UserString and heapq.merge. The
// classes are class-kind so that Jac subclasses can override their dunders, and
// their mixin methods (update, get, pop, ...) go through self[...] as CPython's do.

var (
	chainMapClass   = native.NewClass("ChainMap", "collections")
	userDictClass   = native.NewClass("UserDict", "collections")
	userListClass   = native.NewClass("UserList", "collections")
	userStringClass = native.NewClass("UserString", "collections")
)

// tryKey runs fn and reports whether it raised KeyError (other errors propagate).
func tryKey(th *interp.Thread, fn func()) bool {
	err := th.Protect(fn)
	if err == nil {
		return true
	}
	e, ok := err.(*interp.Exception)
	if !ok {
		panic(err)
	}
	if !e.ExcValue().Class().IsSubclass(interp.KeyErrorClass) {
		th.RaiseValue(e.ExcValue())
	}
	return false
}

func raiseKeyError(th *interp.Thread, k interp.Value) {
	// KeyError(k): str() shows repr(k), as in CPython.
	exc := th.Call(interp.KeyErrorClass, []interp.Value{k}, nil).(*interp.Instance)
	th.RaiseValue(exc)
}

func classOf(v interp.Value) *interp.Class { return v.Class() }

// classMethod defines a classmethod on c: fn receives the class it was called
// on (a subclass too) and the other arguments.
func classMethod(c *interp.Class, name string, fn func(th *interp.Thread, cls interp.Value, args []interp.Value, kw []interp.KV) interp.Value) {
	c.SetAttr(name, &interp.ClassMethod{Fn: interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
		return fn(th, a[0], a[1:], kw)
	})})
}

// ---- ChainMap ----

func chainMaps(th *interp.Thread, self interp.Value) []interp.Value {
	return interp.ToSlice(th, interp.GetAttr(th, self, "maps"))
}

func firstMap(th *interp.Thread, self interp.Value) interp.Value {
	return chainMaps(th, self)[0]
}

func chainKeys(th *interp.Thread, self interp.Value) []interp.Value {
	d := interp.NewDict()
	maps := chainMaps(th, self)
	for i := len(maps) - 1; i >= 0; i-- {
		interp.Iterate(th, maps[i], func(k interp.Value) bool {
			d.Set(th, k, interp.None)
			return true
		})
	}
	return d.Keys()
}

func registerChainMap() {
	c := chainMapClass
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		maps := append([]interp.Value(nil), args...)
		if len(maps) == 0 {
			maps = []interp.Value{interp.NewDict()}
		}
		native.SetAttr(self, "maps", interp.NewList(maps))
		return interp.None
	})
	def("__getitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__getitem__", args, 1)
		for _, m := range chainMaps(th, self) {
			var r interp.Value
			if interp.Contains(th, m, args[0]) {
				r = interp.GetItem(th, m, args[0])
				return r
			}
		}
		if miss, _ := classOf(self).Lookup("__missing__"); miss != nil {
			return native.CallMethod(th, self, "__missing__", args[0])
		}
		raiseKeyError(th, args[0])
		return nil
	})
	def("get", mappingGet)
	// ChainMap.fromkeys(iterable, *args) is cls(dict.fromkeys(iterable, *args)).
	classMethod(c, "fromkeys", func(th *interp.Thread, cls interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		keys := th.Call(interp.GetAttr(th, interp.DictClass, "fromkeys"), args, kw)
		return th.Call(cls, []interp.Value{keys}, nil)
	})
	def("__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(len(chainKeys(th, self))))
	})
	def("__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.NewSliceIterator(chainKeys(th, self))
	})
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__contains__", args, 1)
		for _, m := range chainMaps(th, self) {
			if interp.Contains(th, m, args[0]) {
				return interp.True
			}
		}
		return interp.False
	})
	def("__bool__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		for _, m := range chainMaps(th, self) {
			if interp.Truth(th, m) {
				return interp.True
			}
		}
		return interp.False
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var parts []string
		for _, m := range chainMaps(th, self) {
			parts = append(parts, interp.Repr(th, m))
		}
		return interp.Str(classOf(self).Name + "(" + strings.Join(parts, ", ") + ")")
	})
	def("__setitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__setitem__", args, 2)
		interp.SetItem(th, firstMap(th, self), args[0], args[1])
		return interp.None
	})
	def("__delitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__delitem__", args, 1)
		if !tryKey(th, func() { interp.DelItem(th, firstMap(th, self), args[0]) }) {
			th.RaiseValue(interp.NewException(th, interp.KeyErrorClass, "Key not found in the first mapping: "+interp.Repr(th, args[0])))
		}
		return interp.None
	})
	def("pop", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "pop", args, 1)
		var r interp.Value
		if !tryKey(th, func() { r = native.CallMethod(th, firstMap(th, self), "pop", args...) }) {
			th.RaiseValue(interp.NewException(th, interp.KeyErrorClass, "Key not found in the first mapping: "+interp.Repr(th, args[0])))
		}
		return r
	})
	def("popitem", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var r interp.Value
		if !tryKey(th, func() { r = native.CallMethod(th, firstMap(th, self), "popitem") }) {
			th.RaiseValue(interp.NewException(th, interp.KeyErrorClass, "No keys found in the first mapping."))
		}
		return r
	})
	def("clear", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return native.CallMethod(th, firstMap(th, self), "clear")
	})
	cp := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		maps := chainMaps(th, self)
		n := append([]interp.Value{native.CallMethod(th, maps[0], "copy")}, maps[1:]...)
		return th.Call(classOf(self), n, nil)
	}
	def("copy", cp)
	def("__copy__", cp)
	def("new_child", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var m interp.Value
		if len(args) > 0 && args[0] != interp.None {
			m = args[0]
			for _, a := range kw {
				interp.SetItem(th, m, interp.Str(a.Name), a.Value)
			}
		} else {
			d := interp.NewDict()
			for _, a := range kw {
				d.SetStr(a.Name, a.Value)
			}
			m = d
		}
		return th.Call(classOf(self), append([]interp.Value{m}, chainMaps(th, self)...), nil)
	})
	c.SetAttr("parents", &interp.Property{Get: interp.NewBuiltin("parents", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
		return th.Call(classOf(args[0]), chainMaps(th, args[0])[1:], nil)
	})})
	defMappingMixins(c)
	def("__or__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__or__", args, 1)
		n := native.CallMethod(th, self, "copy")
		native.CallMethod(th, firstMap(th, n), "update", args[0])
		return n
	})
	def("__ior__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__ior__", args, 1)
		native.CallMethod(th, firstMap(th, self), "update", args[0])
		return self
	})
}

// defMappingMixins adds keys/values/items/__eq__ computed through self.
func defMappingMixins(c *interp.Class) {
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	keys := func(th *interp.Thread, self interp.Value) []interp.Value { return interp.ToSlice(th, self) }
	def("keys", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.NewList(keys(th, self))
	})
	def("values", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var out []interp.Value
		for _, k := range keys(th, self) {
			out = append(out, interp.GetItem(th, self, k))
		}
		return interp.NewList(out)
	})
	def("items", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var out []interp.Value
		for _, k := range keys(th, self) {
			out = append(out, interp.Tuple{k, interp.GetItem(th, self, k)})
		}
		return interp.NewList(out)
	})
	def("__eq__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__eq__", args, 1)
		toDict := func(v interp.Value) *interp.Dict {
			d := interp.NewDict()
			for _, k := range interp.ToSlice(th, v) {
				d.Set(th, k, interp.GetItem(th, v, k))
			}
			return d
		}
		o := args[0]
		if _, ok := o.(*interp.Dict); !ok {
			oi, ok := o.(*interp.Instance)
			if !ok || !(oi.Class().IsSubclass(chainMapClass) || oi.Class().IsSubclass(userDictClass)) {
				return interp.NotImplemented
			}
		}
		return interp.MakeBool(interp.Equal(th, toDict(self), toDict(o)))
	})
}

// ---- UserDict ----

// userData is the wrapped object of a UserDict, UserList or UserString.
func userData(th *interp.Thread, self interp.Value) interp.Value {
	return interp.GetAttr(th, self, "data")
}

// userOther unwraps v when it is an instance of the user wrapper cls.
func userOther(th *interp.Thread, v interp.Value, cls *interp.Class) interp.Value {
	if o, ok := v.(*interp.Instance); ok && o.Class().IsSubclass(cls) {
		return userData(th, o)
	}
	return v
}

// userNew wraps data in a new instance of self's class.
func userNew(th *interp.Thread, self interp.Value, data interp.Value) interp.Value {
	return th.Call(classOf(self), []interp.Value{data}, nil)
}

// defDataItems gives a user wrapper __setitem__ and __delitem__ on its data.
func defDataItems(c *interp.Class) {
	interp.DefMethod(c, "__setitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__setitem__", args, 2)
		interp.SetItem(th, userData(th, self), args[0], args[1])
		return interp.None
	})
	interp.DefMethod(c, "__delitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__delitem__", args, 1)
		interp.DelItem(th, userData(th, self), args[0])
		return interp.None
	})
}

func updateUserDict(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) {
	if len(args) > 0 && args[0] != interp.None {
		src := args[0]
		if d, ok := src.(*interp.Dict); ok {
			for _, it := range d.Items() {
				interp.SetItem(th, self, it.Key, it.Value)
			}
		} else if _, hasKeys := interp.LookupAttr(th, src, "keys"); hasKeys {
			for _, k := range interp.ToSlice(th, native.CallMethod(th, src, "keys")) {
				interp.SetItem(th, self, k, interp.GetItem(th, src, k))
			}
		} else {
			interp.Iterate(th, src, func(p interp.Value) bool {
				kv := interp.ToSlice(th, p)
				if len(kv) != 2 {
					th.ValueError("dictionary update sequence element has length %d; 2 is required", len(kv))
				}
				interp.SetItem(th, self, kv[0], kv[1])
				return true
			})
		}
	}
	for _, a := range kw {
		interp.SetItem(th, self, interp.Str(a.Name), a.Value)
	}
}

func registerUserDict() {
	c := userDictClass
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.SetAttr(self, "data", interp.NewDict())
		updateUserDict(th, self, args, kw)
		return interp.None
	})
	// UserDict.fromkeys(iterable, value=None) makes cls() and sets each key.
	classMethod(c, "fromkeys", func(th *interp.Thread, cls interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		p := interp.ParseArgs(th, "fromkeys", args, kw, "iterable", "value?")
		d, value := th.Call(cls, nil, nil), p[1]
		if value == nil {
			value = interp.None
		}
		interp.Iterate(th, p[0], func(k interp.Value) bool {
			interp.SetItem(th, d, k, value)
			return true
		})
		return d
	})
	def("__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(interp.Len(th, userData(th, self))))
	})
	def("__getitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__getitem__", args, 1)
		data := userData(th, self)
		if interp.Contains(th, data, args[0]) {
			return interp.GetItem(th, data, args[0])
		}
		if miss, _ := classOf(self).Lookup("__missing__"); miss != nil {
			return native.CallMethod(th, self, "__missing__", args[0])
		}
		raiseKeyError(th, args[0])
		return nil
	})
	defDataItems(c)
	def("__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.GetIter(th, userData(th, self))
	})
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__contains__", args, 1)
		return interp.MakeBool(interp.Contains(th, userData(th, self), args[0]))
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(interp.Repr(th, userData(th, self)))
	})
	def("get", mappingGet)
	def("update", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		updateUserDict(th, self, args, kw)
		return interp.None
	})
	def("setdefault", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "setdefault", args, kw, "key", "default?")
		if a[1] == nil {
			a[1] = interp.None
		}
		var r interp.Value
		if tryKey(th, func() { r = interp.GetItem(th, self, a[0]) }) {
			return r
		}
		interp.SetItem(th, self, a[0], a[1])
		return a[1]
	})
	def("pop", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "pop", args, kw, "key", "default?")
		var r interp.Value
		if !tryKey(th, func() { r = interp.GetItem(th, self, a[0]) }) {
			if a[1] == nil {
				raiseKeyError(th, a[0])
			}
			return a[1]
		}
		interp.DelItem(th, self, a[0])
		return r
	})
	def("popitem", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		it := interp.GetIter(th, self)
		k, ok := it.Next(th)
		if !ok {
			raiseKeyError(th, interp.None)
		}
		v := interp.GetItem(th, self, k)
		interp.DelItem(th, self, k)
		return interp.Tuple{k, v}
	})
	def("clear", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return native.CallMethod(th, userData(th, self), "clear")
	})
	cp := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		n := th.Call(classOf(self), nil, nil)
		native.SetAttr(n, "data", native.CallMethod(th, userData(th, self), "copy"))
		return n
	}
	def("copy", cp)
	def("__copy__", cp)
	def("__or__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__or__", args, 1)
		o := args[0]
		if oi, ok := o.(*interp.Instance); ok && oi.Class().IsSubclass(userDictClass) {
			o = userData(th, oi)
		} else if _, ok := o.(*interp.Dict); !ok {
			return interp.NotImplemented
		}
		return th.Call(classOf(self), []interp.Value{interp.Binary(th, syntax.PIPE, userData(th, self), o)}, nil)
	})
	def("__ior__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__ior__", args, 1)
		updateUserDict(th, self, args, nil)
		return self
	})
	defMappingMixins(c)
}

// mappingGet is Mapping.get over __contains__ and __getitem__.
func mappingGet(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "get", args, kw, "key", "default?")
	if interp.Contains(th, self, a[0]) {
		return interp.GetItem(th, self, a[0])
	}
	if a[1] == nil {
		return interp.None
	}
	return a[1]
}
