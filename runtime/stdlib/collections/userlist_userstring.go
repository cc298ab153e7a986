package collections

import (
	"github.com/jacscale/jac/runtime/interp"
	"github.com/jacscale/jac/runtime/stdlib/internal/native"
	"github.com/jacscale/jac/runtime/syntax"
)

// ---- UserList ----

// listOperand is the list behind a comparison/concatenation operand.
func listOperand(th *interp.Thread, v interp.Value) interp.Value {
	return userOther(th, v, userListClass)
}

func registerUserList() {
	c := userListClass
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "UserList", args, kw, "initlist?")
		var items []interp.Value
		if a[0] != nil && a[0] != interp.None {
			items = interp.ToSlice(th, listOperand(th, a[0]))
		}
		native.SetAttr(self, "data", interp.NewList(append([]interp.Value(nil), items...)))
		return interp.None
	})
	def("__repr__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.Str(interp.Repr(th, userData(th, self)))
	})
	defUserComparisons(c, listOperand)
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__contains__", args, 1)
		return interp.MakeBool(interp.Contains(th, userData(th, self), args[0]))
	})
	def("__len__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.MakeInt(int64(interp.Len(th, userData(th, self))))
	})
	def("__iter__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return interp.GetIter(th, userData(th, self))
	})
	def("__getitem__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__getitem__", args, 1)
		r := interp.GetItem(th, userData(th, self), args[0])
		if _, ok := args[0].(*interp.SliceObj); ok {
			return userNew(th, self, r)
		}
		return r
	})
	defDataItems(c)
	def("__add__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__add__", args, 1)
		o := listOperand(th, args[0])
		if _, ok := o.(*interp.List); !ok {
			o = interp.NewList(interp.ToSlice(th, o))
		}
		return userNew(th, self, interp.Binary(th, syntax.PLUS, userData(th, self), o))
	})
	def("__radd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__radd__", args, 1)
		o := listOperand(th, args[0])
		if _, ok := o.(*interp.List); !ok {
			o = interp.NewList(interp.ToSlice(th, o))
		}
		return userNew(th, self, interp.Binary(th, syntax.PLUS, o, userData(th, self)))
	})
	def("__iadd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__iadd__", args, 1)
		native.CallMethod(th, userData(th, self), "extend", listOperand(th, args[0]))
		return self
	})
	mul := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__mul__", args, 1)
		return userNew(th, self, interp.Binary(th, syntax.STAR, userData(th, self), args[0]))
	}
	def("__mul__", mul)
	def("__rmul__", mul)
	def("__imul__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__imul__", args, 1)
		native.SetAttr(self, "data", interp.Binary(th, syntax.STAR, userData(th, self), args[0]))
		return self
	})
	for _, name := range []string{"append", "insert", "pop", "remove", "clear", "count", "index", "reverse", "sort"} {
		name := name
		def(name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			return th.Call(interp.GetAttr(th, userData(th, self), name), args, kw)
		})
	}
	def("extend", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "extend", args, 1)
		return native.CallMethod(th, userData(th, self), "extend", listOperand(th, args[0]))
	})
	cp := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		return userNew(th, self, userData(th, self))
	}
	def("copy", cp)
	def("__copy__", cp)
}

// ---- UserString ----

func stringOperand(th *interp.Thread, v interp.Value) interp.Value {
	return userOther(th, v, userStringClass)
}

func registerUserString() {
	c := userStringClass
	def := func(name string, fn native.Method) { interp.DefMethod(c, name, fn) }
	def("__init__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		a := interp.ParseArgs(th, "UserString", args, kw, "seq")
		v := a[0]
		if o, ok := v.(*interp.Instance); ok && o.Class().IsSubclass(userStringClass) {
			v = userData(th, o)
		} else {
			v = interp.Str(interp.ToStr(th, v))
		}
		native.SetAttr(self, "data", v)
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
	c.SetAttr("maketrans", &interp.StaticMethod{Fn: interp.NewBuiltin("maketrans", maketrans)})
	defUserComparisons(c, stringOperand)
	def("__contains__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__contains__", args, 1)
		return interp.MakeBool(interp.Contains(th, userData(th, self), stringOperand(th, args[0])))
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
		native.CheckArgCount(th, "__getitem__", args, 1)
		return userNew(th, self, interp.GetItem(th, userData(th, self), args[0]))
	})
	def("__add__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__add__", args, 1)
		o := stringOperand(th, args[0])
		if _, ok := o.(interp.Str); !ok {
			o = interp.Str(interp.ToStr(th, o))
		}
		return userNew(th, self, interp.Binary(th, syntax.PLUS, userData(th, self), o))
	})
	def("__radd__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__radd__", args, 1)
		o := stringOperand(th, args[0])
		if _, ok := o.(interp.Str); !ok {
			o = interp.Str(interp.ToStr(th, o))
		}
		return userNew(th, self, interp.Binary(th, syntax.PLUS, o, userData(th, self)))
	})
	mul := func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__mul__", args, 1)
		return userNew(th, self, interp.Binary(th, syntax.STAR, userData(th, self), args[0]))
	}
	def("__mul__", mul)
	def("__rmul__", mul)
	def("__mod__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__mod__", args, 1)
		return userNew(th, self, interp.Binary(th, syntax.PERCENT, userData(th, self), args[0]))
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
				args[i] = stringOperand(th, a)
			}
			r := th.Call(interp.GetAttr(th, userData(th, self), name), args, kw)
			if wrap {
				return userNew(th, self, r)
			}
			return r
		})
	}
}

// defUserComparisons gives a User* wrapper the comparisons of the value it
// wraps, against other (which unwraps an operand).
func defUserComparisons(c *interp.Class, other func(*interp.Thread, interp.Value) interp.Value) {
	for name, op := range map[string]string{"__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="} {
		interp.DefMethod(c, name, func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			native.CheckArgCount(th, "compare", args, 1)
			return interp.MakeBool(interp.CompareOp(th, userData(th, self), other(th, args[0]), op))
		})
	}
	interp.DefMethod(c, "__eq__", func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
		native.CheckArgCount(th, "__eq__", args, 1)
		return interp.MakeBool(interp.Equal(th, userData(th, self), other(th, args[0])))
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
}

// maketrans is str.maketrans, which UserString exposes as a static method:
// from a dict of one-character strings or code points, or from two strings
// of equal length (and a third whose characters map to None), the table
// str.translate takes.
func maketrans(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "maketrans", args, kw, "x", "y?", "z?")
	table := interp.NewDict()
	if a[1] == nil {
		d, ok := a[0].(*interp.Dict)
		if !ok {
			th.TypeError("if you give only one argument to maketrans it must be a dict")
		}
		for _, it := range d.Items() {
			k := it.Key
			if s, ok := k.(interp.Str); ok {
				r := []rune(string(s))
				if len(r) != 1 {
					th.ValueError("string keys in translate table must be of length 1")
				}
				k = interp.MakeInt(int64(r[0]))
			} else if !native.IsInt(k) {
				th.TypeError("keys in translate table must be strings or integers")
			}
			table.Set(th, k, it.Value)
		}
		return table
	}
	if _, ok := a[0].(interp.Str); !ok {
		th.TypeError("first maketrans argument must be a string if there is a second argument")
	}
	from, to := []rune(maketransStr(th, a[0], 1)), []rune(maketransStr(th, a[1], 2))
	if len(from) != len(to) {
		th.ValueError("the first two maketrans arguments must have equal length")
	}
	for i, r := range from {
		table.Set(th, interp.MakeInt(int64(r)), interp.MakeInt(int64(to[i])))
	}
	if a[2] != nil {
		for _, r := range maketransStr(th, a[2], 3) {
			table.Set(th, interp.MakeInt(int64(r)), interp.None)
		}
	}
	return table
}

func maketransStr(th *interp.Thread, v interp.Value, n int) string {
	s, ok := v.(interp.Str)
	if !ok {
		th.TypeError("maketrans() argument %d must be str, not %s", n, interp.TypeName(v))
	}
	return string(s)
}
