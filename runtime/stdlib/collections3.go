package stdlib

import (
	"github.com/jacscale/jac/runtime/interp"
)

// ---- UserList ----

// ulOther is the list behind a comparison/concatenation operand.
func ulOther(th *interp.Thread, v interp.Value) interp.Value { return userOther(th, v, userListClass) }

func registerUserList() {
	c := userListClass
	def := func(name string, fn pyMethod) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "UserList", args, kw, "initlist?")
		var items []interp.Value
		if a[0] != nil && a[0] != interp.None {
			items = interp.ToSlice(th, ulOther(th, a[0]))
		}
		setPyAttr(self, "data", interp.NewList(append([]interp.Value(nil), items...)))
		return interp.None
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(interp.Repr(th, userData(th, self)))
	})
	defUserComparisons(c, ulOther)
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__contains__", args, 1)
		return interp.MakeBool(interp.Contains(th, userData(th, self), args[0]))
	})
	def("__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(interp.Len(th, userData(th, self))))
	})
	def("__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.GetIter(th, userData(th, self))
	})
	def("__getitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__getitem__", args, 1)
		r := interp.GetItem(th, userData(th, self), args[0])
		if _, ok := args[0].(*interp.SliceObj); ok {
			return userNew(th, self, r)
		}
		return r
	})
	defDataItems(c)
	def("__add__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__add__", args, 1)
		o := ulOther(th, args[0])
		if _, ok := o.(*interp.List); !ok {
			o = interp.NewList(interp.ToSlice(th, o))
		}
		return userNew(th, self, interp.Binary(th, tokPlus, userData(th, self), o))
	})
	def("__radd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__radd__", args, 1)
		o := ulOther(th, args[0])
		if _, ok := o.(*interp.List); !ok {
			o = interp.NewList(interp.ToSlice(th, o))
		}
		return userNew(th, self, interp.Binary(th, tokPlus, o, userData(th, self)))
	})
	def("__iadd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__iadd__", args, 1)
		callSelfOn(th, userData(th, self), "extend", ulOther(th, args[0]))
		return self
	})
	mul := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__mul__", args, 1)
		return userNew(th, self, interp.Binary(th, tokStar, userData(th, self), args[0]))
	}
	def("__mul__", mul)
	def("__rmul__", mul)
	def("__imul__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__imul__", args, 1)
		setPyAttr(self, "data", interp.Binary(th, tokStar, userData(th, self), args[0]))
		return self
	})
	for _, name := range []string{"append", "insert", "pop", "remove", "clear", "count", "index", "reverse", "sort"} {
		name := name
		def(name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			return th.Call(interp.GetAttr(th, userData(th, self), name), args, kw)
		})
	}
	def("extend", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "extend", args, 1)
		return callSelfOn(th, userData(th, self), "extend", ulOther(th, args[0]))
	})
	cp := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return userNew(th, self, userData(th, self))
	}
	def("copy", cp)
	def("__copy__", cp)
}

// ---- UserString ----

func usOther(th *interp.Thread, v interp.Value) interp.Value {
	return userOther(th, v, userStringClass)
}

func registerUserString() {
	c := userStringClass
	def := func(name string, fn pyMethod) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "UserString", args, kw, "seq")
		v := a[0]
		if o, ok := v.(*interp.Instance); ok && o.Class().IsSubclass(userStringClass) {
			v = userData(th, o)
		} else {
			v = interp.Str(interp.ToStr(th, v))
		}
		setPyAttr(self, "data", v)
		return interp.None
	})
	def("__str__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return userData(th, self)
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(interp.Repr(th, userData(th, self)))
	})
	def("__int__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return th.Call(interp.IntClass, []interp.Value{userData(th, self)}, nil)
	})
	def("__float__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return th.Call(interp.FloatClass, []interp.Value{userData(th, self)}, nil)
	})
	def("__hash__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(interp.Hash(th, userData(th, self)) >> 1))
	})
	defUserComparisons(c, usOther)
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__contains__", args, 1)
		return interp.MakeBool(interp.Contains(th, userData(th, self), usOther(th, args[0])))
	})
	def("__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(interp.Len(th, userData(th, self))))
	})
	def("__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		var out []interp.Value
		interp.Iterate(th, userData(th, self), func(ch interp.Value) bool {
			out = append(out, userNew(th, self, ch))
			return true
		})
		return interp.NewSliceIterator(out)
	})
	def("__getitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__getitem__", args, 1)
		return userNew(th, self, interp.GetItem(th, userData(th, self), args[0]))
	})
	def("__add__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__add__", args, 1)
		o := usOther(th, args[0])
		if _, ok := o.(interp.Str); !ok {
			o = interp.Str(interp.ToStr(th, o))
		}
		return userNew(th, self, interp.Binary(th, tokPlus, userData(th, self), o))
	})
	def("__radd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__radd__", args, 1)
		o := usOther(th, args[0])
		if _, ok := o.(interp.Str); !ok {
			o = interp.Str(interp.ToStr(th, o))
		}
		return userNew(th, self, interp.Binary(th, tokPlus, o, userData(th, self)))
	})
	mul := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__mul__", args, 1)
		return userNew(th, self, interp.Binary(th, tokStar, userData(th, self), args[0]))
	}
	def("__mul__", mul)
	def("__rmul__", mul)
	def("__mod__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__mod__", args, 1)
		return userNew(th, self, interp.Binary(th, tokPercent, userData(th, self), args[0]))
	})
	wrapped := map[string]bool{"capitalize": true, "casefold": true, "center": true, "expandtabs": true, "ljust": true,
		"lower": true, "lstrip": true, "replace": true, "rjust": true, "rstrip": true, "strip": true, "swapcase": true,
		"title": true, "translate": true, "upper": true, "zfill": true, "removeprefix": true, "removesuffix": true}
	for _, name := range []string{"capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs",
		"find", "format", "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier",
		"islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip",
		"partition", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines",
		"startswith", "strip", "swapcase", "title", "translate", "upper", "zfill", "removeprefix", "removesuffix"} {
		name := name
		wrap := wrapped[name]
		def(name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			for i, a := range args {
				args[i] = usOther(th, a)
			}
			r := th.Call(interp.GetAttr(th, userData(th, self), name), args, kw)
			if wrap {
				return userNew(th, self, r)
			}
			return r
		})
	}
}

// ---- heapq.merge ----

func heapqMerge(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	var key interp.Value
	reverse := false
	for _, a := range kw {
		switch a.Name {
		case "key":
			key = a.Value
		case "reverse":
			reverse = interp.Truth(th, a.Value)
		default:
			th.TypeError("merge() got an unexpected keyword argument '%s'", a.Name)
		}
	}
	if key == interp.None {
		key = nil
	}
	type src struct {
		it       interp.Iterator
		head, kv interp.Value
		live     bool
	}
	srcs := make([]*src, len(args))
	started := false
	advance := func(s *src) {
		v, ok := s.it.Next(th)
		s.live = ok
		if ok {
			s.head = v
			s.kv = v
			if key != nil {
				s.kv = th.Call(key, []interp.Value{v}, nil)
			}
		}
	}
	return interp.NewFuncIterator(func(th *interp.Thread) (interp.Value, bool) {
		if !started {
			started = true
			for i, a := range args {
				srcs[i] = &src{it: interp.GetIter(th, a)}
				advance(srcs[i])
			}
		}
		var best *src
		for _, s := range srcs {
			if !s.live {
				continue
			}
			if best == nil {
				best = s
				continue
			}
			if reverse {
				if interp.Less(th, best.kv, s.kv) {
					best = s
				}
			} else if interp.Less(th, s.kv, best.kv) {
				best = s
			}
		}
		if best == nil {
			return nil, false
		}
		v := best.head
		advance(best)
		return v, true
	})
}

func init() {
	registerChainMap()
	registerUserDict()
	registerUserList()
	registerUserString()
	interp.ExtendModule("collections", func(m *interp.Module) {
		m.Set("ChainMap", chainMapClass)
		m.Set("UserDict", userDictClass)
		m.Set("UserList", userListClass)
		m.Set("UserString", userStringClass)
	})
	interp.ExtendModule("heapq", func(m *interp.Module) {
		m.Set("merge", interp.NewBuiltin("merge", heapqMerge))
	})
}

// defUserComparisons gives a User* wrapper the comparisons of the value it
// wraps, against other (which unwraps an operand).
func defUserComparisons(c *interp.Class, other func(*interp.Thread, interp.Value) interp.Value) {
	for name, op := range map[string]string{"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="} {
		interp.DefMethod(c, name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			argN(th, "compare", args, 1)
			return interp.MakeBool(interp.CompareOp(th, userData(th, self), other(th, args[0]), op))
		})
	}
	interp.DefMethod(c, "__eq__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		argN(th, "__eq__", args, 1)
		return interp.MakeBool(interp.Equal(th, userData(th, self), other(th, args[0])))
	})
}
