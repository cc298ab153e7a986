package functools

import (
	"github.com/jacscale/jac/runtime/interp"
)

// functools.partialmethod: a method-like builtin that binds self when looked
// up on an instance, then calls func(self, *args, *call_args, **merged_kw).

func init() {
	interp.ExtendModule("functools", func(m *interp.Module) {
		m.Set("partialmethod", interp.NewBuiltin("partialmethod", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) < 1 {
				th.TypeError("type 'partialmethod' takes at least one argument")
			}
			fn := args[0]
			if !interp.IsCallable(fn) {
				th.TypeError("%s is not callable or a descriptor", interp.Repr(th, fn))
			}
			pargs := append([]interp.Value(nil), args[1:]...)
			pkw := append([]interp.KV(nil), kw...)
			return &interp.Builtin{Name: "partialmethod", Method: func(th *interp.Thread, self interp.Value, a []interp.Value, k []interp.KV) interp.Value {
				all := append(append([]interp.Value{self}, pargs...), a...)
				merged := append([]interp.KV(nil), pkw...)
				for _, x := range k {
					replaced := false
					for i := range merged {
						if merged[i].Name == x.Name {
							merged[i].Value = x.Value
							replaced = true
						}
					}
					if !replaced {
						merged = append(merged, x)
					}
				}
				return th.Call(fn, all, merged)
			}}
		}))
	})
}

// dispatcher is a functools.singledispatch generic function.
type dispatcher struct {
	def  interp.Value
	reg  *interp.Dict // class -> implementation
	name string
}

var dispatcherClass = interp.NewBuiltinClass("singledispatch")

func (*dispatcher) Class() *interp.Class { return dispatcherClass }

func (d *dispatcher) dispatch(th *interp.Thread, cls *interp.Class) interp.Value {
	for _, c := range cls.MRO {
		if f, ok := d.reg.Get(th, c); ok {
			return f
		}
	}
	return d.def
}

func (d *dispatcher) CallJac(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	if len(args) == 0 {
		th.TypeError("%s requires at least 1 positional argument", d.name)
	}
	return th.Call(d.dispatch(th, args[0].Class()), args, kw)
}

func (d *dispatcher) ReprJac(th *interp.Thread) string {
	return "<function " + d.name + ">"
}

func (d *dispatcher) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "registry":
		return d.reg, true
	case "__wrapped__":
		return d.def, true
	case "__name__", "__qualname__":
		return interp.Str(d.name), true
	case "dispatch":
		return interp.NewBuiltin("dispatch", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "dispatch", args, kw, "cls")
			c, ok := a[0].(*interp.Class)
			if !ok {
				th.TypeError("dispatch() argument must be a class")
			}
			return d.dispatch(th, c)
		}), true
	case "register":
		return interp.NewBuiltin("register", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "register", args, kw, "cls", "func?")
			c, ok := a[0].(*interp.Class)
			if !ok {
				th.TypeError("Invalid first argument to `register()`: %s. Use either `@register(some_class)` or plain `@register` on an annotated function.", interp.Repr(th, a[0]))
			}
			if a[1] != nil && a[1] != interp.None {
				d.reg.Set(th, c, a[1])
				return a[1]
			}
			return interp.NewBuiltin("register", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
				f := interp.ParseArgs(th, "register", args, kw, "func")
				d.reg.Set(th, c, f[0])
				return f[0]
			})
		}), true
	}
	return nil, false
}

// total_ordering's derived comparisons, keyed by the root the class defines.
var orderings = map[string][][2]string{
	"__lt__": {{"__gt__", "not_and_ne"}, {"__le__", "or_eq"}, {"__ge__", "not"}},
	"__le__": {{"__ge__", "not_or_eq"}, {"__lt__", "and_ne"}, {"__gt__", "not"}},
	"__gt__": {{"__lt__", "not_and_ne"}, {"__ge__", "or_eq"}, {"__le__", "not"}},
	"__ge__": {{"__le__", "not_or_eq"}, {"__gt__", "and_ne"}, {"__lt__", "not"}},
}

func totalOrdering(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
	a := interp.ParseArgs(th, "total_ordering", args, kw, "cls")
	cls, ok := a[0].(*interp.Class)
	if !ok {
		return a[0]
	}
	roots := map[string]bool{}
	root := ""
	for _, op := range []string{"__ge__", "__gt__", "__le__", "__lt__"} { // max() picks the last present
		if m, owner := cls.Lookup(op); m != nil && owner != interp.ObjectClass {
			roots[op] = true
			root = op
		}
	}
	if root == "" {
		th.ValueError("must define at least one ordering operation: < > <= >=")
	}
	for _, d := range orderings[root] {
		name, kind := d[0], d[1]
		if roots[name] {
			continue
		}
		rootName := root
		cls.SetAttr(name, &interp.Builtin{Name: name, Method: func(th *interp.Thread, self interp.Value, args []interp.Value, kw []interp.KV) interp.Value {
			if len(args) != 1 {
				th.TypeError("%s() takes exactly one argument", name)
			}
			other := args[0]
			r, _ := th.CallMethod(self, rootName, other)
			if r == interp.NotImplemented {
				return r
			}
			t := interp.Truth(th, r)
			switch kind {
			case "not_and_ne":
				return interp.MakeBool(!t && !interp.Equal(th, self, other))
			case "or_eq":
				return interp.MakeBool(t || interp.Equal(th, self, other))
			case "not_or_eq":
				return interp.MakeBool(!t || interp.Equal(th, self, other))
			case "and_ne":
				return interp.MakeBool(t && !interp.Equal(th, self, other))
			}
			return interp.MakeBool(!t)
		}})
	}
	return cls
}

func init() {
	interp.ExtendModule("functools", func(m *interp.Module) {
		m.Set("singledispatch", interp.NewBuiltin("singledispatch", func(th *interp.Thread, args []interp.Value, kw []interp.KV) interp.Value {
			a := interp.ParseArgs(th, "singledispatch", args, kw, "func")
			d := &dispatcher{def: a[0], reg: interp.NewDict(), name: "singledispatch"}
			if n, ok := interp.LookupAttr(th, a[0], "__name__"); ok {
				d.name = interp.ToStr(th, n)
			}
			d.reg.Set(th, interp.ObjectClass, a[0])
			return d
		}))
		m.Set("total_ordering", interp.NewBuiltin("total_ordering", totalOrdering))
		m.Set("WRAPPER_ASSIGNMENTS", interp.Tuple{interp.Str("__module__"), interp.Str("__name__"), interp.Str("__qualname__"), interp.Str("__doc__"), interp.Str("__annotations__"), interp.Str("__type_params__")})
		m.Set("WRAPPER_UPDATES", interp.Tuple{interp.Str("__dict__")})
	})
}
